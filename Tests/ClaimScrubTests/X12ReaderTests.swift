import Testing
@testable import ClaimScrub

/// The 837P fixtures under Fixtures/x12, located from this file.
enum X12Files {
    static let directory: String = {
        var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast()
        return parts.joined(separator: "/") + "/Fixtures/x12"
    }()

    static let names = ["multi-claim.837", "custom-delimiters.837"]

    static func bytes(_ name: String) -> [UInt8] {
        guard let b = FileBytes.read(directory + "/" + name) else { fatalError("missing fixture \(name)") }
        return b
    }

    static func text(_ name: String) -> String { String(decoding: bytes(name), as: UTF8.self) }

    /// The JSON twin of multi-claim.837: one claim per line, same order.
    static func twinClaims() throws -> [Claim] {
        try text("multi-claim.ndjson").split(separator: "\n").map { line throws -> Claim in
            try ClaimDecoder.decode(Array(line.utf8))
        }
    }

    /// Diagnoses compared by their canonical form: X12 sends `M546`, the twin `M54.6`.
    static func canonical(_ c: Claim) -> Claim {
        var c = c
        c.diagnoses = c.diagnoses?.map { DiagnosisEntry(raw: $0.display) }
        c.origin = .json
        return c
    }

    /// Rewrites SE01 to the real count, so a test of a body error is not answered by
    /// the envelope check (which runs first). Expects one segment per line.
    static func resealed(_ text: String) -> String {
        var lines = text.split(separator: "\n").map(String.init)
        let st = lines.firstIndex { $0.hasPrefix("ST*") }!
        let se = lines.firstIndex { $0.hasPrefix("SE*") }!
        let parts = lines[se].split(separator: "*").map(String.init)
        lines[se] = "SE*\(se - st + 1)*\(parts[2])"
        return lines.joined(separator: "\n") + "\n"
    }

    /// Patient data of the fixture that no error may ever contain.
    static let patientData = ["DOE", "JANE", "1EG4TE5MK73", "19610412", "ROE", "RICHARD", "W123456789",
                              "ANNA", "20100514", "OAK AVENUE", "ELM STREET", "shoulder", "Lumbar pain"]
}

@Suite struct X12ReaderTests {
    let claims = try! X837Reader.read(X12Files.bytes("multi-claim.837"))

    @Test func everyCLMBecomesAClaimInInterchangeOrder() {
        #expect(claims.map(\.claim.claimId) == ["CLM-2026-000123", "CLM-2026-000124", "CLM-2026-000125"])
        #expect(claims.allSatisfy { $0.transactionControlNumber == "0001" })
    }

    @Test func claimFieldsComeFromTheirSegments() throws {
        let c = claims[0].claim
        #expect(c.payer == Payer(id: "MEDICARE-JL", type: .medicare))
        #expect(c.patient == Patient(birthDate: DateField("1961-04-12"), sex: "F"))
        #expect(c.billingProvider?.npi == "1234567893")
        #expect(c.renderingProvider?.npi == "1245319599")
        #expect(c.placeOfService == "11")
        #expect(c.diagnoses?.map(\.display) == ["M54.6", "M54.5"])
        let lines = try #require(c.serviceLines)
        #expect(lines.map(\.procedureCode?.value) == ["97110", "97140"])
        #expect(lines[1].modifiers.map(\.value) == ["GP", "59"])
        #expect(lines.map(\.units) == [2, 1])
        #expect(lines.map(\.chargeAmount) == [120, 90])
        #expect(lines.map(\.diagnosisPointers) == [[1], [1, 2]])
        #expect(lines[0].serviceDate == DateField("2026-03-02"))
        #expect(c.documentation?.notes == "Pain between the shoulder blades for 3 weeks.")
        #expect(c.documentation?.onsetDate == DateField("2026-02-10"))
    }

    @Test func patientLoopRangeDatesAndLineLevelRenderingProvider() throws {
        // Claim 2: the rendering provider is only on the line (2420A).
        #expect(claims[1].claim.renderingProvider?.npi == "1245319590")
        // Claim 3: HL*23 patient, commercial payer, RD8 range, a line without modifiers.
        let c = claims[2].claim
        #expect(c.patient == Patient(birthDate: DateField("2010-05-14"), sex: "F"))
        #expect(c.payer == Payer(id: "ACME01", type: .commercial))
        #expect(c.renderingProvider == nil)
        let lines = try #require(c.serviceLines)
        #expect(lines[0].serviceDate == DateField("2026-03-02"))
        #expect(lines[0].serviceDateEnd == DateField("2026-03-06"))
        #expect(lines[0].modifiers.map(\.value) == ["GP", "KX"])
        #expect(lines[1].modifiers == [])
        #expect(lines[1].units == 0)
    }

