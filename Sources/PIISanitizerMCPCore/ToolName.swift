/// The tools this adapter serves. The one place their names are spelled.
public enum ToolName: String, Sendable, CaseIterable {
    case sanitizeText = "sanitize_text"
    case sanitizeJSON = "sanitize_json"
    case listPIITypes = "list_pii_types"

    /// The argument names each tool accepts.
    var argumentNames: [String] {
        switch self {
        case .sanitizeText: ["text", "labels", "operator"]
        case .sanitizeJSON: ["json", "labels", "operator"]
        case .listPIITypes: []
        }
    }
}
