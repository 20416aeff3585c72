internal import CPCRE2

/// A PCRE2 failure: the library's code and message, plus the pattern offset for compile errors.
///
/// Messages come from PCRE2 itself and never contain subject text, so they are safe to log.
package struct PCRE2Error: Error, Sendable, Equatable, CustomStringConvertible {
    /// PCRE2's negative (match) or positive (compile) error code.
    package let code: Int32
    /// PCRE2's own text for `code`.
    package let message: String
    /// Offset in the pattern where compilation failed; nil for match errors.
    package let patternOffset: Int?

    package init(code: Int32, patternOffset: Int? = nil) {
        self.code = code
        self.patternOffset = patternOffset
        self.message = Self.text(for: code)
    }

    /// True when a match gave up because of a resource limit rather than a verdict.
    package var isResourceLimit: Bool {
        switch code {
        case PCRE2_ERROR_MATCHLIMIT, PCRE2_ERROR_DEPTHLIMIT, PCRE2_ERROR_HEAPLIMIT,
            PCRE2_ERROR_JIT_STACKLIMIT, PCRE2_ERROR_NOMEMORY:
            true
        default:
            false
        }
    }

    package var description: String {
        if let patternOffset { return "\(message) at offset \(patternOffset)" }
        return message
    }

    private static func text(for code: Int32) -> String {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 256) { buffer in
            let n = pcre2_get_error_message_8(code, buffer.baseAddress, buffer.count)
            guard n > 0 else { return "PCRE2 error \(code)" }
            return String(decoding: UnsafeBufferPointer(rebasing: buffer[..<Int(n)]), as: UTF8.self)
        }
    }
}
