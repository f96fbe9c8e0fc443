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
