import Testing
@testable import ClaimScrub

/// The one-allocation list texts findings are built from read as the sentences they replace.
@Suite struct TextJoiningTests {
    @Test(arguments: [
        ([String](), ""),
        (["M54.6"], "M54.6"),
        (["M54.6", "M54.5"], "M54.6 and M54.5"),
        (["97110", "97112", "97140"], "97110, 97112 and 97140"),
        (["é", "ü", "ß"], "é, ü and ß"),
    ])
    func spokenList(items: [String], expected: String) {
        #expect(items.spokenList == expected)
        #expect(listed(items) == expected)
    }

    @Test func listedWithAnotherConjunction() {
        #expect(listed(["M54.50", "M54.51", "M54.59"], conjunction: "or") == "M54.50, M54.51 or M54.59")
    }

    /// Numbers, dates, codes and patterns written in place read as the strings they replace.
    @Test(arguments: [0, 7, 9, 10, 99, 100, 12_345, -1, -10, -120, Int.max, Int.min])
    func numberPart(_ n: Int) {
        #expect(joinedText("units ", n, ".") == "units \(n).")
        #expect(joinedText(n) == String(n))
    }

    @Test func datePart() throws {
        for (y, m, d) in [(2026, 5, 4), (1, 1, 1), (999, 12, 31), (9999, 2, 28)] {
            let date = try #require(ServiceDate(year: y, month: m, day: d))
            #expect(joinedText("on ", date, ":") == "on \(date.description):")
        }
    }

    @Test(arguments: ["M54", "M546", "M5450", "S22000A"])
    func codeParts(_ compact: String) {
        let code = ICD10Code(uncheckedCompact: compact)
        let dotted = compact.count > 3
            ? String(compact.prefix(3)) + "." + String(compact.dropFirst(3)) : compact
        #expect(code.dotted == dotted)
        #expect(joinedText("(", code, ")") == "(\(dotted))")
        #expect(joinedText(CodePattern.code(code)) == CodePattern.code(code).description)
        #expect(joinedText(CodePattern.prefix(compact)) == CodePattern.prefix(compact).description)
        #expect(joinedText("a", Optional(code), Optional<ICD10Code>.none, "b") == "a\(dotted)b")
    }

    @Test func joinedListUsesTheSeparatorThroughout() {
        #expect(joinedList(["a", "b", "c"], separator: "; ", last: "; ") == "a; b; c")
        #expect(joinedList(["a", "b"][...], separator: ", ", last: " or ") == "a or b")
    }
}

/// The literal texts of documented regions and sides read as the interpolations they replace.
@Suite struct DocumentedPlaceTextTests {
    @Test(arguments: SpineRegion.allCases)
    func region(_ r: SpineRegion) {
        #expect(r.painRegionsEvidence == "documentation.painRegions: \(r.rawValue)")
        #expect(r.spokenPlace == "in the \(r.rawValue) spine")
    }

    @Test(arguments: Laterality.allCases)
    func side(_ s: Laterality) {
        #expect(s.lateralityEvidence == "documentation.laterality: \(s.rawValue)")
        #expect(s.spokenPlace == "on the \(s.rawValue) side")
    }
}
