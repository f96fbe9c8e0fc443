import Testing
@testable import ClaimScrub

/// One broken variant of multi-claim.837 and the error it must give.
struct BrokenInterchange: CustomTestStringConvertible, Sendable {
    let name: String
    let replace: String
    let with: String
    /// Fix SE01 after the edit, so only the intended error remains.
    let reseal: Bool
    let kind: X12Error.Kind
    let position: Int
    let segment: String
    let detail: String

    var testDescription: String { name }

    init(_ name: String, _ replace: String, _ with: String, reseal: Bool = true,
         _ kind: X12Error.Kind, at position: Int, _ segment: String, _ detail: String) {
        self.name = name
        self.replace = replace
        self.with = with
        self.reseal = reseal
        self.kind = kind
        self.position = position
        self.segment = segment
        self.detail = detail
    }

    var bytes: [UInt8] {
        let original = X12Files.text("multi-claim.837")
        precondition(original.contains(replace), "\(name): nothing to replace")
        let text = original.replacing(replace, with: with)
        return Array((reseal ? X12Files.resealed(text) : text).utf8)
    }
}

@Suite struct X12StructureTests {
    static let cases: [BrokenInterchange] = [
        .init("ISA element too short", "*ZZ*CLAIMSCRUBSUB  *", "*ZZ*CLAIMSCRUBSUB *", reseal: false,
              .interchangeHeader, at: 1, "ISA", "ISA must be 106 characters: ISA06 is 14 characters, expected 15"),
        .init("ISA element too long", "*260303*", "*2603031*", reseal: false,
              .interchangeHeader, at: 1, "ISA", "ISA must be 106 characters: ISA09 is longer than 6 characters"),
        .init("ISA truncated", X12Files.text("multi-claim.837"), "ISA*00*    ", reseal: false,
              .interchangeHeader, at: 1, "ISA", "ISA must be 106 characters: the data ends inside the ISA"),
        .init("not an interchange", "ISA*00*", "XSA*00*", reseal: false,
              .interchangeHeader, at: 1, "ISA", "expected the interchange to start with an ISA segment"),
        .init("SE01 count wrong", "SE*56*0001~", "SE*55*0001~", reseal: false,
              .envelope, at: 58, "SE", "SE01 says 55 segments, the transaction has 56"),
        .init("SE01 after a dropped segment", "PRV*PE*PXC*225100000X~\n", "", reseal: false,
              .envelope, at: 57, "SE", "SE01 says 56 segments, the transaction has 55"),
        .init("SE02 differs from ST02", "SE*56*0001~", "SE*56*0002~", reseal: false,
              .envelope, at: 58, "SE", "SE02 must repeat ST02 0001, found 0002"),
        .init("GE01 count wrong", "GE*1*101~", "GE*2*101~", reseal: false,
              .envelope, at: 59, "GE", "GE01 says 2 transaction sets, the group has 1"),
        .init("GE02 differs from GS06", "GE*1*101~", "GE*1*102~", reseal: false,
              .envelope, at: 59, "GE", "GE02 must repeat GS06 101, found 102"),
        .init("IEA01 count wrong", "IEA*1*000000101~", "IEA*2*000000101~", reseal: false,
              .envelope, at: 60, "IEA", "IEA01 says 2 functional groups, the interchange has 1"),
        .init("IEA02 differs from ISA13", "IEA*1*000000101~", "IEA*1*000000102~", reseal: false,
              .envelope, at: 60, "IEA", "IEA02 must repeat ISA13 000000101, found 000000102"),
        .init("no SE before GE", "SE*56*0001~\n", "", reseal: false,
              .envelope, at: 58, "GE", "expected SE closing the transaction set of ST segment 3, found GE"),
        .init("data after IEA", "IEA*1*000000101~\n", "IEA*1*000000101~\nGS*HC~\n", reseal: false,
              .envelope, at: 61, "GS", "unexpected GS after IEA (one interchange per body)"),
        .init("last segment unterminated", "IEA*1*000000101~\n", "IEA*1*000000101", reseal: false,
              .syntax, at: 60, "?", "the last segment has no segment terminator"),
        .init("ST03 another guide", "ST*837*0001*005010X222A1~", "ST*837*0001*005010X223A2~",
              .version, at: 3, "ST", "ST03 must be 005010X222A1 (837P), found 005010X223A2"),
        .init("GS08 another version", "*X*005010X222A1~", "*X*004010X098A1~",
              .version, at: 2, "GS", "GS08 must be 005010X222A1 (837P), found 004010X098A1"),
        .init("ISA12 not 5010", "*^*00501*", "*^*00401*", reseal: false,
              .version, at: 1, "ISA", "ISA12 must be 00501 (version 5010), found 00401"),
        .init("not an 837", "ST*837*0001", "ST*835*0001",
              .version, at: 3, "ST", "ST01 must be 837, found 835"),
        .init("billing provider is not NM1*85", "NM1*85*2*", "NM1*87*2*",
              .segment, at: 10, "NM1", "expected NM1*85 in loop 2010AA (billing provider), found NM1*87"),
        .init("missing BHT", "BHT*0019*00*BATCH0001*20260303*1015*CH~\n", "",
              .segment, at: 4, "NM1", "expected BHT in loop header (after ST), found NM1*41"),
        .init("missing SBR", "SBR*P*18*******MB~\n", "",
              .segment, at: 15, "NM1", "expected SBR in loop 2000B (subscriber), found NM1*IL"),
        .init("subscriber loop starts with another entity", "NM1*IL*1*DOE*JANE", "NM1*QC*1*DOE*JANE",
              .segment, at: 16, "NM1", "expected NM1*IL in loop 2010BA (subscriber), found NM1*QC"),
        .init("missing payer", "NM1*PR*2*MEDICARE JL*****PI*MEDICARE-JL~\n", "",
              .segment, at: 20, "CLM", "expected NM1*PR in loop 2010BB (payer), found CLM"),
        .init("unknown segment where PAT belongs", "PAT*19~", "ZZZ*19~",
              .segment, at: 44, "ZZZ", "expected PAT in loop 2000C (patient), found ZZZ"),
        .init("missing HI", "HI*ABK:M546*ABF:M545~\n", "",
              .segment, at: 21, "CLM", "expected HI with ABK (principal ICD-10-CM diagnosis) in loop 2300 of this claim"),
        .init("HI without ABK", "HI*ABK:M546*ABF:M545~", "HI*ABF:M546*ABF:M545~",
              .element, at: 24, "HI", "HI01: ABF (other diagnosis) before the ABK principal diagnosis"),
        .init("missing SV1", "SV1*HC:97110:GP*120*UN*2***1~\n", "",
              .segment, at: 28, "DTP", "expected SV1 in loop 2400 (service line), found DTP*472"),
        .init("missing service date", "DTP*472*D8*20260305~\n", "",
              .segment, at: 36, "SV1", "expected DTP*472 (service date) in loop 2400 of this line"),
        .init("claim without lines", "LX*1~\nSV1*HC:99213:25*95*UN*1***1:3~\nDTP*472*D8*20260305~\n", "",
              .segment, at: 33, "CLM", "expected LX/SV1 (loop 2400) in this claim: it has no service line"),
        .init("unknown segment in a claim", "PRV*PE*PXC*225100000X~", "XYZ*PE~",
              .segment, at: 26, "XYZ", "unexpected XYZ in loop 2310 (claim providers)"),
        .init("unknown segment in a line", "DTP*472*D8*20260302~\nLX*2~", "DTP*472*D8*20260302~\nABC*1~\nLX*2~",
              .segment, at: 30, "ABC", "unexpected ABC in loop 2400 (service line 1)"),
        .init("patient HL under the billing provider", "HL*4*3*23*0~", "HL*4*1*23*0~",
              .hierarchy, at: 43, "HL", "HL02 of HL 4 (level 23) must name a subscriber HL (level 22), found HL 1 of level 20"),
        .init("patient HL under an unknown parent", "HL*4*3*23*0~", "HL*4*9*23*0~",
              .hierarchy, at: 43, "HL", "HL02 of HL 4 (level 23) must name a subscriber HL (level 22), found 9, which is not an earlier HL"),
        .init("subscriber HL without parent", "HL*3*1*22*1~", "HL*3**22*1~",
              .hierarchy, at: 39, "HL", "HL02 of HL 3 (level 22) must name a billing provider HL (level 20), found no parent"),
        .init("HL ids out of sequence", "HL*4*3*23*0~", "HL*5*3*23*0~",
              .hierarchy, at: 43, "HL", "HL01 must be 4 (hierarchical ids count up from 1), found 5"),
        .init("unknown HL level", "HL*4*3*23*0~", "HL*4*3*24*0~",
              .hierarchy, at: 43, "HL", "HL03 must be 20 (billing provider), 22 (subscriber) or 23 (patient), found 24"),
        .init("patient HL without claims", "HL*4*3*23*0~", "HL*4*3*23*0~\nPAT*19~\nNM1*QC*1*X~\nHL*5*3*23*0~",
              .segment, at: 46, "HL", "expected CLM (loop 2300) under HL 4, found HL*23"),
        .init("fractional units", "SV1*HC:97110:GP*120*UN*2***1~", "SV1*HC:97110:GP*120*UN*2.5***1~",
              .element, at: 28, "SV1", "SV104 (units) must be a whole number"),
        .init("anesthesia minutes", "SV1*HC:97110:GP*120*UN*2***1~", "SV1*HC:97110:GP*120*MJ*30***1~",
              .element, at: 28, "SV1", "SV103 must be UN (units), found MJ: lines measured in minutes (anesthesia) are not supported"),
        .init("HL id holding text", "HL*4*3*23*0~", "HL*JANE DOE*3*23*0~",
              .hierarchy, at: 43, "HL", "HL01 must be 4 (hierarchical ids count up from 1), found a value that is not a code"),
        .init("service date qualifier", "DTP*472*D8*20260305~", "DTP*472*DT*202603051200~",
              .element, at: 37, "DTP", "DTP02 must be D8 or RD8 for DTP*472"),
    ]

