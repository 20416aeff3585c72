#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An input that could not be opened or read, with the system's reason.
struct InputError: Error {
    let reason: String
    /// True when the input could not be opened at all (sysexits 66), false for a read failure (74).
    let atOpen: Bool
}

/// Reads `path` (or stdin for `-`) in blocks and hands each block to `body`.
///
/// 256 KiB: the streams keep a few buffers the size of a block (pending input, output, scan
/// scratch), so 1 MiB blocks cost 4-7 MB more peak RSS on 100 MB of text or NDJSON, for no
/// measurable speed (a pipe delivers 64 KiB reads anyway; output does not depend on the size).
func forEachBlock(of path: String, blockSize: Int = 1 << 18, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
    let fd = path == "-" ? 0 : open(path, O_RDONLY)
    guard fd >= 0 else { throw InputError(reason: String(cString: strerror(errno)), atOpen: true) }
    defer { if fd != 0 { close(fd) } }
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: blockSize, alignment: 16)
    defer { buffer.deallocate() }
    while true {
        let n = read(fd, buffer.baseAddress, blockSize)
        if n < 0 {
            if errno == EINTR { continue }
            throw InputError(reason: String(cString: strerror(errno)), atOpen: errno == EISDIR)
        }
        if n == 0 { return }
        try body(UnsafeRawBufferPointer(rebasing: buffer[..<n]))
    }
}

/// stdout failed; the CLI exits with 74.
struct OutputError: Error {}

/// The processors online (at least 1).
func onlineProcessors() -> Int {
    max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))
}
