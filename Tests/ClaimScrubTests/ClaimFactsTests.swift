import Testing
@testable import ClaimScrub

/// The per-claim facts and integer-keyed lookups the engine uses instead of string-keyed
/// tables: each answers as the table or method it stands in for.
@Suite struct ClaimFactsTests {
    static let shipped = ClinicalEngineExampleTests.engine

    @Test func packedProcedureLookupAgreesWithTheTables() throws {
        let tables = KnowledgeTables(Self.shipped.knowledge)
        let procedures = try #require(tables.procedures).procedures
        let mue = try #require(tables.mue).edits
        var codes = Array(procedures.keys) + Array(mue.keys)
        codes += ["99999", "00000", "ZZZZZ", "9711", "971100", "A0"].compactMap { ProcedureCode($0) }
        for code in codes {
            let packed = PTPTable.pack(code.value.utf8)
            #expect(tables.procedure(code, packed: packed)?.code == procedures[code]?.code, "\(code)")
            #expect(tables.mueEdit(code, packed: packed) == mue[code], "\(code)")
        }
    }

    @Test func codesThatCannotBePackedAreStillFound() throws {
        let odd = try #require(ProcedureCode("g0283x")), plain = try #require(ProcedureCode("97110"))
        let index = PackedCodeIndex([odd: 1, plain: 2])
        #expect(index.lookup(odd, packed: PTPTable.pack(odd.value.utf8)) == 1)
        #expect(index.lookup(plain, packed: PTPTable.pack(plain.value.utf8)) == 2)
        #expect(index.lookup(try #require(ProcedureCode("97112")), packed: PTPTable.pack("97112".utf8)) == nil)
        #expect(index.lookup(try #require(ProcedureCode("g0283")), packed: PTPTable.pack("G0283".utf8)) == nil)
    }

    @Test func packedPatternsMatchAsCodePatternsDo() {
        let codes = ["M51", "M512", "M5126", "M51269", "M5126XA", "M54", "M546", "M5", "S22000A", "A000"]
            .map { ICD10Code(uncheckedCompact: $0) }
        let patterns: [CodePattern] = [
            .prefix("M"), .prefix("M5"), .prefix("M51"), .prefix("M512"), .prefix("M5126XA"), .prefix("M51269AB"),
            .prefix("S22000A"), .prefix(""), .code(ICD10Code(uncheckedCompact: "M51")), .code(ICD10Code(uncheckedCompact: "M5126")),
            .code(ICD10Code(uncheckedCompact: "S22000A")), .prefix("M512690XY"),
        ]
        for p in patterns {
            let packed = PackedPattern(p)
            for c in codes where packed.isPacked {
                #expect((c.packedKey & packed.mask == packed.key) == p.matches(c), "\(p) \(c.compact)")
            }
        }
        #expect(!PackedPattern(.prefix("M512690XY")).isPacked)
    }

    /// Diagnosis patterns match by mask and compare; here against a character-by-character
    /// reading of the pattern text, over every code of the newest release.
    @Test(arguments: ["M54.6", "M54.-", "M51.?4", "M51.?6-", "S22.0-", "R-", "M4?.-", "S32.0?0A", "Z-", "M41.?5"])
    func diagnosisPatternsMatchAsWritten(text: String) throws {
        let pattern = try #require(DiagnosisPattern(text))
        var body = Substring(text.replacingOccurrences(of: ".", with: ""))
        let isPrefix = body.hasSuffix("-")
        if isPrefix { body = body.dropLast() }
        let slots = Array(body.utf8)
        func expected(_ compact: String) -> Bool {
            let c = Array(compact.utf8)
            guard isPrefix ? c.count >= slots.count : c.count == slots.count else { return false }
            return zip(c, slots).allSatisfy { $1 == UInt8(ascii: "?") || $0 == $1 }
        }
        var matched = 0
        for entry in Self.shipped.library.newest.allEntries {
            let result = pattern.matches(entry.code)
            #expect(result == expected(entry.code.compact), "\(text) \(entry.code.compact)")
            // The facts pass's plain copy of the pattern (procedure support lists) agrees.
            #expect(PackedDiagnosisPattern(pattern).matches(PackedDiagnosis(entry.code)) == result, "\(text) \(entry.code.compact)")
            if result { matched += 1 }
        }
        #expect(matched > 0)
    }