    @Test func aPatientInheritsItsOwnParentsSubscriberNotThePreviousOne() throws {
        // HL 4 (patient) names HL 2 (Medicare subscriber), though HL 3 (ACME) comes between.
        let text = X12Files.text("multi-claim.837").replacing("HL*4*3*23*0~", with: "HL*4*2*23*0~")
        let c = try X837Reader.read(Array(text.utf8))[2]
        #expect(c.claim.payer == Payer(id: "MEDICARE-JL", type: .medicare))
        #expect(c.claim.patient == Patient(birthDate: DateField("2010-05-14"), sex: "F"))
        #expect(c.segmentReference(for: "/payer/type") == X12SegmentRef(segment: "SBR", position: 15, element: "SBR09"))
    }

    @Test func theJSONTwinIsTheSameClaims() throws {
        let twins = try X12Files.twinClaims()
        #expect(twins.count == claims.count)
        for (x, j) in zip(claims, twins) {
            #expect(X12Files.canonical(x.claim) == X12Files.canonical(j))
        }
    }

    @Test func otherDelimitersAndLineBreaksReadTheSame() throws {
        // custom-delimiters.837 is multi-claim.837 written with | > { and ' + CRLF.
        let other = try X837Reader.read(X12Files.bytes("custom-delimiters.837"))
        #expect(other.map(\.claim) == claims.map(\.claim))
        let interchange = try X12Interchange.parse(X12Files.bytes("custom-delimiters.837"))
        #expect(interchange.delimiters == X12Delimiters(
            element: UInt8(ascii: "|"), repetition: UInt8(ascii: "{"), component: UInt8(ascii: ">"), segment: UInt8(ascii: "'")))
        // No line breaks at all.
        let flat = X12Files.text("multi-claim.837").replacing("~\n", with: "~")
        #expect(try X837Reader.read(Array(flat.utf8)).map(\.claim) == claims.map(\.claim))
    }

    @Test(arguments: [
        ("MB", PayerType.medicare), ("MA", .medicare), ("MC", .medicaid), ("CI", .commercial),
        ("BL", .commercial), ("HM", .commercial), ("12", .commercial), ("WC", .other("other")), ("ZZ", .other("other")),
    ])
    func claimFilingIndicatorSelectsThePayerType(code: String, type: PayerType) throws {
        let text = X12Files.text("multi-claim.837").replacing("SBR*P*18*******MB~", with: "SBR*P*18*******\(code)~")
        #expect(try X837Reader.read(Array(text.utf8))[0].claim.payer?.type == type)
    }

    @Test func severalTransactionSetsAndGroups() throws {
        // The one transaction twice in the group (ST02 0002), and the group twice (GS06 102).
        let text = X12Files.text("multi-claim.837")
        let lines = text.split(separator: "\n").map(String.init)
        let st = lines.firstIndex { $0.hasPrefix("ST*") }!, se = lines.firstIndex { $0.hasPrefix("SE*") }!
        let second = lines[st...se].map { $0.replacing("*0001", with: "*0002") }
        let group = [lines[1]] + lines[st...se] + second + ["GE*2*101~"]
        let group2 = group.map { $0.replacing("*101*X*", with: "*102*X*").replacing("GE*2*101~", with: "GE*2*102~") }
        let all = [lines[0]] + group + group2 + ["IEA*2*000000101~"]
        let claims = try X837Reader.read(Array(all.joined(separator: "\n").utf8))
        #expect(claims.count == 12)
        #expect(claims.map(\.transactionControlNumber) == ["0001", "0002", "0001", "0002"].flatMap { Array(repeating: $0, count: 3) })
        // Positions count through the whole interchange: the 4th transaction's first CLM is
        // 18 after its ST, which follows three transactions and a GE+GS.
        #expect(claims[9].segmentReference(for: "/claimId") == X12SegmentRef(segment: "CLM", position: 3 + 3 * 56 + 2 + 18, element: "CLM01"))
    }

    @Test func truncatedDataNeverCrashesTheReader() {
        // Every prefix that cuts before the final terminator throws an X12Error: no trap on short data.
        let bytes = X12Files.bytes("multi-claim.837")
        let cuts = bytes.lastIndex(of: UInt8(ascii: "~"))!
        var errors = 0
        for n in 0...cuts {
            do {
                _ = try X837Reader.read(Array(bytes[..<n]))
            } catch {
                errors += 1
            }
        }
        #expect(errors == cuts + 1)
    }

    @Test func diagnosisCodesWithoutDotAreNormalised() {
        #expect(claims[1].claim.diagnoses?.map(\.display) == ["M54.50", "M54.50", "S30.1XXA"])
        #expect(claims[1].claim.diagnoses?.map(\.raw) == ["M5450", "M5450", "S301XXA"])
    }

    // MARK: pointer → segment

    @Test(arguments: [
        (0, "/diagnoses/0", X12SegmentRef(segment: "HI", position: 24, element: "HI01")),
        (0, "/diagnoses/1", X12SegmentRef(segment: "HI", position: 24, element: "HI02")),
        (0, "/diagnoses", X12SegmentRef(segment: "HI", position: 24)),
        (0, "/serviceLines/0/units", X12SegmentRef(segment: "SV1", position: 28, element: "SV104")),
        (0, "/serviceLines/0/chargeAmount", X12SegmentRef(segment: "SV1", position: 28, element: "SV102")),
        (0, "/serviceLines/0/procedureCode", X12SegmentRef(segment: "SV1", position: 28, element: "SV101-2")),
        (0, "/serviceLines/1/modifiers/1", X12SegmentRef(segment: "SV1", position: 31, element: "SV101-4")),
        (0, "/serviceLines/1/diagnosisPointers/1", X12SegmentRef(segment: "SV1", position: 31, element: "SV107-2")),
        (0, "/serviceLines/1/diagnosisPointers/5", X12SegmentRef(segment: "SV1", position: 31, element: "SV107")),
        (0, "/serviceLines/1/minutes", X12SegmentRef(segment: "SV1", position: 31)),
        (0, "/serviceLines/1/serviceDate", X12SegmentRef(segment: "DTP", position: 32, element: "DTP03")),
        (0, "/serviceLines", X12SegmentRef(segment: "LX", position: 27)),
        (0, "/billingProvider/npi", X12SegmentRef(segment: "NM1", position: 10, element: "NM109")),
        (0, "/renderingProvider/npi", X12SegmentRef(segment: "NM1", position: 25, element: "NM109")),
        (0, "/patient/birthDate", X12SegmentRef(segment: "DMG", position: 19, element: "DMG02")),
        (0, "/patient", X12SegmentRef(segment: "NM1", position: 16)),
        (0, "/payer/type", X12SegmentRef(segment: "SBR", position: 15, element: "SBR09")),
        (0, "/payer/id", X12SegmentRef(segment: "NM1", position: 20, element: "NM109")),
        (0, "/claimId", X12SegmentRef(segment: "CLM", position: 21, element: "CLM01")),
        (0, "/placeOfService", X12SegmentRef(segment: "CLM", position: 21, element: "CLM05-1")),
        (0, "/documentation/notes", X12SegmentRef(segment: "NTE", position: 23, element: "NTE02")),
        (0, "/documentation/onsetDate", X12SegmentRef(segment: "DTP", position: 22, element: "DTP03")),
        (0, "/documentation/severity", X12SegmentRef(segment: "CLM", position: 21)),
        (0, "", X12SegmentRef(segment: "CLM", position: 21)),
        (1, "/renderingProvider/npi", X12SegmentRef(segment: "NM1", position: 38, element: "NM109")),
        (1, "/diagnoses/2", X12SegmentRef(segment: "HI", position: 34, element: "HI03")),
        (2, "/patient/birthDate", X12SegmentRef(segment: "DMG", position: 48, element: "DMG02")),
        (2, "/patient", X12SegmentRef(segment: "NM1", position: 45)),
        (2, "/payer/type", X12SegmentRef(segment: "SBR", position: 40, element: "SBR09")),
        (2, "/serviceLines/0/serviceDateEnd", X12SegmentRef(segment: "DTP", position: 54, element: "DTP03")),
        (2, "/serviceLines/1/units", X12SegmentRef(segment: "SV1", position: 56, element: "SV104")),
    ])
    func pointersResolveToTheirSegment(claim: Int, pointer: String, expected: X12SegmentRef) {
        #expect(claims[claim].segmentReference(for: pointer) == expected)
    }

    @Test func prefixMatchingIsByWholeTokens() {
        // Line 1 exists, line 10 does not: /serviceLines/10 must not borrow line 1's SV1.
        #expect(claims[0].segmentReference(for: "/serviceLines/10/units") == X12SegmentRef(segment: "LX", position: 27))
    }
}
