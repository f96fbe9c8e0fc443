/// The clinical rule pack's `KnowledgeLoader` (registered in `RulePacks.knowledgeLoaders`).
public struct ClinicalKnowledgeLoader: KnowledgeLoader {
    public init() {}

    public func load(configDirectory: String, into knowledge: inout Knowledge) throws(ConfigError) {
        do {
            try ClinicalKnowledge.load(configDirectory: configDirectory, into: &knowledge)
        } catch let e as KnowledgeLoadError {
            throw ConfigError(file: e.line.map { "\(e.file):\($0)" } ?? e.file, keyPath: e.key ?? "", "expected \(e.expected)")
        } catch {
            throw ConfigError(file: "clinical", "\(error)")
        }
    }
}
