/// A check the engine runs on every claim. Adding a rule is one file that conforms to
/// this and one entry in `Config/rules.yaml` (severity, weight, likely denial, reference).
///
/// A rule reports *what* is wrong and where (`RuleHit`); the engine decorates each hit
/// with the configured severity, weight and denial for the claim's payer profile.
///
/// The shipped rules declare `id` and `category` as computed properties, so each is an
/// empty value and calling it through `any Rule` copies nothing (stored strings were
/// retained and released on every call of every claim).
public protocol Rule: Sendable {
    /// The stable id of the contract's catalog (`DX_NOT_BILLABLE`).
    var id: String { get }
    var category: RuleCategory { get }
    func check(_ claim: Claim, _ context: RuleContext) -> [RuleHit]
    /// True for checks that read treatment minutes or `documentation`: the engine skips
    /// them for claims whose format cannot carry that data (`ClaimOrigin.x12`).
    var needsChartData: Bool { get }
}

extension Rule {
    public var needsChartData: Bool { false }
}

/// Everything a rule may consult besides the claim. Built once per claim by the engine.
///
/// What does not change from claim to claim (library, profile, knowledge and its tables) is
/// held behind one reference the engine builds once per profile: a context is then three
/// references to retain and release, where it was six (and two of them strings or dictionaries).
public struct RuleContext: Sendable {
    /// The release chosen for the claim's dates of service.
    public var codeSet: CodeSet
    /// True when no loaded release covers the claim's dates of service.
    public var codeSetCoversDates: Bool
    /// Today, for future dates and filing limits; tests pin it.
    public var today: ServiceDate
    private var shared: RuleContextShared
    /// The facts the engine derived once from the claim being scrubbed; nil in a context
    /// built otherwise (rule tests), where `facts(of:)` derives them on each call.
    var claimFacts: ClaimFacts?

    /// Every loaded release, newest last (to tell "invalid" from "not valid on that date").
    public var library: CodeSetLibrary {
        get { shared.library }
        set { shared = RuleContextShared(library: newValue, profile: profile, knowledge: knowledge, tables: tables) }
    }
    /// The payer profile in force (`default`, `medicare`, a payer id …).
    public var profile: PayerProfile {
        get { shared.profile }
        set { shared = RuleContextShared(library: library, profile: newValue, knowledge: knowledge, tables: tables) }
    }
    /// Data the clinical rules read (lexicon, procedure table, NCCI/MUE …), keyed by name.
    public var knowledge: Knowledge {
        get { shared.knowledge }
        set {
            shared = RuleContextShared(library: library, profile: profile, knowledge: newValue, tables: KnowledgeTables(newValue))
        }
    }
    /// `knowledge`'s tables read once: a `Knowledge` read is a dictionary lookup and a
    /// dynamic cast, which a dozen rules each did on every claim.
    var tables: KnowledgeTables { shared.tables }

    /// The shared facts of `claim`: the engine's, or freshly derived.
    func facts(of claim: Claim) -> ClaimFacts {
        claimFacts ?? ClaimFacts(
            claim, codeSet: (codeSet, codeSetCoversDates), library: library, tables: tables, today: today, profile: profile)
    }

    public init(
        codeSet: CodeSet, library: CodeSetLibrary, codeSetCoversDates: Bool,
        profile: PayerProfile, today: ServiceDate, knowledge: Knowledge
    ) {
        self.init(
            codeSet: codeSet, library: library, codeSetCoversDates: codeSetCoversDates, profile: profile,
            today: today, knowledge: knowledge, tables: KnowledgeTables(knowledge))
    }

    init(
        codeSet: CodeSet, library: CodeSetLibrary, codeSetCoversDates: Bool,
        profile: PayerProfile, today: ServiceDate, knowledge: Knowledge, tables: KnowledgeTables,
        claimFacts: ClaimFacts? = nil
    ) {
        self.init(
            codeSet: codeSet, codeSetCoversDates: codeSetCoversDates, today: today,
            shared: RuleContextShared(library: library, profile: profile, knowledge: knowledge, tables: tables),
            claimFacts: claimFacts)
    }

    init(
        codeSet: CodeSet, codeSetCoversDates: Bool, today: ServiceDate, shared: RuleContextShared,
        claimFacts: ClaimFacts? = nil
    ) {
        self.codeSet = codeSet
        self.codeSetCoversDates = codeSetCoversDates
        self.today = today
        self.shared = shared
        self.claimFacts = claimFacts
    }
}

/// The part of `RuleContext` that is the same for every claim of a profile.
final class RuleContextShared: Sendable {
    let library: CodeSetLibrary
    let profile: PayerProfile
    let knowledge: Knowledge
    let tables: KnowledgeTables

    init(library: CodeSetLibrary, profile: PayerProfile, knowledge: Knowledge, tables: KnowledgeTables) {
        self.library = library
        self.profile = profile
        self.knowledge = knowledge
        self.tables = tables
    }
}

/// A payer profile's settings beyond per-rule overrides.
public struct PayerProfile: Sendable {
    public var name: String
    /// Days from the date of service within which the claim must be filed (Medicare: 365).
    public var filingLimitDays: Int?
    /// `medicare` (total timed minutes of the date) or `per-code`.
    public var timedUnitMethod: TimedUnitMethod
    /// Whether therapy codes need GP, GO or GN.
    public var requiresTherapyModifier: Bool

    public init(
        name: String, filingLimitDays: Int? = nil, timedUnitMethod: TimedUnitMethod = .medicare,
        requiresTherapyModifier: Bool = false
    ) {
        self.name = name
        self.filingLimitDays = filingLimitDays
        self.timedUnitMethod = timedUnitMethod
        self.requiresTherapyModifier = requiresTherapyModifier
    }
}

public enum TimedUnitMethod: String, Sendable {
    /// CMS: total timed minutes of the date (8-minute rule across codes).
    case medicare
    /// Each code on its own: minutes ÷ 15, plus one when the remainder is 8 or more.
    case perCode = "per-code"
}

/// The clinical and payer data that rules consult, loaded from Config. Each rule pack
/// adds its own typed values here; the engine foundation carries it through untouched.
public struct Knowledge: Sendable {
    private var storage: [ObjectIdentifier: any Sendable] = [:]
    public init() {}
    public subscript<T: Sendable>(_ type: T.Type) -> T? {
        get { storage[ObjectIdentifier(type)] as? T }
        set { storage[ObjectIdentifier(type)] = newValue }
    }
}
