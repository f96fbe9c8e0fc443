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

/// What every finding of one rule under one payer profile shares: made once per plan step
/// (and once more for a hit that overrides its denial or reference), so that a finding holds
/// one reference to it instead of retaining and releasing the rule id, denial (with its RARC
/// array) and reference separately.
final class RuleStamp: Sendable {
    let rule: String
    let category: RuleCategory
    let severity: Severity
    let weight: Double
    let likelyDenial: LikelyDenial?
    let reference: String?

    init(rule: String, category: RuleCategory, severity: Severity, weight: Double, likelyDenial: LikelyDenial?, reference: String?) {
        self.rule = rule
        self.category = category
        self.severity = severity
        self.weight = weight
        self.likelyDenial = likelyDenial
        self.reference = reference
    }

    /// This stamp with a hit's own denial and/or reference in place of the configured ones.
    func overriding(likelyDenial: LikelyDenial?, reference: String?) -> RuleStamp {
        RuleStamp(
            rule: rule, category: category, severity: severity, weight: weight,
            likelyDenial: likelyDenial ?? self.likelyDenial, reference: reference ?? self.reference)
    }

    func with(
        rule: String? = nil, category: RuleCategory? = nil, severity: Severity? = nil, weight: Double? = nil,
        likelyDenial: LikelyDenial?? = nil, reference: String?? = nil
    ) -> RuleStamp {
        RuleStamp(
            rule: rule ?? self.rule, category: category ?? self.category, severity: severity ?? self.severity,
            weight: weight ?? self.weight, likelyDenial: likelyDenial ?? self.likelyDenial, reference: reference ?? self.reference)
    }
}

/// A finding's codes: nearly always one or two, held inline (an array was an allocation per
/// finding, and its destroy a generic element loop).
enum FindingCodes: Sendable, Equatable {
    case none
    case one(String)
    case two(String, String)
    case many([String])

    init(_ codes: [String]) {
        switch codes.count {
        case 0: self = .none
        case 1: self = .one(codes[0])
        case 2: self = .two(codes[0], codes[1])
        default: self = .many(codes)
        }
    }

    var array: [String] {
        switch self {
        case .none: []
        case .one(let a): [a]
        case .two(let a, let b): [a, b]
        case .many(let codes): codes
        }
    }

    static func == (a: FindingCodes, b: FindingCodes) -> Bool { a.array == b.array }
}

/// A finding as it appears in the result (API.md §3).
public struct Finding: Sendable, Equatable {
    /// Rule id, category, severity, weight, denial and reference.
    var stamp: RuleStamp
    /// The message, or the message and the suggestion in one string when `suggestionStart` is
    /// set (a rule writing both sentences at once makes one allocation instead of two).
    var text: String
    /// Where the suggestion begins in `text` (UTF-8 offset); nil when `text` is the message alone.
    var suggestionStart: Int?
    /// The suggestion when it is a string of its own.
    var separateSuggestion: String?
    public var path: String
    var codeList: FindingCodes
    public var evidence: String?
    /// A hit's own reference (an NCCI edit's), in place of the stamp's: a stamp of its own
    /// was an allocation per such finding.
    var referenceOverride: String?

    public var message: String {
        get {
            guard let start = suggestionStart else { return text }
            return String(decoding: text.utf8.prefix(start), as: UTF8.self)
        }
        set {
            separate()
            text = newValue
        }
    }
    public var suggestion: String? {
        get {
            guard let start = suggestionStart else { return separateSuggestion }
            return String(decoding: text.utf8.dropFirst(start), as: UTF8.self)
        }
        set {
            separate()
            separateSuggestion = newValue
        }
    }

    /// `text` made the message alone, the suggestion moved to a string of its own.
    private mutating func separate() {
        guard suggestionStart != nil else { return }
        let (m, s) = (message, suggestion)
        text = m
        separateSuggestion = s
        suggestionStart = nil
    }

    public var rule: String {
        get { stamp.rule }
        set { stamp = stamp.with(rule: newValue) }
    }
    public var category: RuleCategory {
        get { stamp.category }
        set { stamp = stamp.with(category: newValue) }
    }
    public var severity: Severity {
        get { stamp.severity }
        set { stamp = stamp.with(severity: newValue) }
    }
    public var codes: [String] {
        get { codeList.array }
        set { codeList = FindingCodes(newValue) }
    }
    public var likelyDenial: LikelyDenial? {
        get { stamp.likelyDenial }
        set { stamp = stamp.with(likelyDenial: .some(newValue)) }
    }
    public var reference: String? {
        get { referenceOverride ?? stamp.reference }
        set {
            referenceOverride = nil
            stamp = stamp.with(reference: .some(newValue))
        }
    }
    /// The configured weight, for the denial risk; not part of the JSON result.
    public var weight: Double {
        get { stamp.weight }
        set { stamp = stamp.with(weight: newValue) }
    }

    public init(
        rule: String, category: RuleCategory, severity: Severity, message: String, path: String,
        codes: [String] = [], suggestion: String? = nil, evidence: String? = nil,
        likelyDenial: LikelyDenial? = nil, reference: String? = nil, weight: Double = 0
    ) {
        self.init(
            stamp: RuleStamp(
                rule: rule, category: category, severity: severity, weight: weight, likelyDenial: likelyDenial, reference: reference),
            text: message, suggestionStart: nil, separateSuggestion: suggestion, path: path, codes: FindingCodes(codes),
            evidence: evidence)
    }

    @inline(__always)
    init(
        stamp: consuming RuleStamp, text: consuming String, suggestionStart: Int?, separateSuggestion: consuming String?,
        path: consuming String, codes: consuming FindingCodes, evidence: consuming String?
    ) {
        self.stamp = stamp
        self.text = text
        self.suggestionStart = suggestionStart
        self.separateSuggestion = separateSuggestion
        self.path = path
        self.codeList = codes
        self.evidence = evidence
        self.referenceOverride = nil
    }

    /// An empty finding for the engine to append and fill in place (a finding built whole on
    /// its way into the array was laid out twice, one image copied and the other destroyed).
    static let blank = Finding(
        stamp: RuleStamp(rule: "", category: .structure, severity: .info, weight: 0, likelyDenial: nil, reference: nil),
        text: "", suggestionStart: nil, separateSuggestion: nil, path: "", codes: .none, evidence: nil)

    public static func == (a: Finding, b: Finding) -> Bool {
        guard a.message == b.message, a.path == b.path, a.codeList == b.codeList,
              a.suggestion == b.suggestion, a.evidence == b.evidence else { return false }
        if a.stamp === b.stamp { return a.reference == b.reference }
        return a.rule == b.rule && a.category == b.category && a.severity == b.severity
            && a.likelyDenial == b.likelyDenial && a.reference == b.reference && a.weight == b.weight
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
