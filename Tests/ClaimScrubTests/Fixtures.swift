import Testing
@testable import ClaimScrub

/// Small in-memory code sets and the repository's own Config, shared by engine and rule tests.
enum Fixtures {
    static let today = ServiceDate(iso: "2026-06-01")!

    static func code(_ s: String) -> ICD10Code { ICD10Code(s)! }

    static func entry(
        _ c: String, _ d: String, billable: Bool = true, parent: String? = nil,
        excludes1: [CodePattern] = [], manifestation: Bool = false
    ) -> CodeEntry {
        CodeEntry(code: code(c), description: d, billable: billable, parent: parent.map(code),
                  excludes1: excludes1, manifestation: manifestation)
    }

    static let common: [CodeEntry] = [
        entry("M54", "Dorsalgia", billable: false, excludes1: [.code(code("F45.41"))]),
        entry("F45.41", "Pain disorder exclusively related to psychological factors"),
        entry("M54.5", "Low back pain", billable: false, parent: "M54"),
        entry("M54.50", "Low back pain, unspecified", parent: "M54.5"),
        entry("M54.51", "Vertebrogenic low back pain", parent: "M54.5"),
        entry("M54.59", "Other low back pain", parent: "M54.5"),
        entry("M54.6", "Pain in thoracic spine", parent: "M54", excludes1: [.prefix("M51")]),
        entry("M54.9", "Dorsalgia, unspecified", parent: "M54"),
        entry("M51", "Thoracic, thoracolumbar and lumbosacral intervertebral disc disorders", billable: false),
        entry("M51.2", "Other thoracic, thoracolumbar and lumbosacral intervertebral disc displacement", billable: false, parent: "M51"),
        entry("M51.24", "Other intervertebral disc displacement, thoracic region", parent: "M51.2"),
        entry("M49", "Spondylopathies in diseases classified elsewhere", billable: false, manifestation: true),
        entry("M49.8", "Spondylopathy in diseases classified elsewhere", billable: false, parent: "M49"),
        entry("M49.84", "Spondylopathy in diseases classified elsewhere, thoracic region", parent: "M49.8"),
        entry("A18", "Tuberculosis of other organs", billable: false),
        entry("A18.01", "Tuberculosis of spine", parent: "A18"),
    ]

    static let fy2025 = CodeSet(
        version: "2025", validFrom: ServiceDate(iso: "2024-10-01")!, validThrough: ServiceDate(iso: "2025-09-30")!,
        entries: common + [
            entry("S30", "Superficial injury of abdomen, lower back, pelvis and external genitals", billable: false),
            entry("S30.1", "Contusion of abdominal wall", billable: false, parent: "S30"),
            entry("S30.1XXA", "Contusion of abdominal wall, initial encounter", parent: "S30.1"),
        ])

    static let fy2026 = CodeSet(
        version: "2026-04-01", validFrom: ServiceDate(iso: "2025-10-01")!, validThrough: ServiceDate(iso: "2026-09-30")!,
        entries: common)

    static let library = CodeSetLibrary(releases: [fy2026, fy2025])

    /// The repository's Config/ (tests read the shipped configuration).
    static let configDirectory: String = {
        var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        return parts.joined(separator: "/") + "/Config"
    }()

    static let configuration: EngineConfiguration = try! ConfigLoader.load(configDirectory: configDirectory)

    /// The rules of this package only (structure and validity), so these tests do not
    /// change when other rule packs join `RulePacks.rules`.
    static let foundationRules: [any Rule] = RulePacks.structureRules + RulePacks.validityRules

    static let engine: ScrubEngine = try! ScrubEngine(configuration: configuration, library: library, rules: foundationRules)

    /// A claim every rule of this package passes: Medicare, a valid NPI, M54.6, one timed line.
    static var clean: Claim {
        Claim(
            claimId: "CLM-1", payer: Payer(id: "MEDICARE-JL", type: .medicare),
            patient: Patient(birthDate: DateField("1961-04-12"), sex: "F"),
            billingProvider: Provider(npi: "1234567893"), placeOfService: "11",
            diagnoses: [DiagnosisEntry(raw: "M54.6")],
            serviceLines: [ServiceLine(
                procedureCode: ProcedureCode("97110"), modifiers: [Modifier("GP")], units: 2, chargeAmount: 90,
                serviceDate: DateField("2026-05-04"), diagnosisPointers: [1], minutes: 30)])
    }

    static func with(_ edit: (inout Claim) -> Void) -> Claim {
        var c = clean
        edit(&c)
        return c
    }

    static func dx(_ codes: String...) -> [DiagnosisEntry] { codes.map(DiagnosisEntry.init(raw:)) }

    /// The hits of one rule on a claim, through the engine's context.
    static func hits(_ rule: any Rule, _ claim: Claim, today: ServiceDate = today, profile: String? = nil) -> [RuleHit] {
        var ctx = engine.context(for: claim, today: today)
        if let profile { ctx.profile = configuration.profiles[profile]!.profile }
        return rule.check(claim, ctx)
    }
}
