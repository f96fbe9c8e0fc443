import Foundation
import Testing
@testable import ClaimScrub

/// The contract's examples (copied into Fixtures/examples), run through the clinical pack.
/// The full-engine run (all rules, statuses from Config) lives with the engine's tests; here
/// the clinical rules must raise exactly the clinical rules each example expects.
@Suite struct ClinicalExampleTests {
    static let dir = clinicalRepoRoot.appendingPathComponent("Tests/ClaimScrubTests/Fixtures/examples")

    /// Every example that is a claim (the malformed one is a 400 of the decoder).
    static let names: [String] = {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return files.filter { $0.hasSuffix(".claim.json") }.map { String($0.dropLast(".claim.json".count)) }
            .filter { name in
                let expect = try? JSON.parse(Data(contentsOf: dir.appendingPathComponent(name + ".expect.json")))
                return expect?["httpStatus"] == nil
            }
            .sorted()
    }()

    static func load(_ name: String) throws -> (claim: JSON, expect: JSON) {
        (try JSON.parse(Data(contentsOf: dir.appendingPathComponent(name + ".claim.json"))),
         try JSON.parse(Data(contentsOf: dir.appendingPathComponent(name + ".expect.json"))))
    }

    @Test func fixturesArePresent() {
        #expect(Self.names.count >= 7)
    }

    @Test(arguments: names)
    func exampleRaisesExactlyItsClinicalRules(name: String) throws {
        let (json, expect) = try Self.load(name)
        let raised = scrubClinical(claimFromJSON(json))
        let clinicalIds = Set(ClinicalRules.all.map(\.id))
        let expected = Set(expect["rules"]?.strings ?? [])
        #expect(Set(raised.map(\.rule)) == expected.intersection(clinicalIds), "\(raised.map { ($0.rule, $0.hit.message) })")

        // Status from catalog severities: clinical hits plus the expected non-clinical rules.
        let severities = raised.map { catalogSeverity[$0.rule]! }
            + expected.subtracting(clinicalIds).map { catalogSeverity[$0]! }
        let status = severities.contains(.error) ? "fail" : severities.contains(.warning) ? "review" : "pass"
        #expect(status == expect["status"]?.string)

        if let fixes = expect["fixes"]?.array {
            let ours = try raised.flatMap(\.hit.fix).map { op -> JSON in
                guard case .replace(let path, let value) = op else { throw PatchError(description: "unexpected op") }
                return .object(["op": .string("replace"), "path": .string(path), "value": JSON(value)])
            }
            #expect(ours == fixes)
        }
    }

    @Test func dorsalgiaExampleQuotesThePhraseAndNamesTheCode() throws {
        let (json, _) = try Self.load("unspecified-dorsalgia-documented-thoracic")
        let hit = try #require(scrubClinical(claimFromJSON(json)).first { $0.rule == "DX_UNSPECIFIED" }?.hit)
        #expect(hit.path == "/diagnoses/0")
        #expect(hit.evidence == "notes: \"between the shoulder blades\"")
        #expect(hit.message == "M54.9 (Dorsalgia, unspecified) is unspecified, but the documentation places the pain in the thoracic spine: report M54.6.")
        #expect(hit.suggestion == "Replace M54.9 with M54.6 (Pain in thoracic spine).")
        #expect(hit.reference == "ICD-10-CM Official Guidelines I.B; Tabular M54.6")
    }

    @Test func scoliosisExampleFixMovesTheDefinitiveCodeAndKeepsPointers() throws {
        let (json, _) = try Self.load("pain-coded-before-scoliosis")
        let fix = scrubClinical(claimFromJSON(json)).flatMap(\.hit.fix)
        let fixed = try applyPatch(fix, to: json)
        #expect(fixed["diagnoses"]?.strings == ["M41.24", "M54.6"])
        // Line 0 pointed at [M54.6, M41.24]; it still does.
        #expect(fixed["serviceLines"]?.array?[0]["diagnosisPointers"] == .array([.int(2), .int(1)]))
    }
}
