public import PIISanitizer

/// The PII tools (`sanitize_text`, `sanitize_json`, `list_pii_types`) over one pattern set,
/// independent of the transport: `StdioServer` serves them byte-faithfully over stdio, and
/// `Server.registerPIISanitizerTools(_:)` adds them to a swift-sdk server.
///
/// Thread-safe: calls may run concurrently. A call that restricts `labels` or picks an
/// `operator` uses a sanitizer built for that choice once and then cached.
public final class SanitizerTools: Sendable {
    /// The default for `maxInputBytes`: 8 MiB.
    public static let defaultMaxInputBytes = 8 << 20

    /// The sanitizer for calls without `labels` or `operator`.
    public let sanitizer: Sanitizer
    /// The largest `text` or `json` argument accepted, in bytes.
    public let maxInputBytes: Int
    /// The labels this server redacts, sorted.
    public let labels: [String]
    /// The operators a call may choose (`hash` only when the options carry a hash key).
    let operatorNames: [String]
    /// The `tools` array of a `tools/list` result, encoded once: every server over these tools
    /// sends the same bytes.
    package let toolDefinitionsJSON: [UInt8]
    /// The `list_pii_types` result, encoded once.
    let listingJSON: [UInt8]
    private let patternFile: String?
    private let options: Sanitizer.Options
    private let variants = VariantCache()

    /// Tools over the built-in pattern set, or the pattern file at `patternFile`.
    /// - Throws: `SanitizerError` when the pattern file or the options are invalid.
    public init(patternFile: String? = nil, options: Sanitizer.Options = .init(), maxInputBytes: Int = SanitizerTools.defaultMaxInputBytes) throws(SanitizerError) {
        self.patternFile = patternFile
        self.options = options
        self.maxInputBytes = max(1, maxInputBytes)
        sanitizer = try Self.build(patternFile: patternFile, options: options)
        // A label named by the tools must be one the base set can produce.
        let active = Set(sanitizer.patternDescriptions.filter(\.enabled).map(\.label))
        labels = sanitizer.labels.filter { options.onlyLabels?.contains($0) ?? true || active.contains($0) }
        operatorNames = ["replace", "mask", "placeholder", "remove"] + (options.hashKey == nil ? [] : ["hash"])
        toolDefinitionsJSON = ToolDefinitions(maxInputBytes: self.maxInputBytes, labels: labels, operatorNames: operatorNames).json
        listingJSON = Self.listingJSON(sanitizer: sanitizer, labels: labels, operatorNames: operatorNames, maxInputBytes: self.maxInputBytes)
    }

    private static func build(patternFile: String?, options: Sanitizer.Options) throws(SanitizerError) -> Sanitizer {
        if let patternFile { return try Sanitizer(patternFile: patternFile, options: options) }
        return try Sanitizer(options: options)
    }

    /// The sanitizer for a call's `labels` and `operator`.
    func sanitizer(labels: [String]?, operatorName: String?) throws(SanitizerError) -> Sanitizer {
        guard labels != nil || operatorName != nil else { return sanitizer }
        let key = VariantCache.Key(labels: labels.map { Set($0) }, operatorName: operatorName)
        if let cached = variants[key] { return cached }
        var variant = options
        if let labels {
            // Restrict, never widen: a server started with --only keeps its restriction.
            let requested = Set(labels)
            variant.onlyLabels = options.onlyLabels.map { $0.intersection(requested) } ?? requested
        }
        if let operatorName { variant.operatorOverride = RedactionOperator(name: operatorName) }
        let built = try Self.build(patternFile: patternFile, options: variant)
        variants[key] = built
        return built
    }
}

/// Sanitizers built for one `labels`/`operator` choice. Bounded: clients choose from a small
/// set of labels and operators, but a client that cycles through every combination must not
/// grow memory without end, so the cache is emptied when full.
private final class VariantCache: @unchecked Sendable {
    // Safety: `entries` is only touched while `lock` is held.
    struct Key: Hashable {
        let labels: Set<String>?
        let operatorName: String?
    }

    private let lock = Lock()
    private var entries: [Key: Sanitizer] = [:]
    private let limit = 64

    subscript(key: Key) -> Sanitizer? {
        get { lock.withLock { entries[key] } }
        set {
            lock.withLock {
                if entries.count >= limit { entries.removeAll() }
                entries[key] = newValue
            }
        }
    }
}
