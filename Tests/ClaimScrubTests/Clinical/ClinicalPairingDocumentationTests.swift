import Testing
@testable import ClaimScrub

@Suite struct ClinicalPairingTests {
    let rule = PairDxProcedureRule()

    @Test func thoracicMRIForLumbarPainIsRaised() throws {
        let h = try #require(hits(rule, claim(["M54.50"], [line("72146")])).first)
        #expect(h.path == "/serviceLines/0/diagnosisPointers")
        #expect(h.codes == ["72146", "M54.50"])
        #expect(h.message.contains("thoracic spine"))
    }

    @Test(arguments: [
        ("72146", ["M54.6"]), ("72146", ["M51.24"]), ("72146", ["S22.000A"]), ("72146", ["M41.24"]), ("72146", ["M54.14"]),
        ("72148", ["M54.50"]), ("72148", ["M51.26"]), ("72141", ["M54.2"]), ("72070", ["M54.6"]),
        ("97110", ["M54.6"]), ("97140", ["S22.000A"]), ("97012", ["M54.50"]), ("99213", ["J45.909"]),
        ("G0283", ["M54.6"]), ("97161", ["R26.2"]),
    ])
    func supportedPairsAreNotRaised(code: String, dx: [String]) {
        #expect(hits(rule, claim(dx, [line(code, pointers: Array(1...dx.count))])).isEmpty)
    }

    @Test(arguments: [("72148", "M54.6"), ("72141", "M54.50"), ("97110", "J45.909"), ("97012", "J45.909"), ("72074", "M54.2")])
    func unsupportedPairsAreRaised(code: String, dx: String) {
        #expect(hits(rule, claim([dx], [line(code)])).count == 1)
    }

    @Test func anyPointedDiagnosisThatSupportsIsEnough() {
        #expect(hits(rule, claim(["M54.50", "M54.6"], [line("72146", pointers: [1, 2])])).isEmpty)
        // The supporting code is on the claim but not pointed to by the line.
        #expect(hits(rule, claim(["M54.50", "M54.6"], [line("72146", pointers: [1])])).count == 1)
    }

    @Test func unknownProceduresAndUnusablePointersAreNotPairingFindings() {
        #expect(hits(rule, claim(["M54.50"], [line("20610")])).isEmpty)
        #expect(hits(rule, claim(["M54.50"], [line("72146", pointers: [5])])).isEmpty)
        #expect(hits(rule, claim(["M54.50"], [line("72146", pointers: nil)])).isEmpty)
    }
}

@Suite struct ClinicalDocumentationTests {
    let rule = DocMissingRule()

    @Test func backPainNeedsOnsetSeverityAndExam() {
        let found = hits(rule, claim(["M54.6"], [line("97110", ["GP"], minutes: 15)], Documentation(painRegions: ["thoracic"])))
        #expect(found.map(\.path) == ["/documentation/onsetDate", "/documentation/severity", "/documentation/examFindings"])
    }

    @Test func noDocumentationAtAll() {
        #expect(hits(rule, claim(["M54.50"], [line("97110", ["GP"], minutes: 15)], nil)).count == 3)
    }

    @Test func blankValuesCountAsMissing() {
        let doc = Documentation(onsetDate: DateField("2026-04-01"), severity: "  ", examFindings: [])
        #expect(hits(rule, claim(["M54.6"], [line("97110", ["GP"], minutes: 15)], doc)).map(\.path)
            == ["/documentation/severity", "/documentation/examFindings"])
    }

    @Test func imagingNeedsJustification() throws {
        let h = try #require(hits(rule, claim(["M54.6"], [line("72146")])).first)
        #expect(h.path == "/documentation/imagingJustification")
        #expect(h.codes == ["72146"])
        #expect(hits(rule, claim(["M54.6"], [line("72146")], documented(imaging: "6 weeks of failed therapy"))).isEmpty)
    }

    @Test func completeDocumentationAndOtherDiagnosesRaiseNothing() {
        #expect(hits(rule, claim(["M54.6"], [line("97110", ["GP"], minutes: 15)])).isEmpty)
        #expect(hits(rule, claim(["J45.909"], [line("99213")], nil)).isEmpty)
        // Plain X-rays need no imaging justification in the shipped Config.
        #expect(hits(rule, claim(["M54.6"], [line("72070")])).isEmpty)
    }
}

@Suite struct ClinicalModifierTests {
    @Test func emWithProcedureWithout25() throws {
        let h = try #require(hits(Mod25Rule(), claim(["M54.6"], [line("99213"), line("97140", ["GP"], minutes: 15)])).first)
        #expect(h.path == "/serviceLines/0/modifiers")
    }

    @Test func mod25NotRaised() {
        #expect(hits(Mod25Rule(), claim(["M54.6"], [line("99213", ["25"]), line("97140", ["GP"], minutes: 15)])).isEmpty)
        #expect(hits(Mod25Rule(), claim(["M54.6"], [line("99213")])).isEmpty)
        // The procedure is on another date.
        #expect(hits(Mod25Rule(), claim(["M54.6"], [line("99213"), line("97140", ["GP"], date: "2026-05-05", minutes: 15)])).isEmpty)
    }

    @Test(arguments: ["97110", "97012", "97161", "G0283"])
    func therapyWithoutDisciplineModifierUnderMedicare(code: String) {
        #expect(hits(ModTherapyRule(), claim(["M54.6"], [line(code, ["59"], minutes: 15)])).map(\.path) == ["/serviceLines/0/modifiers"])
    }

    @Test func therapyModifierNotRaised() {
        for m in ["GP", "GO", "GN"] {
            #expect(hits(ModTherapyRule(), claim(["M54.6"], [line("97110", [m], minutes: 15)])).isEmpty)
        }
        #expect(hits(ModTherapyRule(), claim(["M54.6"], [line("97110", minutes: 15)]), profile: TestProfile.commercial).isEmpty)
        #expect(hits(ModTherapyRule(), claim(["M54.6"], [line("99213"), line("72146")])).isEmpty)
    }
}
