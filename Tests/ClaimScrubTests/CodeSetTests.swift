import Testing
@testable import ClaimScrub

/// The project's shipped code sets, loaded once per test process (a load costs time).
enum CodeSetFixture {
    /// `<repo>/Config/codesets`, found from this file's path.
    static let configDirectory: String = {
        var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)  // ClaimScrubTests/CodeSetTests.swift, Tests
        return parts.joined(separator: "/") + "/Config/codesets"
    }()

    static let library: Result<CodeSetLibrary, any Error> = Result {
        try CodeSetLibrary.load(configDirectory: configDirectory)
    }

    static func release(_ version: String) throws -> CodeSet {
        let found = try library.get().releases.first { $0.version == version }
        return try #require(found, "release \(version) in Config/codesets/index.yaml")
    }

    static func fy2026() throws -> CodeSet { try release("2026-04-01") }
    static func fy2025() throws -> CodeSet { try release("2024-10-01") }
}

func code(_ text: String) -> ICD10Code { ICD10Code(text)! }

@Suite struct CodeSetCountTests {
    /// The README of the data promises 74,724 for April 2026, but 74,260 + the 487 codes
    /// FY2026 added − the 28 it made headers or deleted = 74,719, which is what the file
    /// yields once the S06 rule ("7th characters D and S do not apply … 6th character 7 or 8")
    /// is honoured; without that rule the count would be 74,795.
    @Test func april2026TabularExpandsTo74719BillableCodes() throws {
        let set = try CodeSetFixture.fy2026()
        #expect(set.billableCount == 74_719)
        #expect(set.count == 98_186)
    }

    @Test func fy2025OrderFileHas74260BillableAmong97584() throws {
        let set = try CodeSetFixture.fy2025()
        #expect(set.billableCount == 74_260)
        #expect(set.count == 97_584)
    }

    @Test func fy2026AddsAndRemovesWhatCMSAnnounced() throws {
        let old = try CodeSetFixture.fy2025()
        let new = try CodeSetFixture.fy2026()
        let oldBillable = Set(old.allEntries.filter(\.billable).map(\.code))
        let newBillable = Set(new.allEntries.filter(\.billable).map(\.code))
        #expect(newBillable.subtracting(oldBillable).count == 487)
        #expect(oldBillable.subtracting(newBillable).count == 28)
    }
}

@Suite struct CodeSetHierarchyTests {
    @Test(arguments: [
        ("M54.5", ["M54.50", "M54.51", "M54.59"]),
        ("M79.1", ["M79.10", "M79.11", "M79.12", "M79.18"]),
    ])
    func formerLeavesAreHeadersWithTheirNewChildren(header: String, children: [String]) throws {
        let set = try CodeSetFixture.fy2026()
        #expect(set.entry(code(header))?.billable == false)
        #expect(set.children(of: code(header)) == children.map(code))
        #expect(set.billableDescendants(of: code(header)) == children.map(code))
        for child in children { #expect(set.entry(code(child))?.billable == true, "\(child)") }
    }

    @Test func seventhCharacterCodesExistOnlyExpanded() throws {
        let set = try CodeSetFixture.fy2026()
        let expanded = try #require(set.entry(code("S22.000A")))
        #expect(expanded.billable)
        #expect(expanded.parent == code("S22.000"))
        #expect(expanded.description == "Wedge compression fracture of unspecified thoracic vertebra, initial encounter for closed fracture")
        #expect(set.entry(code("S22.000"))?.billable == false)
        #expect(set.children(of: code("S22.000")).map(\.dotted) == ["S22.000A", "S22.000B", "S22.000D", "S22.000G", "S22.000K", "S22.000S"])
        #expect(set.ancestors(of: code("S22.000A")) == ["S22.000", "S22.00", "S22.0", "S22"].map(code))
    }

    @Test func shortCodesArePaddedWithXAndKeepTheirRealParent() throws {
        let set = try CodeSetFixture.fy2026()
        // S06.0X is a placeholder subcategory of its own; T75.1 is padded to T75.1XX + A.
        let padded = try #require(set.entry(code("S06.0X0A")))
        #expect(padded.parent == code("S06.0X0"))
        let stoma = try #require(set.entry(code("T75.1XXA")))
        #expect(stoma.parent == code("T75.1"))
        #expect(set.contains(code("T75.1X")) == false)
    }

    @Test func nearestSevenCharacterDefinitionWins() throws {
        // S42 defines the full fracture set (A B D G K P S); S42.48 (torus fracture) its own.
        let set = try CodeSetFixture.fy2026()
        #expect(set.contains(code("S42.001B")))
        #expect(set.contains(code("S42.481A")))
        #expect(!set.contains(code("S42.481B")))
    }

    @Test func s06DeathCodesTakeOnlyInitialEncounter() throws {
        let set = try CodeSetFixture.fy2026()
        #expect(set.contains(code("S06.1X7A")))
        #expect(!set.contains(code("S06.1X7D")))
        #expect(!set.contains(code("S06.308S")))
        #expect(set.contains(code("S06.1X6D")))
        // The CMS order file agrees for FY2025.
        let old = try CodeSetFixture.fy2025()
        #expect(old.contains(code("S06.1X7A")) && !old.contains(code("S06.1X7D")))
    }
}

@Suite struct CodeSetReleaseDifferenceTests {
    static let goneInFY2026 = [
        "S30.1XXA", "S30.1XXD", "S30.1XXS", "T78.07XA", "T78.07XD", "T78.07XS",
        "T78.08XA", "T78.08XD", "T78.08XS", "T78.1XXA", "T78.1XXD", "T78.1XXS",
    ]