    @Test func patternsAndGroupNamesReadAsProse() throws {
        #expect(try #require(DiagnosisPattern("M51.?4")).spoken == "M51.x4")
        #expect(try #require(DiagnosisPattern("m51.?6-")).spoken == "M51.x6-")
        #expect(try #require(DiagnosisPattern("M54.6")).spoken == "M54.6")
        #expect("thoracic-spine".replacingHyphens == "thoracic spine")
        #expect("lumbar".replacingHyphens == "lumbar")
        #expect("-a-b-".replacingHyphens == " a b ")
    }

    /// Against the walk it replaces: the code's own notes, then each ancestor's, first match wins.
    @Test func excludes1AlongTheLineageAgreesWithTheNotes() throws {
        let set = Self.shipped.library.newest
        let noted = set.allEntries.filter { !$0.excludes1.isEmpty }.prefix(150).map(\.code)
        var others: [ICD10Code] = []
        for code in noted {
            for p in set.entry(code)!.excludes1 {
                switch p {
                case .code(let c): others.append(c)
                case .prefix(let s): others.append(ICD10Code(uncheckedCompact: s + "0"))
                }
            }
        }
        others += set.allEntries.enumerated().filter { $0.offset % 997 == 0 }.map(\.element.code)
        var matches = 0
        for code in noted {
            let start = try #require(set.entryIndex(of: code))
            for other in others {
                let expected = ([code] + set.ancestors(of: code)).lazy.compactMap { holder in
                    set.entry(holder)!.excludes1.first { $0.matches(other) }.map { (holder, $0) }
                }.first
                let found = set.firstExcludes1(alongLineageOf: start, matching: other)
                #expect(found?.holder == expected?.0 && found?.pattern == expected?.1, "\(code) \(other)")
                if found != nil { matches += 1 }
            }
        }
        #expect(matches >= noted.count)
    }

    /// The lookup searches only the run of a code's first two characters: every code of a
    /// release is still found where it is, and codes it lacks (either side of a run) are not.
    @Test func packedKeyTableFindsTheFirstPositionOfAKey() {
        let keys: [UInt64] = [5, 3, 5, 9, 0, 1 << 63]
        let table = PackedKeyTable(keys)
        #expect(keys.map { table.position(of: $0, in: keys) } == [0, 1, 0, 3, 4, 5])
        #expect([4, 6, 1 << 62].allSatisfy { table.position(of: $0, in: keys) == nil })
        #expect(PackedKeyTable<UInt32>([]).position(of: 7, in: []) == nil)
    }

    @Test func everyCodeIsFoundByItsPackedKey() {
        for set in Self.shipped.library.releases {
            for (i, entry) in set.allEntries.enumerated() {
                #expect(set.entryIndex(of: entry.code) == i)
            }
            for absent in ["A000", "Z999ZZZ", "M5499", "U00", "ZZZ", "A00000A"] {
                let code = ICD10Code(uncheckedCompact: absent)
                #expect(set.contains(code) == set.allEntries.contains { $0.code == code })
            }
        }
        // Codes that do not start with a letter and a letter or digit are found too.
        let odd = CodeSet(
            version: "t", validFrom: ServiceDate(iso: "2025-10-01")!, validThrough: ServiceDate(iso: "2026-09-30")!,
            entries: ["A1", "A01", "M546"].map { CodeEntry(code: ICD10Code(uncheckedCompact: $0), description: "", billable: true, parent: nil) })
        #expect(["A1", "A01", "M546"].allSatisfy { odd.contains(ICD10Code(uncheckedCompact: $0)) })
    }

    @Test(arguments: [
        (ServiceDate(year: 2026, month: 5, day: 4)!, "2026-05-04"),
        (ServiceDate(year: 1, month: 1, day: 1)!, "0001-01-01"),
        (ServiceDate(year: 999, month: 12, day: 31)!, "0999-12-31"),
        (ServiceDate(year: 9999, month: 12, day: 31)!.adding(days: 1), "10000-01-01"),
    ])
    func datesPrintAsISO(date: ServiceDate, text: String) {
        #expect(date.description == text)
        #expect("\(date)" == text)
    }

    @Test(arguments: [("M546", "M54.6"), ("M54", "M54"), ("S22000A", "S22.000A"), ("M5416", "M54.16"),
                      ("ABCDEFGHIJKLMNOP", "ABC.DEFGHIJKLMNOP"), ("Äb12", "Äb1.2")])
    func codesAreDottedAfterTheCategory(compact: String, dotted: String) {
        #expect(ICD10Code(uncheckedCompact: compact).dotted == dotted)
    }

