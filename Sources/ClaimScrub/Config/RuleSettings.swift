/// How one rule behaves for one payer profile: from `Config/rules.yaml`, with the
/// profile's overrides (`Config/profiles.yaml`) applied.
public struct RuleSettings: Sendable, Equatable {
    public var id: String
    public var category: RuleCategory
    public var severity: Severity
    /// 0…1: this finding's share of the denial risk.
    public var weight: Double
    public var likelyDenial: LikelyDenial?
    /// A second denial a hit may ask for (`CLAIM_DATE` past the filing limit → CO-29).
    public var alternateDenial: LikelyDenial?
    public var reference: String?
    /// One line for the catalog (`GET /v1/rules`).
    public var description: String
    /// Whether this rule's fixes go into the result's `fixes`.
    public var appliesFixes: Bool
    /// A profile may switch a rule off.
    public var enabled: Bool

    public init(
        id: String, category: RuleCategory, severity: Severity, weight: Double,
        likelyDenial: LikelyDenial? = nil, alternateDenial: LikelyDenial? = nil, reference: String? = nil,
        description: String = "", appliesFixes: Bool = false, enabled: Bool = true
    ) {
        self.id = id
        self.category = category
        self.severity = severity
        self.weight = weight
        self.likelyDenial = likelyDenial
        self.alternateDenial = alternateDenial
        self.reference = reference
        self.description = description
        self.appliesFixes = appliesFixes
        self.enabled = enabled
    }
}

/// A payer profile with its rule settings resolved (base profile and overrides merged).
public struct ResolvedProfile: Sendable {
    public var profile: PayerProfile
    public var rules: [String: RuleSettings]
    public init(profile: PayerProfile, rules: [String: RuleSettings]) {
        self.profile = profile
        self.rules = rules
    }
}

/// Everything `Config/rules.yaml` and `Config/profiles.yaml` say, validated.
public struct EngineConfiguration: Sendable {
    /// `version` of rules.yaml plus a short hash of the configuration bytes: `2026.11.0+3f2a9c1`.
    public var rulesVersion: String
    /// The base settings of every rule, in file order.
    public var rules: [RuleSettings]
    /// Every profile by name (`default`, `medicare`, …, payer ids like `MEDICARE-JL`).
    public var profiles: [String: ResolvedProfile]

    public init(rulesVersion: String, rules: [RuleSettings], profiles: [String: ResolvedProfile]) {
        self.rulesVersion = rulesVersion
        self.rules = rules
        self.profiles = profiles
    }

    /// The profile for a payer: `payer.id` if a profile has that name, else `payer.type`'s
    /// profile, else `default`.
    public func profile(for payer: Payer?) -> ResolvedProfile {
        if let id = payer?.id, let p = profiles[id] { return p }
        if let t = payer?.type, let p = profiles[t.profileName] { return p }
        return profiles["default"]!
    }
}

/// The contract's rule catalog (API.md §4): every id the configuration may name.
/// Ids are stable; new rules are added here, in `Config/rules.yaml` and as one file.
public enum RuleCatalog {
    public static let categories: [String: RuleCategory] = [
        "CLAIM_REQUIRED_FIELD": .structure, "CLAIM_DX_POINTER": .structure, "CLAIM_DX_LIMIT": .structure,
        "CLAIM_DX_DUPLICATE": .structure, "CLAIM_DATE": .structure, "CLAIM_NPI": .structure,
        "DX_INVALID": .validity, "DX_NOT_BILLABLE": .validity, "DX_NOT_VALID_FOR_DOS": .validity,
        "DX_CODESET_UNAVAILABLE": .validity, "DX_UNSPECIFIED": .specificity, "DX_EXCLUDES1": .sequencing,
        "DX_SYMPTOM_PRIMARY": .sequencing, "DX_MANIFESTATION_PRIMARY": .sequencing,
        "PAIR_DX_PROCEDURE": .pairing, "DOC_MISSING": .documentation, "TIMED_MINUTES_MISSING": .units,
        "TIMED_UNITS": .units, "NCCI_PTP": .ncci, "NCCI_MUE": .ncci, "MOD_25": .modifier, "MOD_THERAPY": .modifier,
    ]
}
