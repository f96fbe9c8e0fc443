import Foundation
import Testing
@testable import ClaimScrub

@Suite struct ClinicalConfigTests {
    @Test func shippedConfigLoadsEveryTable() throws {
        let k = clinicalKnowledge
        let procedures = try #require(k[ProcedureTable.self])
        for code in ["99202", "99203", "99204", "99205", "99211", "99212", "99213", "99214", "99215", "97110", "97112",
                     "97140", "97530", "97012", "97014", "G0283", "97035", "97161", "97162", "97163", "97164",
                     "72070", "72072", "72074", "72141", "72146", "72148"] {
            #expect(procedures[ProcedureCode(code)] != nil, "\(code) missing from procedures.yaml")
        }
        #expect(try #require(k[PTPTable.self]).count == 11)
        #expect(try #require(k[MUETable.self]).edits.count == 17)
        #expect(k[SpecificityTable.self]?.entries[ICD10Code("M54.9")!]?.byRegion[.thoracic] == ICD10Code("M54.6"))
        #expect(k[SequencingTable.self]?.relations.isEmpty == false)
        #expect(k[DocumentationRequirements.self]?.diagnoses.isEmpty == false)
    }

    func loadError(_ body: () throws -> Void) -> KnowledgeLoadError? {
        do {
            try body()
            return nil
        } catch let e as KnowledgeLoadError {
            return e
        } catch {
            return nil
        }
    }

    @Test func badProcedureKindNamesFileLineKeyAndChoices() throws {
        let yaml = """
            procedures:
              "97110": { kind: timed-therapy, region: any, supports: any }
              "97140":
                kind: timed
                region: any
                supports: any
            """
        let e = try #require(loadError { _ = try ProcedureTable.load(yaml: yaml, file: "clinical/procedures.yaml") })
        #expect(e.file == "clinical/procedures.yaml")
        #expect(e.line == 4)
        #expect(e.key == "procedures.97140.kind")
        #expect(e.description.contains("timed-therapy"))
    }

    @Test(arguments: [
        ("procedures:\n  \"97110\": { kind: em, region: any, supports: [M54.6.7] }\n", 2, "diagnosis pattern"),
        ("procedures:\n  \"97110\": { kind: em, region: any, supports: any, kinds: em }\n", 2, "keys"),
        ("procedures:\n  \"9711\": { kind: em, region: any, supports: any }\n", 2, "five-character"),
        ("procedures:\n  \"97110\": { kind: em, region: any\n", 3, "well-formed YAML"),
        ("procedures:\n  \"97110\": { kind: em, supports: any }\n", 2, "`region`"),
    ])
    func badProcedureFiles(yaml: String, line: Int, expected: String) throws {
        let e = try #require(loadError { _ = try ProcedureTable.load(yaml: yaml, file: "p.yaml") })
        #expect(e.line == line, "\(e)")
        #expect(e.expected.contains(expected), "\(e)")
    }

    @Test func duplicateProcedureIsRejected() throws {
        let yaml = "procedures:\n  \"97110\": { kind: em, region: any, supports: any }\n  \"97110\": { kind: imaging, region: any, supports: any }\n"
        let e = try #require(loadError { _ = try ProcedureTable.load(yaml: yaml, file: "p.yaml") })
        #expect(e.description.contains("97110"), "\(e)")
    }

