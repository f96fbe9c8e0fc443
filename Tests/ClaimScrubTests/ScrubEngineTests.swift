import Testing
@testable import ClaimScrub

/// A rule that reports what it is told to, for ordering and risk tests.
struct ScriptedRule: Rule {
    let id: String
    let category: RuleCategory
    let hits: [RuleHit]
    func check(_ claim: Claim, _ context: RuleContext) -> [RuleHit] { hits }
}

@Suite struct ScrubEngineTests {
    let engine = Fixtures.engine

    @Test func cleanClaimPasses() {
        let r = engine.scrub(Fixtures.clean, today: Fixtures.today)
        #expect(r.findings.map(\.rule) == [])
        #expect(r.status == .pass)
        #expect(r.denialRisk == DenialRisk(score: 0, level: .low))
        #expect(r.codeSetVersion == "2026-04-01")
        #expect(r.rulesVersion == Fixtures.configuration.rulesVersion)
    }

    @Test func releaseIsChosenByTheEarliestServiceDate() {
        let c = Fixtures.with {
            $0.serviceLines!.append(ServiceLine(procedureCode: ProcedureCode("97110"), units: 1,
                                                serviceDate: DateField("2025-09-30"), diagnosisPointers: [1]))
        }
        #expect(engine.scrub(c, today: Fixtures.today).codeSetVersion == "2025")
    }

    func scripted(_ rules: [any Rule], profile: String = "") throws -> ScrubEngine {
        var config = Fixtures.configuration
        for rule in rules {
            for name in config.profiles.keys {
                config.profiles[name]!.rules[rule.id]!.category = rule.category
            }
            if let i = config.rules.firstIndex(where: { $0.id == rule.id }) { config.rules[i].category = rule.category }
        }
        return try ScrubEngine(configuration: config, library: Fixtures.library, rules: rules)
    }

    @Test func findingsAreOrderedBySeverityThenNumericPath() throws {
        // DX_CODESET_UNAVAILABLE is a warning, CLAIM_NPI an error, by configuration.
        let e = try scripted([
            ScriptedRule(id: "DX_CODESET_UNAVAILABLE", category: .validity, hits: [RuleHit(path: "/serviceLines/0/serviceDate", message: "w")]),
            ScriptedRule(id: "CLAIM_NPI", category: .structure, hits: [
                RuleHit(path: "/serviceLines/10/units", message: "e10"),
                RuleHit(path: "/serviceLines/2/units", message: "e2"),
                RuleHit(path: "/billingProvider/npi", message: "eb"),
            ]),
        ])
        let r = e.scrub(Fixtures.clean, today: Fixtures.today)
        #expect(r.findings.map(\.message) == ["eb", "e2", "e10", "w"])
        #expect(r.summary == Summary(errors: 3, warnings: 1, info: 0))
        #expect(r.status == .fail)
    }

    @Test func warningsOnlyMeanReview() throws {
        let e = try scripted([ScriptedRule(id: "CLAIM_DX_DUPLICATE", category: .structure, hits: [RuleHit(path: "/diagnoses/1", message: "dup")])])
        let r = e.scrub(Fixtures.clean, today: Fixtures.today)
        #expect(r.status == .review)
        #expect(r.findings.first?.likelyDenial == LikelyDenial(group: "CO", carc: "16", rarc: ["M76"]))
    }

    @Test(arguments: [
        ([], 0, RiskLevel.low),
        ([0.35], 35, .medium),
        ([0.1, 0.1], 19, .low),
        ([0.2, 0.125], 30, .medium),
        ([0.5, 0.4], 70, .high),
        ([1.0, 0.3], 100, .high),
    ] as [([Double], Int, RiskLevel)])
    func denialRiskCombinesWeights(weights: [Double], score: Int, level: RiskLevel) {
        #expect(ScrubEngine.denialRisk(weights: weights) == DenialRisk(score: score, level: level))
    }

    @Test func fixesComeOnlyFromRulesThatAllowThemAndAreDeduplicated() throws {
        let fix = PatchOperation.replace(path: "/diagnoses/0", value: .string("M54.6"))
        let e = try scripted([
            // DX_UNSPECIFIED allows fixes in rules.yaml, CLAIM_DX_DUPLICATE does not.
            ScriptedRule(id: "DX_UNSPECIFIED", category: .specificity, hits: [
                RuleHit(path: "/diagnoses/0", message: "a", fix: [fix]), RuleHit(path: "/diagnoses/0", message: "b", fix: [fix]),
            ]),
            ScriptedRule(id: "CLAIM_DX_DUPLICATE", category: .structure, hits: [
                RuleHit(path: "/diagnoses/1", message: "c", fix: [.remove(path: "/diagnoses/1")]),
            ]),
        ])
        #expect(e.scrub(Fixtures.clean, today: Fixtures.today).fixes == [fix])
    }

