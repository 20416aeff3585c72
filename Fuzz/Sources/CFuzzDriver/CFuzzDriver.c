#define _GNU_SOURCE
#include <sys/mman.h>
#include "CFuzzDriver.h"

int fuzz_memory_file(void) { return memfd_create("fuzz", MFD_CLOEXEC); }