    @Test func badLexiconAndSpecificity() throws {
        let lex = try #require(loadError {
            _ = try PhraseLexicon.load(yaml: "regions:\n  thorax: [upper back]\nnegation:\n  before: [no]\n", file: "l.yaml")
        })
        #expect(lex.key == "regions.thorax")
        #expect(lex.line == 2)
        let spec = try #require(loadError {
            _ = try SpecificityTable.load(yaml: "mappings:\n  - code: M54.9\n    by: region\n    to: { thoracic: M546X9Z1 }\n", file: "s.yaml")
        })
        #expect(spec.key == "mappings.0.to.thoracic")
        #expect(spec.expected.contains("ICD-10-CM code"))
    }

    @Test func ptpSkipsThePreambleAndParsesRows() throws {
        var t = PTPTable()
        try t.load(text: "Copyright line\nCPT only copyright AMA\n\nColumn 1\tColumn 2\t*\tEffective\tDeletion\tModifier\tRationale\n"
            + "97530\t97140\t\t20200101\t*\t1\tMisuse\r\n97012\t97140\t*\t19960101\t20250101\t0\tStandards\n", file: "p.txt")
        #expect(t.count == 2)
        let e = try #require(t.edit(column1: ProcedureCode("97012")!, column2: ProcedureCode("97140")!, on: ServiceDate(iso: "2024-12-31")!))
        #expect(e.existedBefore1996 && e.modifierIndicator == .notAllowed && e.deletion == ServiceDate(iso: "2025-01-01"))
        #expect(t.edit(column1: ProcedureCode("97140")!, column2: ProcedureCode("97530")!, on: ServiceDate(iso: "2024-12-31")!) == nil)
    }

    @Test(arguments: [
        ("97530\t97140\t\t20200101\t*\t1\tok\n97530\t97150\t\t20201301\t*\t1\tbad date\n", 2, "effective date"),
        ("97530\t97140\t\t20200101\t*\t1\tok\n97530\t97150\t\t20200101\t*\t2\tbad indicator\n", 2, "modifier indicator"),
        ("97530\t97140\t\t20200101\t*\t1\tok\n97530\n", 2, "tab-separated"),
        ("97530\t97140\t\t20200101\t2020-01-01\t1\tok\n", 1, "deletion date"),
    ])
    func badPTPRowsNameTheLine(text: String, line: Int, expected: String) throws {
        var t = PTPTable()
        let e = try #require(loadError { try t.load(text: text, file: "ncci/ptp/x.txt") })
        #expect(e.file == "ncci/ptp/x.txt" && e.line == line && e.expected.contains(expected), "\(e)")
    }

    @Test func mueParsesQuotedFieldsAfterThePreamble() throws {
        var t = MUETable()
        try t.load(text: "\"Preamble, with a comma\"\n\"HCPCS/CPT Code\",\"MUE Values\",\"MAI\",\"Rationale\"\n"
            + "\"97110\",\"6\",\"3 Date of Service Edit: Clinical\",\"Clinical: Data, \"\"quoted\"\"\"\n72070,1,1 Line Edit,Anatomic\n", file: "m.csv")
        #expect(t[ProcedureCode("97110")]?.adjudication == .dateOfServiceClinical)
        #expect(t[ProcedureCode("97110")]?.rationale == "Clinical: Data, \"quoted\"")
        #expect(t[ProcedureCode("72070")]?.value == 1)
        var bad = MUETable()
        let e = try #require(loadError { try bad.load(text: "97110,6,3 Date of Service Edit: Clinical,x\n97140,4,Line Edit,x\n", file: "m.csv") })
        #expect(e.line == 2 && e.expected.contains("adjudication indicator"))
    }

    @Test func missingConfigDirectoryNamesTheFile() throws {
        let e = try #require(loadError { _ = try ClinicalKnowledge.load(configDirectory: "/nonexistent-claimscrub-config") })
        #expect(e.file == "clinical/lexicon.yaml")
    }
}

@Suite struct ClinicalStartupTests {
    /// A copy of the shipped Config with one clinical file replaced.
    func configWith(_ relative: String, _ text: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("claimscrub-clinical-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: clinicalRepoRoot.appendingPathComponent("Config"), to: dir)
        try text.write(to: dir.appendingPathComponent(relative), atomically: true, encoding: .utf8)
        return dir.path
    }

    @Test func aBadClinicalFileStopsEngineStartUpNamingFileLineAndKey() throws {
        let dir = try configWith("clinical/documentation.yaml", "diagnoses:\n  - label: back pain\n    patterns: [M54.-]\n    requires: [onset]\n")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        do {
            _ = try ScrubEngine.load(configDirectory: dir)
            Issue.record("a bad documentation.yaml must stop start-up")
        } catch {
            #expect(error.file == "clinical/documentation.yaml:4")
            #expect(error.keyPath == "diagnoses.0.requires.0")
            #expect(error.message.contains("onsetDate"))
        }
    }

    @Test func aBadNCCIRowStopsEngineStartUp() throws {
        let dir = try configWith("ncci/mue/practitioner-mue-sample.csv", "\"97110\",\"6\",\"3 Date of Service Edit: Clinical\",\"x\"\n\"97140\",\"four\",\"3 Date of Service Edit: Clinical\",\"x\"\n")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        do {
            _ = try ScrubEngine.load(configDirectory: dir)
            Issue.record("a bad MUE row must stop start-up")
        } catch {
            #expect(error.file == "ncci/mue/practitioner-mue-sample.csv:2")
            #expect(error.message.contains("MUE value"))
        }
    }
}
