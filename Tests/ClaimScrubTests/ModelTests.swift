import Foundation
import Testing
@testable import ClaimScrub

@Suite struct ICD10CodeTests {
    @Test(arguments: [("m54.6", "M54.6"), ("M546", "M54.6"), ("s22000a", "S22.000A"), ("M54", "M54"), (" M54.50 ", "M54.50")])
    func acceptsDottedAndUndottedInAnyCase(raw: String, dotted: String) {
        #expect(ICD10Code(raw)?.dotted == dotted)
    }

    @Test(arguments: ["", "M5", "5M4", "M54..6", "M5.46", "M54.", "M54.60000", "M54-6", "M54.6é"])
    func rejectsWhatIsNotShapedLikeACode(raw: String) {
        #expect(ICD10Code(raw) == nil)
    }
}

@Suite struct ServiceDateTests {
    @Test func rejectsImpossibleDates() {
        #expect(ServiceDate(iso: "2026-02-30") == nil)
        #expect(ServiceDate(iso: "2026-13-01") == nil)
        #expect(ServiceDate(iso: "2026-2-01") == nil)
        #expect(ServiceDate(iso: "2024-02-29") != nil)
        #expect(ServiceDate(iso: "2025-02-29") == nil)
    }

    @Test func todayUTCIsTheSystemClocksDate() throws {
        // Compared with Foundation's own UTC calendar; read twice around it in case midnight passes.
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let before = ServiceDate.todayUTC()
        let parts = calendar.dateComponents([.year, .month, .day], from: Date())
        let after = ServiceDate.todayUTC()
        let foundation = try #require(ServiceDate(year: parts.year!, month: parts.month!, day: parts.day!))
        #expect(foundation == before || foundation == after)
    }

    @Test func dayArithmeticRoundTrips() {
        let d = ServiceDate(iso: "2025-10-01")!
        #expect(d.adding(days: 365).description == "2026-10-01")
        #expect(d.adding(days: -1).description == "2025-09-30")
        #expect(ServiceDate(daysSinceEpoch: 0).description == "1970-01-01")
    }
}
