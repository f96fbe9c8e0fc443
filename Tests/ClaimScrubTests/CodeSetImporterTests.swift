import Testing
@testable import ClaimScrub

/// A Tabular List in miniature, with the shapes the real one has.
private let miniTabular = """
<?xml version="1.0" encoding="utf-8"?>
<ICD10CM.tabular>
  <version>2026</version>
  <chapter>
    <name>19</name>
    <desc>Injury (S00-T88)</desc>
    <section id="S30-S39">
      <desc>Injuries to the abdomen</desc>
      <diag>
        <name>S30</name>
        <desc>Superficial injury of abdomen, lower back, pelvis &amp; external genitals</desc>
        <excludes1>
          <note>superficial injury of hip (S70.-)</note>
          <note>burns (T20-T32) and frostbite (acute) (T33.-, T34.0)</note>
        </excludes1>
        <sevenChrDef>
          <extension char="A">initial encounter</extension>
          <extension char="D">subsequent encounter</extension>
        </sevenChrDef>
        <diag>
          <name>S30.1</name>
          <desc>Contusion of abdominal wall &lt;test&gt; &#65;&#x42; &quot;q&quot; &apos;a&apos;</desc>
        </diag>
        <diag>
          <name>S30.8</name>
          <desc>Other superficial injuries</desc>
          <sevenChrDef>
            <extension char="S">sequela</extension>
          </sevenChrDef>
          <diag>
            <name>S30.81</name>
            <desc>Abrasion</desc>
          </diag>
        </diag>
      </diag>
      <diag>
        <name>S31</name>
        <desc>Open wound of abdomen in diseases classified elsewhere</desc>
        <codeFirst><note>underlying disease</note></codeFirst>
        <diag>
          <name>S31.0</name>
          <desc>Open wound of lower back</desc>
          <excludes1><note>see (S30.-, S30.8) and (S31)</note></excludes1>
        </diag>
      </diag>
    </section>
  </chapter>
</ICD10CM.tabular>
"""

@Suite struct TabularImporterTests {
    let entries: [ICD10Code: CodeEntry]

    init() throws {
        let list = try TabularImporter.entries(xml: Array(miniTabular.utf8))
        entries = Dictionary(uniqueKeysWithValues: list.map { ($0.code, $0) })
    }

    @Test func expandsSeventhCharactersWithXPlaceholders() throws {
        let a = try #require(entries[code("S30.1XXA")])
        #expect(a.billable)
        #expect(a.parent == code("S30.1"))
        #expect(entries[code("S30.1XXD")]?.billable == true)
        #expect(entries[code("S30.1")]?.billable == false)
        #expect(entries[code("S30.1X")] == nil)
        #expect(entries[code("S30")]?.billable == false)
    }

    @Test func nearestDefinitionWins() {
        #expect(entries[code("S30.81XS")]?.billable == true)
        #expect(entries[code("S30.81XA")] == nil)
        #expect(entries[code("S31.0")]?.billable == true, "no definition above S31: a plain leaf")
    }

    @Test func decodesEntitiesAndAppendsTheExtensionText() throws {
        #expect(entries[code("S30")]?.description == "Superficial injury of abdomen, lower back, pelvis & external genitals")
        #expect(entries[code("S30.1")]?.description == "Contusion of abdominal wall <test> AB \"q\" 'a'")
        #expect(entries[code("S30.1XXA")]?.description == "Contusion of abdominal wall <test> AB \"q\" 'a', initial encounter")
    }

    @Test func parsesExcludes1References() {
        // (S70.-) prefix; (T20-T32) a range, but only of categories this file has (none);
        // (acute) is not a code; (T33.-, T34.0) two references.
        #expect(entries[code("S30")]?.excludes1 == [.prefix("S70"), .prefix("T33"), .code(code("T34.0"))])
        // A reference to a header (S31, S30.8) means everything under it.
        #expect(entries[code("S31.0")]?.excludes1 == [.prefix("S30"), .prefix("S308"), .prefix("S31")])
    }

    @Test func manifestationFromTitleOrCodeFirst() {
        #expect(entries[code("S31")]?.manifestation == true)
        #expect(entries[code("S31.0")]?.manifestation == false)
        #expect(entries[code("S30")]?.manifestation == false)
    }

    @Test(arguments: [
        ("<ICD10CM.tabular>\n<diag><name>S30</name>\n</ICD10CM.tabular>", "bad.xml:3: </ICD10CM.tabular> closes <diag>"),
        ("<ICD10CM.tabular><diag><name>S30</name>", "ends inside"),
        ("<other/>", "expected <ICD10CM.tabular>"),
        ("<ICD10CM.tabular><diag><name>not a code</name></diag></ICD10CM.tabular>", "not an ICD-10-CM code"),
        ("<ICD10CM.tabular><diag><name>S30</name><desc>a &bogus; b</desc></diag></ICD10CM.tabular>", "unknown entity"),
        ("<ICD10CM.tabular></ICD10CM.tabular>", "no <diag>"),
    ])
    func malformedXMLIsAnErrorThatSaysWhy(xml: String, phrase: String) {
        do {
            _ = try TabularImporter.entries(xml: Array(xml.utf8), source: "bad.xml")
            Issue.record("accepted malformed XML")
        } catch {
            #expect("\(error)".contains("bad.xml"))
            #expect("\(error)".contains(phrase), "\(error)")
        }
    }
}

