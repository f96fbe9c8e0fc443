import Testing
@testable import ClaimScrub

/// Units the 8-minute rule gives, written out as the CMS range table (not computed), so the
/// rule's arithmetic is checked against an independent statement of it.
private let unitRanges: [(ClosedRange<Int>, Int)] = [
    (0...7, 0), (8...22, 1), (23...37, 2), (38...52, 3), (53...67, 4), (68...82, 5), (83...97, 6),
    (98...112, 7), (113...127, 8), (128...142, 9),
]
private func tableUnits(_ minutes: Int) -> Int { unitRanges.first { $0.0.contains(minutes) }!.1 }

@Suite struct ClinicalTimedUnitsTests {
    let rule = TimedUnitsRule()

    /// 97116 has no MUE in the sample table, so every count up to 130 minutes may be fixed.
    @Test(arguments: 0...130)
    func oneTimedLineUnderBothMethods(minutes: Int) {
        let expected = tableUnits(minutes)
        for (profile, name) in [(TestProfile.medicare, "Medicare"), (TestProfile.commercial, "per-code")] {
            if expected > 0 {
                #expect(hits(rule, claim(["M54.6"], [line("97116", ["GP"], units: expected, minutes: minutes)]), profile: profile).isEmpty)
            }
            let over = hits(rule, claim(["M54.6"], [line("97116", ["GP"], units: expected + 1, minutes: minutes)]), profile: profile)
            #expect(over.count == 1)
            #expect(over.first?.message.contains(name) == true)
            #expect(over.first?.fix == (expected > 0 ? [.replace(path: "/serviceLines/0/units", value: .int(expected))] : []))
        }
    }

    @Test(arguments: 0...65)
    func twoTimedCodesMedicareTotalsPerCodeDoesNot(minutes: Int) {
        // Two codes with `minutes` each, billed as each code alone would be.
        let each = tableUnits(minutes)
        guard each > 0 else { return }
        let c = claim(["M54.6"], [line("97110", ["GP"], units: each, minutes: minutes), line("97140", ["GP"], units: each, minutes: minutes)])
        #expect(hits(rule, c, profile: TestProfile.commercial).isEmpty)
        let medicare = hits(rule, c, profile: TestProfile.medicare)
        #expect(medicare.count == (tableUnits(2 * minutes) == 2 * each ? 0 : 1))
        // Several timed lines: which one changes is a coding decision, so no automatic fix.
        #expect(medicare.allSatisfy { $0.fix.isEmpty })
    }

    @Test func tenMinutesOfTwoCodes() {
        // The textbook case: 10 + 10 minutes is 1 unit for Medicare, 2 per code.
        let c = claim(["M54.6"], [line("97110", ["GP"], units: 1, minutes: 10), line("97140", ["GP"], units: 1, minutes: 10)])
        #expect(hits(rule, c, profile: TestProfile.medicare).first?.message.contains("supports 1") == true)
        #expect(hits(rule, c, profile: TestProfile.commercial).isEmpty)
    }

    @Test func noFixAboveTheMUE() throws {
        // 120 minutes support 8 units; the sample MUE of 97110 is 6.
        let h = try #require(hits(rule, claim(["M54.6"], [line("97110", ["GP"], units: 6, minutes: 120)])).first)
        #expect(h.fix.isEmpty)
        #expect(h.suggestion == "The minutes support 8 units, more than the MUE of 6 for 97110: bill 6 and keep the documentation for an appeal.")
        #expect(h.message.hasPrefix("97110 on "))
        #expect(h.message.hasSuffix(": 6 units billed for 120 timed minutes, but the Medicare method (total timed minutes of the date) supports 8."))
        let one = try #require(hits(rule, claim(["M54.6"], [line("97110", ["GP"], units: 1, minutes: 30)])).first)
        #expect(one.message.hasSuffix(": 1 unit billed for 30 timed minutes, but the Medicare method (total timed minutes of the date) supports 2."))
    }

    @Test func startAndEndTimeCountAsMinutes() {
        #expect(hits(rule, claim(["M54.6"], [line("97530", ["GP"], units: 2, start: "09:00", end: "09:25")])).isEmpty)
        #expect(hits(rule, claim(["M54.6"], [line("97530", ["GP"], units: 3, start: "09:00", end: "09:25")])).count == 1)
    }

    @Test func untimedCodesAndIncompleteDatesAreNotJudged() {
        #expect(hits(rule, claim(["M54.6"], [line("97012", ["GP"], units: 3, minutes: 5)])).isEmpty)
        // One line without minutes: TIMED_MINUTES_MISSING's finding, not a unit count.
        #expect(hits(rule, claim(["M54.6"], [line("97110", ["GP"], units: 3, minutes: 20), line("97140", ["GP"], units: 1)])).isEmpty)
    }

    @Test func datesAreCountedSeparately() {
        let c = claim(["M54.6"], [
            line("97110", ["GP"], units: 1, date: "2026-05-04", minutes: 10),
            line("97110", ["GP"], units: 1, date: "2026-05-05", minutes: 10),
        ])
        #expect(hits(rule, c).isEmpty)
    }
}

@Suite struct ClinicalTimedMinutesMissingTests {
    let rule = TimedMinutesMissingRule()

    @Test func timedCodeWithoutTime() throws {
        let h = try #require(hits(rule, claim(["M54.6"], [line("97110", ["GP"], units: 2)])).first)
        #expect(h.path == "/serviceLines/0/minutes")
    }

    @Test(arguments: [("09:30", "09:00"), ("9h", "09:30"), ("09:00", "")])
    func unusableStartAndEnd(start: String, end: String) {
        #expect(hits(rule, claim(["M54.6"], [line("97110", ["GP"], start: start, end: end)])).count == 1)
    }

    @Test func notRaised() {
        #expect(hits(rule, claim(["M54.6"], [line("97110", ["GP"], minutes: 15)])).isEmpty)
        #expect(hits(rule, claim(["M54.6"], [line("97110", ["GP"], start: "09:00", end: "09:15")])).isEmpty)
        #expect(hits(rule, claim(["M54.6"], [line("97012", ["GP"]), line("99213"), line("G0283", ["GP"])])).isEmpty)
    }
}