    @Test func twelveFY2025CodesAreGoneInFY2026() throws {
        let old = try CodeSetFixture.fy2025()
        let new = try CodeSetFixture.fy2026()
        let gone = old.allEntries.map(\.code).filter { !new.contains($0) }
        #expect(gone.map(\.dotted) == Self.goneInFY2026)
    }

    @Test func s301XXAIsValidOnlyInFY2025() throws {
        let old = try CodeSetFixture.fy2025()
        let new = try CodeSetFixture.fy2026()
        let entry = try #require(old.entry(code("S30.1XXA")))
        #expect(entry.billable)
        #expect(entry.parent == code("S30.1"))
        #expect(!new.contains(code("S30.1XXA")))
        // In FY2026 S30.1 was split by side.
        #expect(new.entry(code("S30.11XA"))?.billable == true)
        let library = try CodeSetFixture.library.get()
        #expect(library.otherReleases(containing: code("S30.1XXA"), excluding: new).map(\.version) == ["2024-10-01"])
    }
}

@Suite struct CodeSetNoteTests {
    @Test func thoracicPainExcludesDiscDisorders() throws {
        let set = try CodeSetFixture.fy2026()
        let patterns = set.excludes1(of: code("M54.6"))
        #expect(patterns.contains(.prefix("M51")))
        #expect(patterns.contains { $0.matches(code("M51.24")) })
        #expect(patterns.contains(.code(code("F45.41"))), "inherited from M54 (psychogenic dorsalgia)")
        #expect(!patterns.contains { $0.matches(code("M54.89")) })
    }

    /// The notes say: under M54.8 "dorsalgia in thoracic region (M54.6)" and "low back pain
    /// (M54.5-)"; under M54.6 only "(M51.-)". So M54.89 excludes M54.6, not the reverse.
    @Test func otherDorsalgiaExcludesThoracicAndLowBackPain() throws {
        let set = try CodeSetFixture.fy2026()
        let patterns = set.excludes1(of: code("M54.89"))
        #expect(patterns.contains(.code(code("M54.6"))))
        #expect(patterns.contains(.prefix("M545")))
        #expect(patterns.contains { $0.matches(code("M54.50")) })
        #expect(!patterns.contains { $0.matches(code("M54.9")) })
        #expect(set.entry(code("M54.89"))?.excludes1 == [], "M54.89's notes are inherited, not its own")
    }

    @Test func severalReferencesInOneParenthesis() throws {
        // Under A08: "influenza with involvement of gastrointestinal tract (J09.X3, J10.2, J11.2)".
        let set = try CodeSetFixture.fy2026()
        let patterns = set.excludes1(of: code("A08.0"))
        for ref in ["J09.X3", "J10.2", "J11.2"] {
            #expect(patterns.contains { $0.matches(code(ref)) }, "\(ref)")
        }
    }

    @Test func rangesOfCategoriesBecomeCategoryPrefixes() throws {
        // M12: "arthrosis (M15-M19)".
        let set = try CodeSetFixture.fy2026()
        let patterns = set.entry(code("M12"))?.excludes1 ?? []
        for category in ["M15", "M16", "M17", "M18", "M19"] {
            #expect(patterns.contains(.prefix(category)))
        }
        #expect(patterns.contains { $0.matches(code("M17.11")) })
        #expect(!patterns.contains { $0.matches(code("M20.10")) })
    }

    @Test func manifestationIsInheritedFromTitleOrCodeFirst() throws {
        let set = try CodeSetFixture.fy2026()
        #expect(set.isManifestation(code("M49.84")))
        #expect(set.entry(code("M49"))?.manifestation == true)
        // G46 has a "code first" note; G46.0's own title says nothing.
        #expect(set.entry(code("G46.0"))?.manifestation == false)
        #expect(set.isManifestation(code("G46.0")))
        #expect(!set.isManifestation(code("M54.6")))
        // The order file has no notes: only titles mark manifestations.
        #expect(try CodeSetFixture.fy2025().isManifestation(code("M49.84")))
    }
}

@Suite struct CodeSetLibraryTests {
    @Test(arguments: [
        ("2025-05-01", "2024-10-01", true),
        ("2024-10-01", "2024-10-01", true),
        ("2025-09-30", "2024-10-01", true),
        ("2025-10-01", "2026-04-01", true),
        ("2026-01-05", "2026-04-01", true),
        ("2026-09-30", "2026-04-01", true),
        ("2026-11-02", "2026-04-01", false),
        ("2023-06-01", "2026-04-01", false),
    ])
    func releaseIsChosenByDateOfService(date: String, version: String, covered: Bool) throws {
        let library = try CodeSetFixture.library.get()
        let choice = library.release(for: ServiceDate(iso: date)!)
        #expect(choice.codeSet.version == version)
        #expect(choice.covered == covered)
    }

    @Test func aMissingDateGetsTheNewestRelease() throws {
        let choice = try CodeSetFixture.library.get().release(for: nil)
        #expect(choice.codeSet.version == "2026-04-01" && choice.covered)
    }
}
