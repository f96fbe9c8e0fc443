import Testing
@testable import ClaimScrub

@Suite struct ClaimDecoderTests {
    func decode(_ s: String) throws(ClaimInputError) -> Claim { try ClaimDecoder.decode(Array(s.utf8)) }

    func inputError(_ s: String) -> ClaimInputError? {
        do { _ = try decode(s) } catch { return error }
        return nil
    }

    @Test func decodesTheContractsExampleShape() throws {
        let c = try decode("""
            {"claimId":"C1","payer":{"id":"MEDICARE-JL","type":"medicare"},"billingProvider":{"npi":"1234567893"},
             "diagnoses":["m546","M54.9"],"unknown":{"x":[1]},
             "serviceLines":[{"procedureCode":" 97110 ","modifiers":["gp"],"units":2.0,"chargeAmount":120,
               "serviceDate":"2026-03-02","diagnosisPointers":[1],"minutes":30,"startTime":"09:00","endTime":"09:30"}],
             "documentation":{"painRegions":["thoracic"],"neurologicalDeficits":false,"onsetDate":"2026-02-10"}}
            """)
        #expect(c.claimId == "C1")
        #expect(c.payer?.type == .medicare)
        #expect(c.diagnoses?.map(\.display) == ["M54.6", "M54.9"])
        let line = c.serviceLines![0]
        #expect(line.procedureCode?.value == "97110")
        #expect(line.modifiers == [Modifier("GP")])
        #expect(line.units == 2)
        #expect(line.serviceDate == .valid(ServiceDate(iso: "2026-03-02")!))
        #expect(c.documentation?.painRegions == ["thoracic"])
    }

    @Test func wrongTypeCarriesThePointerNotTheValue() {
        let e = inputError(#"{"claimId":"EX-008","diagnoses":["M54.6"],"serviceLines":[{"procedureCode":"97110","units":"two"}]}"#)
        #expect(e?.kind == .type)
        #expect(e?.errors == [.init(pointer: "/serviceLines/0/units", detail: "expected an integer, got a string")])
        #expect(!(e?.summary.contains("two") ?? true))
    }

    @Test func collectsSeveralTypeErrors() {
        let e = inputError(#"{"claimId":5,"diagnoses":["M54.6",7],"serviceLines":[{},{"units":2.5,"diagnosisPointers":["1"]}]}"#)
        #expect(e?.errors.map(\.pointer) == ["/claimId", "/diagnoses/1", "/serviceLines/1/units", "/serviceLines/1/diagnosisPointers/0"])
        #expect(e?.errors[2].detail == "expected an integer, got a number with a fraction")
    }

    @Test func malformedJSONIsASyntaxErrorWithOffsetAndPointer() {
        let e = inputError(#"{"serviceLines":[{"units":2,}]}"#)
        #expect(e?.kind == .syntax)
        #expect(e?.byteOffset == 28)
        #expect(e?.errors.first?.pointer == "/serviceLines/0")
    }

    @Test(arguments: ["[]", "\"claim\"", "null", "3"])
    func topLevelMustBeAnObject(text: String) {
        let e = inputError(text)
        #expect(e?.kind == .type)
        #expect(e?.errors.first?.pointer == "")
    }

    @Test func nullIsAbsentAndMissingBusinessDataDecodes() throws {
        let c = try decode(#"{"claimId":null,"diagnoses":[],"serviceLines":[{"units":0,"serviceDate":"2026-02-30"}]}"#)
        #expect(c.claimId == nil)
        #expect(c.diagnoses == [])
        #expect(c.serviceLines?[0].units == 0)
        #expect(c.serviceLines?[0].serviceDate == .invalid("2026-02-30"))
    }

    @Test func nestedObjectsReportTheirOwnPointers() {
        let e = inputError(#"{"payer":{"id":["a"]},"documentation":{"neurologicalDeficits":"no"},"billingProvider":"1234567893"}"#)
        #expect(e?.errors.map(\.pointer) == ["/payer/id", "/documentation/neurologicalDeficits", "/billingProvider"])
        #expect(e?.errors.last?.detail == "expected an object, got a string")
    }

    @Test func problemDocumentHasTheRFC9457Fields() throws {
        let e = inputError(#"{"serviceLines":[{"units":"two"}]}"#)!
        let doc = try JSONParser.parse(e.problem.encode())
        #expect(doc["status"] == .int(400))
        #expect(doc["title"] != nil && doc["type"] != nil && doc["detail"] != nil)
        #expect(doc["errors"] == .array([.object([("pointer", .string("/serviceLines/0/units")), ("detail", .string("expected an integer, got a string"))])]))
    }
}

@Suite struct ClaimDecoderBufferTests {
    @Test func decodesFromABorrowedSliceWithTheSameErrors() {
        let line = Array(#"xx{"serviceLines":[{"units":"two"}]}yy"#.utf8)[2..<36]
        #expect {
            _ = try line.withUnsafeBytes { buf throws(ClaimInputError) in try ClaimDecoder.decode(buf) }
        } throws: { error in
            (error as? ClaimInputError)?.errors.first?.pointer == "/serviceLines/0/units"
        }
    }
}
