import Testing
@testable import ClaimScrub

/// The engine's shortcuts (filters, tables made once, arrays it avoids) give the answers of
/// the plain computation they stand in for.
@Suite struct EngineShortcutTests {
    static let shipped = ClinicalEngineExampleTests.engine

    @Test func everyShippedRuleIsCalledDirectly() {
        for rule in RulePacks.rules { #expect(BuiltinRule(rule) != nil, "\(rule.id)") }
    }

    /// `BuiltinRule.check` calls each shipped rule on a fresh value: a shipped rule that gained
    /// a stored setting would have it silently dropped, so each must stay an empty value.
    @Test func everyShippedRuleIsAnEmptyValue() {
        func size<R: Rule>(of _: R) -> Int { MemoryLayout<R>.size }
        for rule in RulePacks.rules { #expect(size(of: rule) == 0, "\(rule.id) has stored properties") }
    }

    @Test(arguments: [
        Documentation(),
        Documentation(onsetDate: DateField("2026-01-02"), severity: "7/10", progression: " ", painRegions: [" ", "lumbar"],
                      laterality: "\t", examFindings: [], neurologicalDeficits: false, imagingJustification: "MRI",
                      conservativeTreatmentWeeks: 0, relatedConditions: [""], notes: "n"),
        Documentation(onsetDate: DateField("not a date"), painRegions: [], examFindings: ["x"], relatedConditions: ["y"]),
    ])
    func missingFieldsAgreeWithIsPresent(documentation: Documentation) {
        let claim = Claim(documentation: documentation)
        let mask = DocumentationField.missingMask(of: claim)
        for field in DocumentationField.allCases {
            #expect((mask & field.bit != 0) == !field.isPresent(in: documentation), "\(field)")
        }
        #expect(DocumentationField.missingMask(of: Claim()) == DocumentationField.allCases.reduce(0) { $0 | $1.bit })
    }

    @Test func linePathsAreThePointersTheyStandFor() {
        for field in ["modifiers", "units", "procedureCode", "diagnosisPointers", "serviceDate", "serviceDateEnd", "minutes", "other"] {
            for i in [0, 1, 9, 10, 63, 64, 65, 1000] {
                #expect(Paths.line(i, field) == "/serviceLines/\(i)/\(field)")
            }
        }
    }

    @Test(arguments: [
        ["", ""], ["a", "b", "c"], ["The E/M visit ", "99213", " on ", "2026-05-04", " is billed."],
        ["é", "日本語 ", "", "x", "", "", "", "", "", "", "", "y"],
        [String(repeating: "long ", count: 40), "M54.6", "—"],
    ])
    func joinedTextIsTheConcatenation(parts: [String]) {
        var p = parts + Array(repeating: "", count: 12 - parts.count)
        p = Array(p.prefix(12))
        let joined = joinedText(p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8], p[9], p[10], p[11])
        #expect(joined == parts.joined())
    }

    @Test func ptpPairFilterFindsEveryEditAndNoOther() throws {
        // Enough rows for a filter of several words; codes from a small set so pairs repeat.
        let codes = (0..<40).map { ProcedureCode(String(97000 + $0 * 7))! }
        var rng = SystemRandomNumberGenerator()
        var edits: [PTPEdit] = []
        var pairs: Set<[String]> = []
        for _ in 0..<300 {
            let a = codes.randomElement(using: &rng)!, b = codes.randomElement(using: &rng)!
            guard a != b, pairs.insert([a.value, b.value]).inserted else { continue }
            edits.append(PTPEdit(
                column1: a, column2: b, existedBefore1996: false, effective: ServiceDate(iso: "2020-01-01")!,
                deletion: nil, modifierIndicator: .notAllowed, rationale: "r"))
        }
        let table = PTPTable(edits: edits)
        let day = ServiceDate(iso: "2026-05-04")!
        for a in codes {
            for b in codes where a != b {
                let found = table.edit(column1: a, column2: b, on: day)
                #expect((found != nil) == pairs.contains([a.value, b.value]), "\(a)/\(b)")
            }
        }
        #expect(PTPTable().edit(column1: codes[0], column2: codes[1], on: day) == nil)
    }

    @Test(arguments: [
        // (dates of the lines, expected runs as line indices)
        (["2026-05-04", "2026-05-04", "2026-05-04"] as [String?], [[0, 1, 2]]),
        ([nil, "2026-05-04", "2026-05-04"] as [String?], [[1, 2]]),
        (["2026-05-01", "2026-05-01", "2026-05-04", nil, "2026-05-04"] as [String?], [[0, 1], [2, 4]]),
        (["2026-05-01", "2026-05-02", "2026-05-03"] as [String?], [[0], [1], [2]]),
        (["2026-05-04", "2026-05-01", "2026-05-04"] as [String?], [[1], [0, 2]]),
        ([nil, "bad"] as [String?], []),
        ([] as [String?], []),
    ])
    func dateRunsHoldTheLinesOfEachDateInOrder(dates: [String?], expected: [[Int]]) {
        let claim = Claim(serviceLines: dates.map {
            ServiceLine(procedureCode: ProcedureCode("97110"), units: 1, serviceDate: $0.map(DateField.init))
        })
        let facts = Self.shipped.context(for: claim, today: Fixtures.today).facts(of: claim)
        #expect(facts.dateRuns.map { Array(facts.lines(of: $0)) } == expected)
        #expect(Array(facts.datedLines) == expected.flatMap { $0 })
        for run in facts.dateRuns {
            for i in facts.lines(of: run) { #expect(facts.lines[i].date == run.date) }
        }
    }

    @Test func sameProcedureComparesTheCodes() {
        let lines = ["97110", "97110", "97140", nil, nil, "g0283x", "G0283X", "97110 "].map {
            ServiceLine(procedureCode: $0.flatMap { ProcedureCode($0) }, units: 1)
        }
        let claim = Claim(serviceLines: lines)
        let facts = Self.shipped.context(for: claim, today: Fixtures.today).facts(of: claim)
        for i in lines.indices {
            for j in lines.indices {
                #expect(facts.sameProcedure(i, j, lines) == (lines[i].procedureCode == lines[j].procedureCode), "\(i) \(j)")
            }
        }
    }
}
