import Testing
@testable import ClaimScrub

/// The engine as shipped: Config/ with its real ICD-10-CM releases.
@Suite struct ShippedConfigTests {
    static let engine: ScrubEngine = try! ScrubEngine.load(configDirectory: Fixtures.configDirectory)

    func rules(_ edit: (inout Claim) -> Void) -> [String] {
        Self.engine.scrub(Fixtures.with(edit), today: Fixtures.today).findings.map(\.rule)
    }

    @Test func headerCodeSinceFY2022NamesItsChildren() throws {
        let r = Self.engine.scrub(Fixtures.with { $0.diagnoses = Fixtures.dx("M54.5") }, today: Fixtures.today)
        let f = try #require(r.findings.first { $0.rule == "DX_NOT_BILLABLE" })
        #expect(f.suggestion == "Report one of M54.50, M54.51 or M54.59.")
        #expect(r.status == .fail)
        #expect(r.codeSetVersion == "2026-04-01")
    }

    @Test func deletedCodeDependsOnTheDateOfService() {
        #expect(rules { $0.diagnoses = Fixtures.dx("S30.1XXA"); $0.serviceLines![0].serviceDate = DateField("2026-01-05") }
            .contains("DX_NOT_VALID_FOR_DOS"))
        let fy2025 = rules {
            $0.diagnoses = Fixtures.dx("S30.1XXA")
            $0.serviceLines![0].serviceDate = DateField("2025-01-05")
        }
        #expect(!fy2025.contains("DX_NOT_VALID_FOR_DOS") && !fy2025.contains("DX_INVALID"))
    }

    @Test func excludes1AndManifestationFromTheTabularNotes() {
        #expect(rules { $0.diagnoses = Fixtures.dx("M54.6", "M51.24") }.contains("DX_EXCLUDES1"))
        #expect(rules { $0.diagnoses = Fixtures.dx("M49.84", "A18.01") }.contains("DX_MANIFESTATION_PRIMARY"))
        #expect(!rules { $0.diagnoses = Fixtures.dx("A18.01", "M49.84") }.contains("DX_MANIFESTATION_PRIMARY"))
    }

    @Test func dateAfterTheNewestReleaseIsFlagged() {
        let r = Self.engine.scrub(Fixtures.with { $0.serviceLines![0].serviceDate = DateField("2026-10-01") },
                                  today: ServiceDate(iso: "2026-10-02")!)
        #expect(r.findings.map(\.rule).contains("DX_CODESET_UNAVAILABLE"))
    }
}
