/// Rule packs plug in here: their rules and the data those rules read from Config.
///
/// A pack adds its `Rule` values to `rules` and, if its rules need data (lexicon,
/// coverage, NCCI/MUE tables …), a `KnowledgeLoader` to `knowledgeLoaders`. Nothing
/// else in the engine changes; every rule id also needs an entry in `Config/rules.yaml`.
public enum RulePacks {
    /// Every rule the engine runs, in this order (findings are sorted afterwards).
    public static let rules: [any Rule] = structureRules + validityRules + ClinicalRules.all

    /// Loaders run by `ScrubEngine.load(configDirectory:)`, in order, into one `Knowledge`.
    // ── Rule packs: add your KnowledgeLoader here. ──
    public static let knowledgeLoaders: [any KnowledgeLoader] = [ClinicalKnowledgeLoader()]

    public static let structureRules: [any Rule] = [
        ClaimRequiredFieldRule(), ClaimDxPointerRule(), ClaimDxLimitRule(), ClaimDxDuplicateRule(),
        ClaimDateRule(), ClaimNPIRule(),
    ]

    public static let validityRules: [any Rule] = [
        DxInvalidRule(), DxNotBillableRule(), DxNotValidForDOSRule(), DxCodeSetUnavailableRule(),
        DxExcludes1Rule(), DxManifestationPrimaryRule(),
    ]
}

/// Reads one rule pack's data from the configuration directory into `Knowledge`
/// (e.g. `knowledge[NCCITable.self] = try NCCITable.load(dir + "/ncci/ptp.txt")`).
public protocol KnowledgeLoader: Sendable {
    /// Errors name the file and key (`ConfigError`).
    func load(configDirectory: String, into knowledge: inout Knowledge) throws(ConfigError)
}
