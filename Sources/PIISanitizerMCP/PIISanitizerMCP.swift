// `import PIISanitizerMCP` gives what it gave before the split: the tools (`SanitizerTools`,
// `ToolName`) and the stdio server (`StdioServer`) now live in PIISanitizerMCPCore, which does not
// depend on swift-sdk, so that `pii-sanitize` can serve MCP without linking the SDK and the
// Foundation, FoundationNetworking and libcurl it loads (measured: see README, "Performance").
// Re-exported so that code written against the one-module library compiles unchanged.
@_exported public import PIISanitizerMCPCore
