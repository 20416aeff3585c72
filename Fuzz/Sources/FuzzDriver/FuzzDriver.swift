import CFuzzDriver

#if canImport(Glibc)
import Glibc
#endif

/// Hands the process to libFuzzer with `body` as the target and exits with its status.
///
/// The targets have their own `main` and call libFuzzer's `LLVMFuzzerRunDriver` rather than
/// exporting `LLVMFuzzerTestOneInput` for libFuzzer's `main`: `swift build --sanitize=fuzzer`
/// would link that `main` into every executable in the graph, the `embed-patterns` build tool
/// included, which then cannot run. run.sh instruments with `-sanitize=address` and
/// `-sanitize-coverage` instead and links `libclang_rt.fuzzer_no_main`.
public func runFuzzer(_ body: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Never {
    var argc = CommandLine.argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
    exit(LLVMFuzzerRunDriver(&argc, &argv, body))
}

/// A file descriptor for an anonymous in-memory file, read and written like a temporary file
/// without touching a file system (cheaper per input than `tmpfile`).
public func memoryFile() -> Int32 {
    let fd = fuzz_memory_file()
    precondition(fd >= 0, "memfd_create failed")
    return fd
}
