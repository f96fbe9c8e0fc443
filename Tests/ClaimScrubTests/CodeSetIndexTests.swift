import Testing
@testable import ClaimScrub

@Suite struct CodeSetIndexTests {
    /// Parsed as if it were `Config/codesets/index.yaml`, so relative files resolve there.
    static var indexPath: String { CodeSetFixture.configDirectory + "/index.yaml" }

    static func entry(_ version: String, file: String = "icd10cm-2024-10-01.compact.gz", format: String = "compact",
                      from: String = "2024-10-01", through: String = "2025-09-30") -> String {
        """
          - version: "\(version)"
            file: \(file)
            format: \(format)
            validFrom: \(from)
            validThrough: \(through)

        """
    }

    static func badIndex(_ yaml: String) -> CodeSetError? {
        do {
            _ = try CodeSetIndex.releases(yaml: yaml, indexFile: indexPath)
            return nil
        } catch let error as CodeSetError {
            return error
        } catch {
            return .badData(file: "", line: 0, message: "unexpected \(error)")
        }
    }

    @Test func theShippedIndexListsBothReleasesInCompactForm() throws {
        let releases = try CodeSetIndex.releases(indexFile: Self.indexPath)
        #expect(releases.map(\.version) == ["2026-04-01", "2024-10-01"])
        #expect(releases.allSatisfy { $0.format == .compact })
        #expect(releases[0].validFrom == ServiceDate(iso: "2025-10-01"))
        #expect(releases[0].validThrough == ServiceDate(iso: "2026-09-30"))
        #expect(releases[1].file == CodeSetFixture.configDirectory + "/icd10cm-2024-10-01.compact.gz")
    }

    @Test func officialFormatsLoadThroughAnIndexToo() throws {
        let yaml = "releases:\n" + Self.entry("2024-10-01", file: "icd10cm-order-2025.tsv.gz", format: "order-file")
        let releases = try CodeSetIndex.releases(yaml: yaml, indexFile: Self.indexPath)
        let set = try releases[0].load()
        #expect(set.billableCount == 74_260)
    }

    @Test(arguments: [
        // (index text, entry, key, phrase of what was expected)
        ("releases: []\n", "document", "releases", "non-empty list"),
        ("other: 1\n", "document", "releases", "key missing"),
        ("releases:\n  - file: icd10cm-2024-10-01.compact.gz\n    format: compact\n    validFrom: 2024-10-01\n    validThrough: 2025-09-30\n",
         "releases[0]", "version", "key missing"),
        ("releases:\n" + entry("2025", format: "xml"), "releases[0] (version 2025)", "format", "one of tabular-xml, order-file, compact, found 'xml'"),
        ("releases:\n" + entry("2025", file: "nowhere.gz"), "releases[0] (version 2025)", "file", "a readable file"),
        ("releases:\n" + entry("2025", from: "2024-13-01"), "releases[0] (version 2025)", "validFrom", "a date YYYY-MM-DD, found '2024-13-01'"),
        ("releases:\n" + entry("2025", from: "2025-10-01", through: "2025-09-30"), "releases[0] (version 2025)", "validThrough", "on or after validFrom"),
        ("releases:\n" + entry("a") + entry("b", from: "2025-09-01", through: "2026-09-30"), "releases (version b)", "validFrom",
         "a date after 2025-09-30, where release a ends (date ranges overlap)"),
        ("releases:\n" + entry("a") + entry("a", from: "2025-10-01", through: "2026-09-30"), "releases[1] (version a)", "version", "no other release"),
        ("releases:\n  - version: x\n    fiel: y\n", "releases[0]", "fiel", "unknown key"),
        ("releases: [\n", "document", "", "valid YAML"),
    ])
    func malformedIndexNamesFileEntryAndExpectation(yaml: String, entry: String, key: String, expected: String) throws {
        let error = try #require(Self.badIndex(yaml))
        guard case let .badIndex(file, gotEntry, gotKey, gotExpected) = error else {
            Issue.record("wrong error: \(error)")
            return
        }
        #expect(file == Self.indexPath)
        #expect(gotEntry == entry)
        #expect(gotKey == key)
        #expect(gotExpected.contains(expected), "\(gotExpected)")
        #expect("\(error)".hasPrefix(Self.indexPath + ": " + entry))
    }

    @Test func aMissingIndexFileIsNamed() {
        #expect {
            _ = try CodeSetLibrary.load(indexFile: "/nonexistent/codesets/index.yaml")
        } throws: { error in
            "\(error)".contains("/nonexistent/codesets/index.yaml")
        }
    }
}
