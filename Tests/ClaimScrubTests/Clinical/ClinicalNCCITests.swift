import Testing
@testable import ClaimScrub

@Suite struct ClinicalNCCIPTPTests {
    let rule = NcciPtpRule()

    func pair(_ c1: String, _ c2: String, m1: [String] = [], m2: [String] = [], date: String = "2026-05-04") -> [RuleHit] {
        hits(rule, claim(["M54.6"], [line(c1, ["GP"] + m1, date: date, minutes: 15), line(c2, ["GP"] + m2, date: date, minutes: 15)]))
    }

    @Test func indicatorOneWithoutModifierIsRaisedOnTheColumnTwoLine() throws {
        let h = try #require(pair("97530", "97140").first)
        #expect(h.path == "/serviceLines/1/procedureCode")
        #expect(h.codes == ["97530", "97140"])
        #expect(h.reference?.hasPrefix("NCCI PTP edit 97530/97140, effective 2020-01-01, modifier indicator 1") == true)
        // Listed the other way round, still the 97140 line.
        #expect(pair("97140", "97530").first?.path == "/serviceLines/0/procedureCode")
    }

    /// The finding's texts word for word, for both kinds of edit.
    @Test func textsOfBothKindsOfEdit() throws {
        let bundled = try #require(pair("97530", "97140").first)
        #expect(bundled.message == "97140 is bundled into 97530 on 2026-05-04 unless an NCCI-associated modifier on the 97140 line shows a distinct service.")
        #expect(bundled.suggestion == "If 97140 was distinct (separate session, site or encounter) and documented so, append XS, XE, XP, XU or 59 to the 97140 line; otherwise remove it.")
        #expect(bundled.reference == "NCCI PTP edit 97530/97140, effective 2020-01-01, modifier indicator 1 (Misuse of column two code with column one code)")
        let excluded = try #require(pair("97164", "97161").first)
        #expect(excluded.message == "97161 is not separately payable with 97164 on 2026-05-04: the NCCI edit allows no modifier.")
        #expect(excluded.suggestion == "Remove 97161 from this date; 97164 includes it.")
        #expect(excluded.reference == "NCCI PTP edit 97164/97161, effective 2017-01-01, modifier indicator 0 (Mutually exclusive procedures)")
    }

    @Test(arguments: ["59", "XS", "XE", "XP", "XU", "RT", "F3", "T9"])
    func indicatorOnePassesWithAnAssociatedModifierOnColumnTwo(modifier: String) {
        #expect(pair("97530", "97140", m2: [modifier]).isEmpty)
    }

    @Test func modifierOnColumnOneDoesNotCount() {
        #expect(pair("97530", "97140", m1: ["XS"]).count == 1)
        #expect(pair("97530", "97140", m2: ["25"]).count == 1)
    }

    @Test func indicatorZeroNeverPasses() {
        #expect(pair("97164", "97161", m2: ["59"]).count == 1)
        #expect(pair("72074", "72070", m2: ["XS"]).count == 1)
    }

    @Test func indicatorNineIsNoEdit() {
        #expect(pair("97163", "97530").isEmpty)
    }

    @Test func pairsOnDifferentDatesOrNotInTheTable() {
        let c = claim(["M54.6"], [line("97530", ["GP"], date: "2026-05-04", minutes: 15), line("97140", ["GP"], date: "2026-05-05", minutes: 15)])
        #expect(hits(rule, c).isEmpty)
        #expect(pair("97110", "97112").isEmpty)
    }

    @Test(arguments: [("2019-12-31", 0), ("2020-01-01", 1), ("2020-06-30", 1)])
    func effectiveDateBoundary(date: String, expected: Int) {
        #expect(pair("97530", "97140", date: date).count == expected)
    }

    @Test(arguments: [("2019-12-31", 0), ("2020-01-01", 1), ("2020-03-31", 1), ("2020-04-01", 0)])
    func deletionDateBoundary(date: String, expected: Int) {
        // 97161/97530: effective 2020-01-01, deleted 2020-04-01.
        #expect(pair("97161", "97530", date: date).count == expected)
    }
}

@Suite struct ClinicalNCCIMUETests {
    let rule = NcciMueRule()

    @Test func lineEditCountsEachLine() throws {
        #expect(hits(rule, claim(["M54.6"], [line("72070"), line("72070")])).isEmpty)
        let h = try #require(hits(rule, claim(["M54.6"], [line("72070", units: 2)])).first)
        #expect(h.path == "/serviceLines/0/units")
        #expect(h.reference == "NCCI practitioner MUE 72070: 1 unit, MAI 1 Line Edit")
        #expect(h.message == "72070 bills 2 units on one line; the MUE allows 1 per line.")
        #expect(h.suggestion == "Bill at most 1 unit on the line, or document why more were medically necessary for an appeal.")
    }

    @Test func dateOfServiceTextsCountTheLinesOnlyWhenSeveral() throws {
        let several = try #require(hits(rule, claim(["M54.6"], [line("72146"), line("72146")])).first)
        #expect(several.message == "72146 bills 2 units on 2026-05-04 across 2 lines; the MUE allows 1 per date of service.")
        #expect(several.suggestion == "Bill at most 1 unit of 72146 for 2026-05-04.")
        let one = try #require(hits(rule, claim(["M54.6"], [line("72146", units: 3)])).first)
        #expect(one.message == "72146 bills 3 units on 2026-05-04; the MUE allows 1 per date of service.")
    }

    @Test func dateOfServiceEditSumsLinesOfTheDate() throws {
        let h = try #require(hits(rule, claim(["M54.6"], [line("72146"), line("72146")])).first)
        #expect(h.reference == "NCCI practitioner MUE 72146: 1 unit, MAI 3 Date of Service Edit: Clinical")
        #expect(hits(rule, claim(["M54.6"], [line("72146"), line("72146", date: "2026-05-05")])).isEmpty)
        #expect(hits(rule, claim(["M54.6"], [line("97110", ["GP"], units: 4, minutes: 60), line("97110", ["GP"], units: 3, minutes: 45)])).count == 1)
        #expect(hits(rule, claim(["M54.6"], [line("97110", ["GP"], units: 6, minutes: 90)])).isEmpty)
    }

    @Test func codesWithoutAnEditAreNotJudged() {
        #expect(hits(rule, claim(["M54.6"], [line("20610", units: 40)])).isEmpty)
    }
}
