import Testing
@testable import ClaimScrub

@Suite struct ClinicalLexiconTests {
    static let lexicon = clinicalKnowledge[PhraseLexicon.self]!

    static func regions(_ notes: String) -> [String] {
        PhraseMatcher(lexicon: lexicon).facts(in: notes).regions.map(\.value.rawValue)
    }

    @Test(arguments: [
        ("Pain between the shoulder blades for 3 weeks.", ["thoracic"]),
        ("Aching in the UPPER BACK after lifting", ["thoracic"]),
        ("mid-back stiffness", ["thoracic"]),
        ("Chronic low back pain.", ["lumbar"]),
        ("Pain in the lower back radiating to the buttock", ["lumbar"]),
        ("Neck pain and interscapular ache", ["cervical", "thoracic"]),
        ("Lumbar tenderness. Thoracic rotation reduced.", ["lumbar", "thoracic"]),
        ("Wears a necklace; aches at the backstop", []),
        ("Neck supple. Pain between the shoulder blades.", ["thoracic"]),
        ("History of thoracic outlet syndrome; low back pain", ["lumbar"]),
    ])
    func phrasesEstablishRegions(notes: String, expected: [String]) {
        #expect(Self.regions(notes) == expected)
    }

    @Test(arguments: [
        ("Denies neck pain.", []),
        ("No low back pain.", []),
        ("Patient is negative for lumbar tenderness", []),
        ("without radiation to the lower back", []),
        ("No neck, shoulder or low back pain", []),
        ("Low back pain ruled out", []),
        ("Denies neck pain. Pain between the shoulder blades.", ["thoracic"]),
        ("Denies neck pain but reports pain between the shoulder blades", ["thoracic"]),
        ("No neck pain; upper back pain for two weeks", ["thoracic"]),
        ("No change in low back pain since last visit", ["lumbar"]),
        ("Denies neck pain\r\nupper back pain for two weeks", ["thoracic"]),
    ])
    func negationCancelsOnlyItsClause(notes: String, expected: [String]) {
        #expect(Self.regions(notes) == expected)
    }

    @Test func evidenceQuotesThePhraseAsWritten() {
        let facts = PhraseMatcher(lexicon: Self.lexicon).facts(in: "Pain Between The Shoulder Blades.")
        #expect(facts.regions.first?.evidence == "notes: \"Between The Shoulder Blades\"")
    }

    @Test func structuredRegionsWinOverNotes() {
        let doc = documented(regions: ["Lumbar"], notes: "pain between the shoulder blades")
        let facts = DocumentedFacts(doc, lexicon: Self.lexicon)
        #expect(facts.regions == [DocumentedFact(value: .lumbar, evidence: "documentation.painRegions: lumbar")])
    }
}

@Suite struct ClinicalDxUnspecifiedTests {
    let rule = DxUnspecifiedRule()
    let therapy = [line("97110", ["GP"], minutes: 15)]

    @Test(arguments: [
        (["thoracic"], "M54.6"), (["lumbar"], "M54.50"), (["cervical"], "M54.2"),
    ])
    func dorsalgiaWithOneRegionIsFixed(regions: [String], target: String) throws {
        let h = try #require(hits(rule, claim(["M54.9"], therapy, documented(regions: regions))).first)
        #expect(h.fix == [.replace(path: "/diagnoses/0", value: .string(target))])
        #expect(h.evidence == "documentation.painRegions: \(regions[0])")
    }

    @Test func regionFromNotesInSecondPosition() throws {
        let c = claim(["J45.909", "M54.9"], [line("99213", pointers: [1, 2])], documented(notes: "Neck pain since the fall."))
        let h = try #require(hits(rule, c).first)
        #expect(h.path == "/diagnoses/1")
        #expect(h.fix == [.replace(path: "/diagnoses/1", value: .string("M54.2"))])
        #expect(h.evidence == "notes: \"Neck pain\"")
    }

