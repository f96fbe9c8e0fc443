import Testing
@testable import ClaimScrub

/// `JSONPointer.precedes` walks bytes in place; it must order exactly as splitting the
/// pointers into segments does (the order findings are reported in).
@Suite struct PointerOrderTests {
    private static func reference(_ a: String, _ b: String) -> Bool {
        let sa = a.split(separator: "/", omittingEmptySubsequences: false)
        let sb = b.split(separator: "/", omittingEmptySubsequences: false)
        for (x, y) in zip(sa, sb) where x != y {
            if let nx = Int(x), let ny = Int(y), x.allSatisfy(\.isNumber), y.allSatisfy(\.isNumber) { return nx < ny }
            return Array(x.utf8).lexicographicallyPrecedes(Array(y.utf8))
        }
        return sa.count < sb.count
    }

    private static let pointers = [
        "", "/", "//", "/claimId", "/diagnoses", "/diagnoses/0", "/diagnoses/1", "/diagnoses/10", "/diagnoses/2",
        "/serviceLines/2/units", "/serviceLines/10/diagnosisPointers", "/serviceLines/2", "/serviceLines/02",
        "/serviceLines/2/modifiers/0", "/serviceLines/b", "/serviceLines/a/1", "/documentation/painRegions/1",
        // Pointers alike up to the middle of a segment (the walk starts at the first differing one).
        "/serviceLines/1/procedureCode", "/serviceLines/11/procedureCode", "/serviceLines/1/procedure", "/serviceLines/1",
        "/serviceLines/1/", "/serviceLines/a", "/serviceLines/ab/1", "/diagnoses/1/x",
    ]

    @Test func agreesWithSegmentSplittingOnEveryPair() {
        for a in Self.pointers {
            for b in Self.pointers {
                #expect(JSONPointer.precedes(a, b) == Self.reference(a, b), "\(a) vs \(b)")
            }
        }
    }
}

/// The decoder renders a field's pointer only when it reports a problem there.
@Suite struct DecoderPointerTests {
    @Test func typeErrorsNameTheirFieldAtEveryDepth() throws {
        let body = #"{"claimId":1,"payer":{"type":2},"serviceLines":[{},{"modifiers":["GP",5],"units":"2"}],"#
            + #""documentation":{"painRegions":["lumbar",3]},"diagnoses":[null,"M54.6",7],"patient":[]}"#
        let error = try #require(throws: ClaimInputError.self) { try ClaimDecoder.decode(Array(body.utf8)) }
        #expect(error.errors.map(\.pointer).sorted() == [
            "/claimId", "/diagnoses/0", "/diagnoses/2", "/documentation/painRegions/1", "/patient", "/payer/type",
            "/serviceLines/1/modifiers/1", "/serviceLines/1/units",
        ])
    }
}

/// Code-set lookups search by `packedKey`; it must order codes exactly as their text does.
@Suite struct PackedKeyTests {
    @Test func ordersAndDistinguishesCodesAsTheirTextDoes() {
        let codes = ["M54", "M545", "M5450", "M546", "M54Z", "A00", "Z9989", "S22000A", "S2200XA", "M5", "M540", "T8609XS"]
            .map { ICD10Code(uncheckedCompact: $0) }
        for a in codes {
            for b in codes {
                #expect((a.packedKey < b.packedKey) == (a < b), "\(a) vs \(b)")
                #expect((a.packedKey == b.packedKey) == (a == b), "\(a) vs \(b)")
            }
        }
    }
}
