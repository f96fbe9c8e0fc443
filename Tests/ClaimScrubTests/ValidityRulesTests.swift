import Testing
@testable import ClaimScrub

@Suite struct DxInvalidRuleTests {
    @Test func codesOfAnyLoadedReleasePass() {
        // S30.1XXA is only in FY2025: not invalid, just not valid on a FY2026 date.
        #expect(Fixtures.hits(DxInvalidRule(), Fixtures.with { $0.diagnoses = Fixtures.dx("M54.6", "s301xxa") }).isEmpty)
    }

    @Test func unknownCodeAndNonCodeAreReported() {
        let hits = Fixtures.hits(DxInvalidRule(), Fixtures.with { $0.diagnoses = Fixtures.dx("M54.6", "Z99.999", "Jane Doe") })
        #expect(hits.map(\.path) == ["/diagnoses/1", "/diagnoses/2"])
        #expect(hits[0].codes == ["Z99.999"])
        #expect(!hits[1].message.contains("Jane"))
    }
}

@Suite struct DxNotBillableRuleTests {
    @Test func headerSuggestsItsBillableChildren() {
        let hits = Fixtures.hits(DxNotBillableRule(), Fixtures.with { $0.diagnoses = Fixtures.dx("M54.5") })
        #expect(hits.map(\.path) == ["/diagnoses/0"])
        #expect(hits.first?.suggestion == "Report one of M54.50, M54.51 or M54.59.")
        #expect(hits.first?.message.contains("M54.5 (Low back pain)") == true)
    }

    @Test func categoryHeaderListsDescendants() {
        let hits = Fixtures.hits(DxNotBillableRule(), Fixtures.with { $0.diagnoses = Fixtures.dx("M54") })
        #expect(hits.first?.suggestion == "Report one of M54.50, M54.51, M54.59, M54.6 or M54.9.")
    }

    @Test func headerTextsWithoutAndWithManyLeaves() {
        let set = CodeSet(
            version: "T1", validFrom: ServiceDate(iso: "2025-10-01")!, validThrough: ServiceDate(iso: "2026-09-30")!,
            entries: [Fixtures.entry("Z97", "Empty header", billable: false),
                      Fixtures.entry("Z98", "Many children", billable: false),
                      Fixtures.entry("Z98.0", "Subheader", billable: false, parent: "Z98"),
                      Fixtures.entry("Z98.1", "Leaf", parent: "Z98")]
                + (0...9).map { Fixtures.entry("Z98.0\($0)", "Leaf \($0)", parent: "Z98.0") })
        let context = RuleContext(
            codeSet: set, library: CodeSetLibrary(releases: [set]), codeSetCoversDates: true,
            profile: Fixtures.configuration.profiles["default"]!.profile, today: Fixtures.today, knowledge: Knowledge())
        let hits = DxNotBillableRule().check(Fixtures.with { $0.diagnoses = Fixtures.dx("Z97", "Z98") }, context)
        #expect(hits.map(\.message) == [
            "Z97 (Empty header) is a header code, not valid for submission in ICD-10-CM T1.",
            "Z98 (Many children) is a header code, not valid for submission in ICD-10-CM T1.",
        ])
        #expect(hits.map(\.suggestion) == [
            "Report a billable code more specific than Z97.",
            "Report one of the 11 billable codes under Z98, e.g. Z98.00, Z98.01, Z98.02, Z98.03, Z98.04, Z98.05, Z98.06, "
                + "Z98.07, Z98.08, Z98.09.",
        ])
    }

    @Test func billableCodePasses() {
        #expect(Fixtures.hits(DxNotBillableRule(), Fixtures.with { $0.diagnoses = Fixtures.dx("M54.50") }).isEmpty)
    }
}

@Suite struct DxNotValidForDOSRuleTests {
    @Test func deletedCodeOnALaterDateIsReported() {
        let c = Fixtures.with {
            $0.diagnoses = Fixtures.dx("S30.1XXA")
            $0.serviceLines![0].serviceDate = DateField("2026-01-05")
        }
        let hits = Fixtures.hits(DxNotValidForDOSRule(), c)
        #expect(hits.map(\.path) == ["/diagnoses/0"])
        #expect(hits.first?.codes == ["S30.1XXA"])
    }

    @Test func sameCodeInItsOwnYearPasses() {
        let c = Fixtures.with {
            $0.diagnoses = Fixtures.dx("S30.1XXA")
            $0.serviceLines![0].serviceDate = DateField("2025-09-30")
        }
        #expect(Fixtures.hits(DxNotValidForDOSRule(), c).isEmpty)
    }
}

@Suite struct DxCodeSetUnavailableRuleTests {
    @Test func dateAfterTheNewestReleaseWarnsOnce() {
        let c = Fixtures.with {
            $0.serviceLines![0].serviceDate = DateField("2026-10-02")
            $0.serviceLines!.append(ServiceLine(procedureCode: ProcedureCode("97140"), units: 1, serviceDate: DateField("2026-10-01"), diagnosisPointers: [1]))
        }
        let r = Fixtures.engine.scrub(c, today: ServiceDate(iso: "2026-11-01")!)
        #expect(r.findings.map(\.rule) == ["DX_CODESET_UNAVAILABLE"])
        #expect(r.findings.first?.path == "/serviceLines/1/serviceDate")
        #expect(r.codeSetVersion == "2026-04-01")
        #expect(r.status == .review)
    }

    @Test func coveredDatePasses() {
        #expect(Fixtures.hits(DxCodeSetUnavailableRule(), Fixtures.clean).isEmpty)
    }
}

@Suite struct DxExcludes1RuleTests {
    @Test func inheritedNoteIsFoundOnTheAncestor() {
        let hits = Fixtures.hits(DxExcludes1Rule(), Fixtures.with { $0.diagnoses = Fixtures.dx("F45.41", "M54.9") })
        #expect(hits.map(\.path) == ["/diagnoses/1"])
        #expect(hits.first?.message.contains("the Excludes1 note of M54.9 (inherited from M54) excludes F45.41") == true)
    }

    @Test func categoryPatternForbidsThePairOncePerPair() {
        let hits = Fixtures.hits(DxExcludes1Rule(), Fixtures.with { $0.diagnoses = Fixtures.dx("M51.24", "M54.9", "M54.6", "M51.24") })
        #expect(hits.map(\.path) == ["/diagnoses/2"])
        #expect(hits.first?.codes == ["M51.24", "M54.6"])
        #expect(hits.first?.message.contains("M51.-") == true)
    }

    @Test func unrelatedCodesPass() {
        #expect(Fixtures.hits(DxExcludes1Rule(), Fixtures.with { $0.diagnoses = Fixtures.dx("M54.6", "M54.9", "M54.6") }).isEmpty)
    }
}

@Suite struct DxManifestationPrimaryRuleTests {
    @Test func manifestationFirstIsReported() {
        let hits = Fixtures.hits(DxManifestationPrimaryRule(), Fixtures.with { $0.diagnoses = Fixtures.dx("M49.84", "A18.01") })
        #expect(hits.map(\.path) == ["/diagnoses/0"])
        #expect(hits.first?.codes == ["M49.84"])
    }

    @Test func manifestationAfterItsEtiologyPasses() {
        #expect(Fixtures.hits(DxManifestationPrimaryRule(), Fixtures.with { $0.diagnoses = Fixtures.dx("A18.01", "M49.84") }).isEmpty)
    }
}
