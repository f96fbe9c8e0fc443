import Foundation
import Testing
@testable import ClaimScrub

/// The contract's examples through the whole engine as it ships (Config/, real code sets,
/// every registered rule pack): each comes out as its `.expect.json` says, and applying
/// its `fixes` and scrubbing again brings back none of the fixed findings and no new error.
@Suite struct ClinicalEngineExampleTests {
    static let engine: ScrubEngine = {
        do {
            return try ScrubEngine.load(configDirectory: clinicalRepoRoot.appendingPathComponent("Config").path)
        } catch {
            fatalError("the shipped Config does not load: \(error)")
        }
    }()
    static let today = ServiceDate(iso: "2026-06-01")!

    static let allNames: [String] = {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: ClinicalExampleTests.dir.path)) ?? []
        return files.filter { $0.hasSuffix(".claim.json") }.map { String($0.dropLast(".claim.json".count)) }.sorted()
    }()

    @Test func clinicalPackIsRegisteredAndLoaded() {
        let ids = Set(Self.engine.rules.map(\.id))
        #expect(ClinicalRules.all.allSatisfy { ids.contains($0.id) })
        #expect(Self.engine.knowledge[ProcedureTable.self] != nil)
        #expect(Self.engine.catalog().filter { !$0.implemented }.isEmpty)
    }

    @Test(arguments: allNames)
    func exampleComesOutAsExpected(name: String) throws {
        let dir = ClinicalExampleTests.dir
        let bytes = Array(try Data(contentsOf: dir.appendingPathComponent(name + ".claim.json")))
        let expect = try JSON.parse(Data(contentsOf: dir.appendingPathComponent(name + ".expect.json")))
        if let pointer = expect["errorPointer"]?.string {
            do {
                _ = try Self.engine.scrub(json: bytes, today: Self.today)
                Issue.record("\(name) must be an input error at \(pointer)")
            } catch {
                #expect(error.errors.map(\.pointer).contains(pointer))
            }
            return
        }
        let result = try Self.engine.scrub(json: bytes, today: Self.today)
        let raised = result.findings.map(\.rule)
        #expect(result.status.rawValue == expect["status"]?.string, "\(result.findings.map { "\($0.rule) \($0.path): \($0.message)" })")
        for rule in expect["rules"]?.strings ?? [] {
            #expect(raised.contains(rule), "\(rule) missing from \(raised)")
        }
        if let fixes = expect["fixes"]?.array {
            #expect(result.fixes.map(JSON.op) == fixes)
        }
    }

    @Test(arguments: allNames)
    func fixInvariantThroughTheEngine(name: String) throws {
        let dir = ClinicalExampleTests.dir
        let json = try JSON.parse(Data(contentsOf: dir.appendingPathComponent(name + ".claim.json")))
        guard let claim = try? ClaimDecoder.decode(json.bytes) else { return }
        try checkEngineInvariant(json, claim)
    }

    @Test(arguments: ClinicalFixInvariantTests.claims.map(\.0))
    func fixInvariantOfTestClaimsThroughTheEngine(label: String) throws {
        var (_, c, profile) = ClinicalFixInvariantTests.claims.first { $0.0 == label }!
        c.payer = Payer(id: nil, type: profile.name == "medicare" ? .medicare : .commercial)
        let json = jsonFromClaim(c)
        let claim = try ClaimDecoder.decode(json.bytes)
        #expect(!Self.engine.scrub(claim, today: Self.today).fixes.isEmpty)
        try checkEngineInvariant(json, claim)
    }

    func checkEngineInvariant(_ json: JSON, _ claim: Claim) throws {
        let engine = Self.engine
        let before = engine.scrub(claim, today: Self.today)
        // The findings whose rule offered a fix that the configuration applies.
        let context = engine.context(for: claim, today: Self.today)
        let settings = engine.configuration.profile(for: claim.payer).rules
        var fixed: Set<String> = []
        for rule in engine.rules where settings[rule.id]?.appliesFixes == true {
            for hit in rule.check(claim, context) where !hit.fix.isEmpty { fixed.insert("\(rule.id) \(hit.path)") }
        }
        let after = try engine.scrub(json: try applyPatch(before.fixes, to: json).bytes, today: Self.today)
        let back = after.findings.map { "\($0.rule) \($0.path)" }.filter(fixed.contains)
        #expect(back.isEmpty, "fixed findings came back: \(back)")
        let errorsBefore = Set(before.findings.filter { $0.severity == .error }.map(\.rule))
        let newErrors = after.findings.filter { $0.severity == .error && !errorsBefore.contains($0.rule) }
        #expect(newErrors.isEmpty, "new errors: \(newErrors.map { "\($0.rule) \($0.path): \($0.message)" })")
    }
}