    @Test(arguments: cases)
    func structuralErrorsNameTheSegment(_ c: BrokenInterchange) {
        #expect(throws: X12Error(c.kind, position: c.position, segment: c.segment, c.detail)) {
            try X837Reader.read(c.bytes)
        }
    }

    @Test(arguments: cases)
    func errorsNeverCarryPatientData(_ c: BrokenInterchange) throws {
        do {
            _ = try X837Reader.read(c.bytes)
            Issue.record("\(c.name): no error")
        } catch {
            let text = error.description + String(decoding: error.encodeProblem(), as: UTF8.self)
            for secret in X12Files.patientData {
                #expect(!text.contains(secret), "\(c.name) echoes patient data")
            }
        }
    }

    @Test func problemDocumentNamesSegmentAndPosition() throws {
        let e = X12Error(.envelope, position: 58, segment: "SE", "SE01 says 55 segments, the transaction has 56")
        let doc = try JSONParser.parse(e.encodeProblem())
        #expect(doc["status"] == .int(400))
        #expect(doc["type"] == .string(X12Error.problemType))
        #expect(doc["segment"] == .string("SE"))
        #expect(doc["position"] == .int(58))
        #expect(doc["detail"] == .string("segment 58 (SE): SE01 says 55 segments, the transaction has 56"))
    }

    @Test func impossibleDatesAreKeptForTheRules() throws {
        // Business data, not structure: the date rule reports it like a JSON claim's.
        let text = X12Files.text("multi-claim.837").replacing("DTP*472*D8*20260305~", with: "DTP*472*D8*20260231~")
        let claims = try X837Reader.read(Array(text.utf8))
        #expect(claims[1].claim.serviceLines?[0].serviceDate == .invalid("2026-02-31"))
    }
}
