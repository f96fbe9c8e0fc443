/// How serious a finding is; the order is the order findings are listed in.
public enum Severity: String, Sendable, Comparable, CaseIterable {
    case error, warning, info

    private var rank: Int {
        switch self {
        case .error: 0
        case .warning: 1
        case .info: 2
        }
    }
    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
}

/// The catalog's categories (API.md §4).
public enum RuleCategory: String, Sendable, CaseIterable {
    case structure, validity, specificity, sequencing, pairing, documentation, units, ncci, modifier
}

/// The likely payer denial: group code, CARC, RARCs (`CO-16 M81`).
public struct LikelyDenial: Sendable, Equatable, Hashable {
    public var group: String
    public var carc: String
    public var rarc: [String]
    public init(group: String, carc: String, rarc: [String] = []) {
        self.group = group
        self.carc = carc
        self.rarc = rarc
    }
}

/// One RFC 6902 operation. Only the operations the engine emits.
public enum PatchOperation: Sendable, Equatable, Hashable {
    case replace(path: String, value: PatchValue)
    case add(path: String, value: PatchValue)
    case remove(path: String)
    case move(from: String, path: String)

    public var path: String {
        switch self {
        case .replace(let p, _), .add(let p, _), .remove(let p), .move(_, let p): p
        }
    }
}

/// The JSON values a fix may write.
public enum PatchValue: Sendable, Equatable, Hashable {
    case string(String)
    case int(Int)
    case intArray([Int])
    case stringArray([String])
}

/// What a rule reports. Severity, weight, likely denial and reference are filled in by
/// the engine from the rule's configuration (and the payer profile), not by the rule.
public struct RuleHit: Sendable, Equatable {
    /// RFC 6901 pointer into the request claim (`/diagnoses/0`).
    public var path: String
    public var message: String
    /// Codes the finding is about, dotted upper case for diagnoses.
    public var codes: [String]
    public var suggestion: String?
    /// The documented fact the finding rests on (`documentation.painRegions: thoracic`).
    public var evidence: String?
    /// Safe automatic fix, applied only if the rule's configuration allows fixes.
    public var fix: [PatchOperation]
    /// Overrides the configured reference when the hit cites something specific (an NCCI edit).
    public var reference: String?
    /// Overrides the configured denial when the hit knows better (CO-29 for the filing limit).
    public var likelyDenial: LikelyDenial?
    /// Asks for the rule's configured `alternateDenial` (CO-29 for the filing limit,
    /// CO-50 N115 for an LCD): configurable, unlike `likelyDenial`, which wins if both are set.
    public var usesAlternateDenial: Bool

    /// Not inlined: built inline, the value was laid out twice on the stack, one image copied
    /// (every string and array retained) into place and the other destroyed (all released again)
    /// on its way into an array; called, it is written once, straight into the result.
    @inline(never)
    public init(
        path: String, message: String, codes: [String] = [], suggestion: String? = nil,
        evidence: String? = nil, fix: [PatchOperation] = [], reference: String? = nil,
        likelyDenial: LikelyDenial? = nil, usesAlternateDenial: Bool = false
    ) {
        self.usesAlternateDenial = usesAlternateDenial
        self.path = path
        self.message = message
        self.codes = codes
        self.suggestion = suggestion
        self.evidence = evidence
        self.fix = fix
        self.reference = reference
        self.likelyDenial = likelyDenial
    }
}

/// A finding as it appears in the result (API.md §3).
public struct Finding: Sendable, Equatable {
    public var rule: String
    public var category: RuleCategory
    public var severity: Severity
    public var message: String
    public var path: String
    public var codes: [String]
    public var suggestion: String?
    public var evidence: String?
    public var likelyDenial: LikelyDenial?
    public var reference: String?
    /// The configured weight, for the denial risk; not part of the JSON result.
    public var weight: Double

    /// Not inlined: built inline, the value was laid out twice on the stack, one image copied
    /// (every string and array retained) into place and the other destroyed (all released again)
    /// on its way into an array; called, it is written once, straight into the result.
    @inline(never)
    public init(
        rule: String, category: RuleCategory, severity: Severity, message: String, path: String,
        codes: [String] = [], suggestion: String? = nil, evidence: String? = nil,
        likelyDenial: LikelyDenial? = nil, reference: String? = nil, weight: Double = 0
    ) {
        self.rule = rule
        self.category = category
        self.severity = severity
        self.message = message
        self.path = path
        self.codes = codes
        self.suggestion = suggestion
        self.evidence = evidence
        self.likelyDenial = likelyDenial
        self.reference = reference
        self.weight = weight
    }
}

public enum ClaimStatus: String, Sendable {
    case pass, review, fail
}

public enum RiskLevel: String, Sendable {
    case low, medium, high
}

public struct DenialRisk: Sendable, Equatable {
    public var score: Int
    public var level: RiskLevel
    public init(score: Int, level: RiskLevel) {
        self.score = score
        self.level = level
    }
}

public struct Summary: Sendable, Equatable {
    public var errors: Int
    public var warnings: Int
    public var info: Int
    public init(errors: Int, warnings: Int, info: Int) {
        self.errors = errors
        self.warnings = warnings
        self.info = info
    }
}

/// The result of scrubbing one claim (API.md §3).
public struct ScrubResult: Sendable {
    public var claimId: String?
    public var status: ClaimStatus
    public var denialRisk: DenialRisk
    public var summary: Summary
    public var findings: [Finding]
    public var fixes: [PatchOperation]
    /// `codeSet.version`, e.g. `2026-04-01`.
    public var codeSetVersion: String
    public var rulesVersion: String

    public init(
        claimId: String?, status: ClaimStatus, denialRisk: DenialRisk, summary: Summary,
        findings: [Finding], fixes: [PatchOperation], codeSetVersion: String, rulesVersion: String
    ) {
        self.claimId = claimId
        self.status = status
        self.denialRisk = denialRisk
        self.summary = summary
        self.findings = findings
        self.fixes = fixes
        self.codeSetVersion = codeSetVersion
        self.rulesVersion = rulesVersion
    }
}
