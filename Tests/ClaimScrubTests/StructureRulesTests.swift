import Testing
@testable import ClaimScrub

@Suite struct ClaimRequiredFieldRuleTests {
    let rule = ClaimRequiredFieldRule()

    @Test func cleanClaimHasEverything() {
        #expect(Fixtures.hits(rule, Fixtures.clean).isEmpty)
    }

    @Test func reportsEachMissingFieldAtItsPointer() {
        let c = Fixtures.with {
            $0.claimId = " "
            $0.billingProvider = Provider(npi: "")
            $0.diagnoses = []
            $0.serviceLines = [ServiceLine(units: 0, serviceDate: DateField(""), diagnosisPointers: [1])]
        }
        #expect(Fixtures.hits(rule, c).map(\.path) == [
            "/claimId", "/billingProvider/npi", "/diagnoses",
            "/serviceLines/0/serviceDate", "/serviceLines/0/procedureCode", "/serviceLines/0/units",
        ])
    }

    @Test func missingServiceLinesAndProvider() {
        let c = Fixtures.with { $0.serviceLines = nil; $0.billingProvider = nil }
        #expect(Fixtures.hits(rule, c).map(\.path) == ["/billingProvider/npi", "/serviceLines"])
    }

    @Test func negativeUnitsAreReported() {
        let c = Fixtures.with { $0.serviceLines![0].units = -1 }
        #expect(Fixtures.hits(rule, c).map(\.path) == ["/serviceLines/0/units"])
    }
}

@Suite struct ClaimDxPointerRuleTests {
    let rule = ClaimDxPointerRule()

    func paths(_ pointers: [Int]?, dx: Int = 2) -> [String] {
        let c = Fixtures.with {
            $0.diagnoses = Array(Fixtures.dx("M54.6", "M54.9", "A18.01", "M51.24", "M54.50").prefix(dx))
            $0.serviceLines![0].diagnosisPointers = pointers
        }
        return Fixtures.hits(rule, c).map(\.path)
    }

    @Test func validPointersPass() {
        #expect(paths([1, 2]).isEmpty)
        #expect(paths([4, 3, 2, 1], dx: 5).isEmpty)
    }

    @Test func reportsMissingTooManyDuplicateAndOutOfRange() {
        #expect(paths(nil) == ["/serviceLines/0/diagnosisPointers"])
        #expect(paths([]) == ["/serviceLines/0/diagnosisPointers"])
        #expect(paths([1, 2, 3, 4, 5], dx: 5) == ["/serviceLines/0/diagnosisPointers"])
        #expect(paths([1, 1]) == ["/serviceLines/0/diagnosisPointers/1"])
        #expect(paths([1, 3]) == ["/serviceLines/0/diagnosisPointers/1"])
        #expect(paths([0]) == ["/serviceLines/0/diagnosisPointers/0"])
        #expect(paths([1], dx: 0) == ["/serviceLines/0/diagnosisPointers/0"])
    }
}

@Suite struct ClaimDxLimitRuleTests {
    @Test func twelveDiagnosesAreTheLimit() {
        let twelve = (0..<12).map { _ in DiagnosisEntry(raw: "M54.6") }
        #expect(Fixtures.hits(ClaimDxLimitRule(), Fixtures.with { $0.diagnoses = twelve }).isEmpty)
        let hits = Fixtures.hits(ClaimDxLimitRule(), Fixtures.with { $0.diagnoses = twelve + Fixtures.dx("M54.9") })
        #expect(hits.map(\.path) == ["/diagnoses"])
        #expect(hits.first?.codes == ["M54.9"])
    }
}

@Suite struct ClaimDxDuplicateRuleTests {
    @Test func sameCodeInAnotherSpellingIsADuplicate() {
        let hits = Fixtures.hits(ClaimDxDuplicateRule(), Fixtures.with { $0.diagnoses = Fixtures.dx("M546", "M54.9", "m54.6") })
        #expect(hits.map(\.path) == ["/diagnoses/2"])
        #expect(hits.first?.codes == ["M54.6"])
    }

    @Test func distinctCodesPass() {
        #expect(Fixtures.hits(ClaimDxDuplicateRule(), Fixtures.with { $0.diagnoses = Fixtures.dx("M54.6", "M54.9") }).isEmpty)
    }
}

@Suite struct ClaimDateRuleTests {
    let rule = ClaimDateRule()

    @Test func realPastDatesWithinTheFilingLimitPass() {
        #expect(Fixtures.hits(rule, Fixtures.clean).isEmpty)
    }

    @Test func impossibleDateIsReportedWithoutEchoingIt() {
        let hits = Fixtures.hits(rule, Fixtures.with { $0.serviceLines![0].serviceDate = DateField("2026-02-30") })
        #expect(hits.map(\.path) == ["/serviceLines/0/serviceDate"])
        #expect(!(hits.first?.message.contains("2026-02-30") ?? true))
    }

    @Test func futureDatesAreReported() {
        let c = Fixtures.with {
            $0.serviceLines![0].serviceDate = DateField("2026-06-02")
            $0.patient?.birthDate = DateField("2027-01-01")
        }
        #expect(Fixtures.hits(rule, c).map(\.path) == ["/patient/birthDate", "/serviceLines/0/serviceDate"])
        #expect(Fixtures.hits(rule, c, today: ServiceDate(iso: "2027-01-01")!).isEmpty)
    }

    @Test func endBeforeStartIsReported() {
        let c = Fixtures.with { $0.serviceLines![0].serviceDateEnd = DateField("2026-05-03") }
        #expect(Fixtures.hits(rule, c).map(\.path) == ["/serviceLines/0/serviceDateEnd"])
    }

    @Test func filingLimitDependsOnTheProfile() {
        // 2025-05-31 is 366 days before 2026-06-01: past Medicare's 365.
        let c = Fixtures.with { $0.serviceLines![0].serviceDate = DateField("2025-05-31") }
        let hits = Fixtures.hits(rule, c)
        #expect(hits.map(\.path) == ["/serviceLines/0/serviceDate"])
        #expect(hits.first?.usesAlternateDenial == true)
        let dayLater = Fixtures.with { $0.serviceLines![0].serviceDate = DateField("2025-06-01") }
        #expect(Fixtures.hits(rule, dayLater).isEmpty)
        #expect(Fixtures.hits(rule, c, profile: "default").isEmpty)
    }
}

@Suite struct ClaimNPIRuleTests {
    @Test(arguments: ["1234567893", "1245319599"])
    func validNPIsPass(npi: String) {
        #expect(ClaimNPIRule.isValidNPI(npi))
        #expect(Fixtures.hits(ClaimNPIRule(), Fixtures.with { $0.renderingProvider = Provider(npi: npi) }).isEmpty)
    }

    @Test(arguments: [("1234567890", "check-digit"), ("123456789", "10 digits"), ("12345678AB", "10 digits")])
    func invalidNPIsAreReported(npi: String, why: String) {
        let hits = Fixtures.hits(ClaimNPIRule(), Fixtures.with { $0.renderingProvider = Provider(npi: npi) })
        #expect(hits.map(\.path) == ["/renderingProvider/npi"])
        #expect(hits.first?.message.contains(why) == true)
    }

    @Test func missingNPIIsLeftToRequiredField() {
        #expect(Fixtures.hits(ClaimNPIRule(), Fixtures.with { $0.billingProvider = Provider(npi: "") }).isEmpty)
    }
}