    @Test func associatedModifiersAreRecognisedAsTheSetListsThem() {
        for m in NCCIModifiers.associated { #expect(NCCIModifiers.isAssociated(m)) }
        for m in ["25", "GP", "59X", "5", "", "xs", "F0", "T0", "XX", "LTR"] {
            #expect(NCCIModifiers.isAssociated(m) == NCCIModifiers.associated.contains(m), "\(m)")
        }
    }

    @Test func linesAreGroupedByDateInIndexOrder() {
        func line(_ date: String?) -> ServiceLine {
            ServiceLine(procedureCode: ProcedureCode("97110"), units: 1, serviceDate: date.map(DateField.init))
        }
        let claim = Claim(serviceLines: [
            line("2026-05-04"), line("2026-05-01"), line(nil), line("not a date"), line("2026-05-04"), line("2026-05-01"),
        ])
        let context = Self.shipped.context(for: claim, today: Fixtures.today)
        let facts = context.facts(of: claim)
        #expect(facts.dateRuns.map(\.date.description) == ["2026-05-01", "2026-05-04"])
        #expect(facts.dateRuns.map { Array(facts.lines(of: $0)) } == [[1, 5], [0, 4]])
        #expect(facts.lines.map(\.kind) == Array(repeating: .timedTherapy, count: 6))
    }

    /// The engine refills one instance per thread: claims of every size in turn (more and
    /// fewer lines and diagnoses than the last, dates out of order) get the facts a fresh
    /// instance derives.
    @Test func refilledFactsAreAFreshInstancesFacts() {
        let engine = RuleBitTests.engine, today = RuleBitTests.today
        let tables = KnowledgeTables(engine.knowledge)
        for (label, claim) in RuleBitTests.corpus {
            let profile = engine.configuration.profile(for: claim.payer).profile
            let refilled = ClaimFacts.reusable(claim, library: engine.library, tables: tables, today: today, profile: profile)
            let fresh = ClaimFacts(claim, codeSet: nil, library: engine.library, tables: tables, today: today, profile: profile)
            #expect(Self.summary(of: refilled) == Self.summary(of: fresh), "\(label)")
        }
    }

    /// An instance still referenced (a context kept beyond its scrub) is not refilled.
    @Test func heldFactsAreNotRefilled() throws {
        let engine = RuleBitTests.engine, today = RuleBitTests.today
        let tables = KnowledgeTables(engine.knowledge)
        let claims = RuleBitTests.corpus.map(\.1)
        let big = try #require(claims.max { ($0.serviceLines?.count ?? 0) < ($1.serviceLines?.count ?? 0) })
        let small = try #require(claims.min { ($0.serviceLines?.count ?? 0) < ($1.serviceLines?.count ?? 0) })
        let profile = engine.configuration.profile(for: big.payer).profile
        let held = ClaimFacts.reusable(big, library: engine.library, tables: tables, today: today, profile: profile)
        let before = Self.summary(of: held)
        let next = ClaimFacts.reusable(small, library: engine.library, tables: tables, today: today, profile: profile)
        #expect(next !== held)
        #expect(Self.summary(of: held) == before)
    }

    /// What the rules read of the facts, as a comparable text.
    static func summary(of facts: ClaimFacts) -> String {
        let lines = facts.lines.map {
            "\($0.date.map(String.init(describing:)) ?? "-") \($0.kind.map(\.rawValue) ?? "-") \($0.anyDiagnosisSupports) "
                + "\($0.packedCode ?? 0) \($0.mueValue) \($0.mueAdjudication?.rawValue ?? 0) \($0.treatmentMinutes ?? -1)"
        }
        let runs = facts.dateRuns.map { "\($0.date) \(facts.lines(of: $0).map(String.init))" }
        return [
            lines.joined(separator: "; "), facts.diagnosisCodes.map { $0?.compact ?? "-" }.joined(separator: " "),
            facts.entryIndex.map(String.init).joined(separator: " "), facts.datedLines.map(String.init).joined(separator: " "),
            runs.joined(separator: "; "), facts.codeSet.version, "\(facts.codeSetCoversDates) \(facts.codeSetInLibrary)",
            String(facts.mayReport, radix: 2), String(facts.missingDocumentation, radix: 2),
        ].joined(separator: " | ")
    }
}