    @Test func radiculopathyAndSideMappings() {
        #expect(hits(rule, claim(["M54.10"], therapy, documented(regions: ["thoracic"]))).first?.fix
            == [.replace(path: "/diagnoses/0", value: .string("M54.14"))])
        #expect(hits(rule, claim(["M54.30"], therapy, documented(notes: "Sciatica, right-sided."))).first?.fix
            == [.replace(path: "/diagnoses/0", value: .string("M54.31"))])
        #expect(hits(rule, claim(["M79.603"], therapy, documented(laterality: "left"))).first?.fix
            == [.replace(path: "/diagnoses/0", value: .string("M79.602"))])
    }

    @Test(arguments: [
        ("Denies neck pain.", "negated"),
        ("No low back pain.", "negated"),
        ("Patient reports fatigue.", "no region"),
    ])
    func noSupportingFactNoFinding(notes: String, why: String) {
        #expect(hits(rule, claim(["M54.9"], therapy, documented(notes: notes))).isEmpty, "\(why)")
    }

    @Test func noDocumentationNoFinding() {
        #expect(hits(rule, claim(["M54.9"], therapy, nil)).isEmpty)
    }

    @Test func regionWithoutAMappedCodeNoFinding() {
        // Thoracolumbar has no dorsalgia code of its own.
        #expect(hits(rule, claim(["M54.9"], therapy, documented(regions: ["thoracolumbar"]))).isEmpty)
    }

    @Test func bilateralGivesNoSideFix() {
        #expect(hits(rule, claim(["M79.603"], therapy, documented(laterality: "bilateral"))).isEmpty)
    }

    @Test func conflictingRegionsSuggestWithoutFix() throws {
        let h = try #require(hits(rule, claim(["M54.9"], therapy, documented(regions: ["thoracic", "lumbar"]))).first)
        #expect(h.fix.isEmpty)
        #expect(h.suggestion?.contains("M54.6 and M54.50") == true)
    }

    @Test func targetAlreadyListedSuggestsWithoutFix() throws {
        let h = try #require(hits(rule, claim(["M54.6", "M54.9"], therapy, documented(regions: ["thoracic"]))).first)
        #expect(h.fix.isEmpty)
    }

    @Test func targetExcludedByAnotherCodeSuggestsWithoutFix() throws {
        // M54.6 Excludes1 M51.-: replacing M54.9 would create a DX_EXCLUDES1 error.
        let h = try #require(hits(rule, claim(["M54.9", "M51.24"], therapy, documented(regions: ["thoracic"]))).first)
        #expect(h.fix.isEmpty)
        #expect(h.suggestion?.contains("Excludes1") == true)
    }

    @Test func specificCodesAreLeftAlone() {
        #expect(hits(rule, claim(["M54.6"], therapy, documented(regions: ["lumbar"]))).isEmpty)
    }
}

@Suite struct ClinicalSymptomPrimaryTests {
    let rule = DxSymptomPrimaryRule()

    @Test(arguments: [["M54.6", "M41.24"], ["M54.50", "M51.26"], ["M54.6", "S22.000A"], ["R26.2", "M51.24"], ["M54.9", "M51.26"]])
    func symptomBeforeDefinitiveIsRaised(dx: [String]) throws {
        let h = try #require(hits(rule, claim(dx, [line("97110", ["GP"], pointers: [1, 2], minutes: 15)])).first)
        #expect(h.fix.first == .move(from: "/diagnoses/1", path: "/diagnoses/0"))
        #expect(h.fix.dropFirst().first == .replace(path: "/serviceLines/0/diagnosisPointers", value: .intArray([2, 1])))
    }

    @Test(arguments: [["M41.24", "M54.6"], ["M54.6", "J45.909"], ["M54.6"], ["J45.909", "M41.24"], ["R26.2", "M41.24"],
                      ["M54.2", "M51.26"], ["M54.50", "M41.24"], ["M54.6", "M51.26"]])
    func notRaised(dx: [String]) {
        #expect(hits(rule, claim(dx, [line("97110", ["GP"], minutes: 15)])).isEmpty)
    }

    @Test func waitsForTheSpecificityFixBeforeMoving() throws {
        // M54.9 (thoracic documented) first, scoliosis second: DX_UNSPECIFIED replaces
        // /diagnoses/0, so the move is offered only on the next scrub.
        let c = claim(["M54.9", "M41.24"], [line("97110", ["GP"], pointers: [1, 2], minutes: 15)], documented(regions: ["thoracic"]))
        let first = try #require(hits(rule, c).first)
        #expect(first.fix.isEmpty)
        let json = try applyPatch(scrubClinical(c).flatMap(\.hit.fix), to: jsonFromClaim(c))
        let second = try #require(hits(rule, claimFromJSON(json)).first)
        #expect(second.fix.first == .move(from: "/diagnoses/1", path: "/diagnoses/0"))
        let done = claimFromJSON(try applyPatch(scrubClinical(claimFromJSON(json)).flatMap(\.hit.fix), to: json))
        #expect(done.diagnoses?.map(\.display) == ["M41.24", "M54.6"])
        #expect(scrubClinical(done).isEmpty)
    }

    @Test func specificityFixIsSeenOnlyAtOrBeforeTheMovedCode() {
        // The shortcut DX_SYMPTOM_PRIMARY asks agrees with DX_UNSPECIFIED's fixes.
        let lines = [line("97110", ["GP"], pointers: [1, 2], minutes: 15)]
        let first = claim(["M54.9", "M41.24"], lines, documented(regions: ["thoracic"]))
        let second = claim(["M41.24", "M54.9"], lines, documented(regions: ["thoracic"]))
        let unspecified = DxUnspecifiedRule()
        #expect(hits(unspecified, first).flatMap(\.fix) == [.replace(path: "/diagnoses/0", value: .string("M54.6"))])
        #expect(unspecified.replacesDiagnosis(atOrBefore: 0, first, clinicalContext()))
        #expect(!unspecified.replacesDiagnosis(atOrBefore: 0, second, clinicalContext()))
        #expect(unspecified.replacesDiagnosis(atOrBefore: 1, second, clinicalContext()))
        let undocumented = claim(["M54.9", "M41.24"], lines)
        #expect(!unspecified.replacesDiagnosis(atOrBefore: 1, undocumented, clinicalContext()))
    }

    @Test func pointersAfterMove() {
        // Moving index 2 (pointer 3) to the front of 4 codes.
        #expect([1, 2, 3, 4, 0, 9].map { DxSymptomPrimaryRule.pointerAfterMove($0, movedFrom: 2, count: 4) } == [2, 3, 1, 4, 0, 9])
    }
}