@Suite struct XMLTokenizerTests {
    @Test func reportsTagsAttributesTextAndSkipsTheRest() throws {
        let xml = "<?xml version='1.0'?><!-- c --><a x=\"1 &amp; 2\"><b/>t &#x263A;<![CDATA[<raw>]]></a>"
        var tokenizer = XMLTokenizer(bytes: Array(xml.utf8))
        var events: [XMLTokenizer.Event] = []
        while let e = try tokenizer.next() { events.append(e) }
        #expect(events == [
            .start(name: "a", attributes: ["x": "1 & 2"]),
            .start(name: "b", attributes: [:]), .end(name: "b"),
            .text("t \u{263A}"), .text("<raw>"),
            .end(name: "a"),
        ])
    }
}

@Suite struct OrderFileImporterTests {
    @Test func parentIsTheLongestExistingPrefix() throws {
        let tsv = """
        code\tbillable\tshort_description\tlong_description
        S30\t0\tSuperfic inj\tSuperficial injury of abdomen
        S301\t0\tContus abd wall\tContusion of abdominal wall
        S301XXA\t1\tContus abd wall, init\tContusion of abdominal wall, initial encounter
        G46\t0\tVasc synd\tVascular syndromes of brain in cerebrovascular diseases

        """
        let entries = try OrderFileImporter.entries(tsv: Array(tsv.utf8))
        #expect(entries.map(\.code.dotted) == ["S30", "S30.1", "S30.1XXA", "G46"])
        #expect(entries.map(\.parent) == [nil, code("S30"), code("S30.1"), nil])
        #expect(entries.map(\.billable) == [false, false, true, false])
        #expect(entries[2].description == "Contusion of abdominal wall, initial encounter")
        #expect(entries[3].manifestation == false, "'in cerebrovascular diseases' is not the manifestation phrase")
    }

    @Test(arguments: [
        ("code\tbillable\n", "header"),
        ("code\tbillable\tshort_description\tlong_description\nA00\t2\tx\ty\n", "order.tsv:2: billable must be 0 or 1"),
        ("code\tbillable\tshort_description\tlong_description\nA00\t1\tx\n", "4 tab-separated"),
        ("code\tbillable\tshort_description\tlong_description\n00A\t1\tx\ty\n", "not an ICD-10-CM code"),
    ])
    func malformedRowsAreErrorsWithTheLine(tsv: String, phrase: String) {
        #expect {
            _ = try OrderFileImporter.entries(tsv: Array(tsv.utf8), source: "order.tsv")
        } throws: { error in
            "\(error)".contains("order.tsv") && "\(error)".contains(phrase)
        }
    }
}

@Suite struct CompactCodeSetFormatTests {
    @Test func roundTripsEveryField() throws {
        let entries = [
            CodeEntry(code: code("M54"), description: "Dorsalgia", billable: false, parent: nil, excludes1: [.code(code("F45.41"))]),
            CodeEntry(code: code("M54.6"), description: "Pain in thoracic spine", billable: true, parent: code("M54"),
                      excludes1: [.prefix("M51"), .code(code("M54.89"))]),
            CodeEntry(code: code("M49"), description: "Spondylopathies in diseases classified elsewhere", billable: false,
                      parent: nil, manifestation: true),
            CodeEntry(code: code("M49.84"), description: "Spondylopathy, thoracic é", billable: true, parent: code("M49"),
                      manifestation: true),
        ]
        let decoded = try CompactCodeSetFormat.decode(CompactCodeSetFormat.encode(entries))
        #expect(decoded == entries.sorted { $0.code < $1.code })
    }

    @Test func rejectsOtherFiles() {
        #expect(throws: CodeSetError.self) { try CompactCodeSetFormat.decode(Array("code\tbillable\n".utf8), source: "x") }
        let bad = Array((CompactCodeSetFormat.magic + "\nM546\tbz\t\t\tPain\n").utf8)
        #expect(throws: CodeSetError.badData(file: "x", line: 2, message: "flags may hold only b, m or -")) {
            try CompactCodeSetFormat.decode(bad, source: "x")
        }
    }
}

/// The shipped compact files must say exactly what the official files say.
@Suite struct CompactMatchesOfficialTests {
    @Test(arguments: [
        ("2026-04-01", "icd10cm-tabular-2026-04-01.xml.gz", CodeSetFileFormat.tabularXML),
        ("2024-10-01", "icd10cm-order-2025.tsv.gz", CodeSetFileFormat.orderFile),
    ])
    func compactReleaseEqualsTheOfficialImport(version: String, officialFile: String, format: CodeSetFileFormat) throws {
        let compact = try CodeSetFixture.release(version)
        let official = try format.entries(file: CodeSetFixture.configDirectory + "/" + officialFile)
        #expect(official.count == compact.count)
        var mismatches: [String] = []
        for entry in official where compact.entry(entry.code) != entry {
            mismatches.append(entry.code.dotted)
        }
        #expect(mismatches.isEmpty, "first differing codes: \(mismatches.prefix(10))")
        // Parents and children agree through the CodeSet too.
        let rebuilt = CodeSet(version: version, validFrom: compact.validFrom, validThrough: compact.validThrough, entries: official)
        for probe in ["M54", "M54.5", "S22.000", "S30.1", "G46"].map(code) {
            #expect(rebuilt.children(of: probe) == compact.children(of: probe))
            #expect(rebuilt.excludes1(of: probe) == compact.excludes1(of: probe))
        }
    }
}
