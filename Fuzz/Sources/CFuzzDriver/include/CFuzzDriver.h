// libFuzzer's entry for programs with their own main (libclang_rt.fuzzer_no_main, linked by run.sh).
#include <stddef.h>
#include <stdint.h>
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
// An anonymous in-memory file (memfd_create), or -1: Glibc's Swift module does not import it.
int fuzz_memory_file(void);