    @Test func profileOverrideSwitchesARuleOff() throws {
        var config = Fixtures.configuration
        config.profiles["MEDICARE-JL"]!.rules["CLAIM_NPI"]!.enabled = false
        let e = try ScrubEngine(configuration: config, library: Fixtures.library, rules: Fixtures.foundationRules)
        let bad = Fixtures.with { $0.billingProvider = Provider(npi: "1234567890") }
        #expect(e.scrub(bad, today: Fixtures.today).findings.map(\.rule) == [])
        let commercial = Fixtures.with { $0.billingProvider = Provider(npi: "1234567890"); $0.payer = Payer(type: .commercial) }
        #expect(e.scrub(commercial, today: Fixtures.today).findings.map(\.rule) == ["CLAIM_NPI"])
    }

    @Test func alternateDenialIsUsedWhenAHitAsksForIt() throws {
        let old = Fixtures.with { $0.serviceLines![0].serviceDate = DateField("2025-01-02") }
        let r = engine.scrub(old, today: Fixtures.today)
        let f = try #require(r.findings.first { $0.rule == "CLAIM_DATE" })
        #expect(f.likelyDenial == LikelyDenial(group: "CO", carc: "29"))
    }

    @Test func resultJSONUsesTheContractsFieldNames() throws {
        let c = Fixtures.with { $0.diagnoses = Fixtures.dx("M54.5") }
        let r = engine.scrub(c, today: Fixtures.today)
        let v = try JSONParser.parse(r.encodeJSON())
        guard case .object(let top) = v else { Issue.record("not an object"); return }
        #expect(top.map(\.key) == ["claimId", "status", "denialRisk", "summary", "findings", "fixes", "codeSet", "rulesVersion"])
        #expect(v["status"] == .string("fail"))
        #expect(v["denialRisk"] == .object([("score", .int(80)), ("level", .string("high"))]))
        #expect(v["summary"] == .object([("errors", .int(1)), ("warnings", .int(0)), ("info", .int(0))]))
        #expect(v["codeSet"] == .object([("system", .string("ICD-10-CM")), ("version", .string("2026-04-01"))]))
        guard case .array(let findings) = v["findings"], case .object(let f) = findings.first else { Issue.record("no finding"); return }
        #expect(f.map(\.key) == ["rule", "category", "severity", "message", "path", "codes", "suggestion", "likelyDenial", "reference"])
        #expect(findings.first?["likelyDenial"] == .object([("group", .string("CO")), ("carc", .string("16")), ("rarc", .array([.string("M81")]))]))
        #expect(findings.first?["path"] == .string("/diagnoses/0"))
    }

    @Test func resultWithoutClaimIdOmitsIt() throws {
        let r = engine.scrub(Fixtures.with { $0.claimId = nil }, today: Fixtures.today)
        let v = try JSONParser.parse(r.encodeJSON())
        #expect(v["claimId"] == nil)
        #expect(r.findings.map(\.path) == ["/claimId"])
    }

    @Test func scrubJSONThrowsInputErrorsAndScrubsClaims() throws {
        #expect(throws: ClaimInputError.self) { try engine.scrub(json: Array(#"{"units":"#.utf8), today: Fixtures.today) }
        let r = try engine.scrub(json: Array(#"{"claimId":"X","diagnoses":["M54.5"]}"#.utf8), today: Fixtures.today)
        #expect(r.status == .fail)
    }

    @Test func catalogListsEveryConfiguredRuleAndWhatIsImplemented() throws {
        let catalog = try ScrubEngine(configuration: Fixtures.configuration, library: Fixtures.library).catalog()  // RulePacks.rules
        #expect(catalog.count == RuleCatalog.categories.count)
        #expect(catalog.first { $0.settings.id == "DX_NOT_BILLABLE" }?.implemented == true)
        // With the clinical pack registered every catalog rule is implemented.
        #expect(catalog.first { $0.settings.id == "NCCI_PTP" }?.implemented == true)
        let v = try JSONParser.parse(engine.encodeCatalogJSON())
        guard case .array(let rules) = v["rules"] else { Issue.record("no rules"); return }
        #expect(rules.count == catalog.count)
    }
}
