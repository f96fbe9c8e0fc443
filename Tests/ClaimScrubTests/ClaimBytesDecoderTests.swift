import Testing
@testable import ClaimScrub

/// The one-pass decoder against the tree path (`JSONParser` + `ClaimDecoder.decode(JSONValue)`):
/// on every input both must give the same claim or the same error, and the one-pass decoder
/// must never accept what the tree path rejects.
@Suite struct ClaimBytesDecoderTests {
    static let root: String = {
        // #filePath is …/Tests/ClaimScrubTests/ClaimBytesDecoderTests.swift.
        var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        return parts.joined(separator: "/")
    }()

    static func file(_ path: String) -> [UInt8] { FileBytes.read(root + "/" + path) ?? [] }

    static let exampleFiles: [String] = {
        let dir = "Tests/ClaimScrubTests/Fixtures/examples/"
        let names = [
            "malformed-units-type", "low-back-header-code", "pain-coded-before-scoliosis",
            "office-visit-and-therapy-same-day", "timed-units-exceed-minutes", "thoracic-mri-for-low-back-pain",
            "clean-thoracic-therapy", "unspecified-dorsalgia-documented-thoracic",
        ]
        return names.map { dir + $0 + ".claim.json" } + ["Benchmarks/Fixtures/typical.claim.json", "Benchmarks/Fixtures/worst-case.claim.json"]
    }()

    typealias Outcome = Result<Claim, ClaimInputError>

    static func tree(_ bytes: [UInt8]) -> Outcome {
        Outcome { () throws(ClaimInputError) in try ClaimDecoder.decodeViaTree(bytes) }
    }

    /// Checks one input; returns whether the one-pass decoder took it.
    @discardableResult
    static func check(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        let expected = tree(bytes)
        let fast = bytes.withUnsafeBytes { ClaimBytesDecoder.decode($0) }
        if let fast {
            #expect(expected == .success(fast), "one-pass decoder differs on \(String(decoding: bytes, as: UTF8.self).debugDescription)", sourceLocation: sourceLocation)
        }
        let viaArray = Outcome { () throws(ClaimInputError) in try ClaimDecoder.decode(bytes) }
        let viaBuffer = bytes.withUnsafeBytes { buf in Outcome { () throws(ClaimInputError) in try ClaimDecoder.decode(buf) } }
        #expect(viaArray == expected, sourceLocation: sourceLocation)
        #expect(viaBuffer == expected, sourceLocation: sourceLocation)
        return fast != nil
    }

    @Test(arguments: exampleFiles)
    func exampleClaimsDecodeInOnePassAsThroughTheTree(path: String) {
        let bytes = Self.file(path)
        #expect(!bytes.isEmpty)
        let tookFastPath = Self.check(bytes)
        // The one malformed example must fall back; every other one is a well-formed claim.
        #expect(tookFastPath == !path.contains("malformed"))
    }

    @Test func generatedClaimsDecodeTheSameBothWays() {
        var rng = SplitMix(seed: 8)
        var fastCount = 0, wellFormed = 0
        for _ in 0..<600 {
            var g = ClaimTextGenerator(rng: rng)
            let text = g.claim()
            rng = g.rng
            let bytes = Array(text.utf8)
            let took = Self.check(bytes)
            if case .success = Self.tree(bytes), !g.escapedKey {
                wellFormed += 1
                // Every well-formed claim without an escaped member name takes the fast path.
                #expect(took, "fell back on \(text.debugDescription)")
            }
            if took { fastCount += 1 }
        }
        // The generator makes both kinds: good claims and claims with wrong types.
        #expect(wellFormed > 150 && wellFormed < 600, "\(wellFormed) well-formed")
        #expect(fastCount > 150, "\(fastCount) on the fast path")
    }

    @Test func mutatedClaimsGiveTheSameClaimOrTheSameError() {
        var rng = SplitMix(seed: 99)
        var bases = Self.exampleFiles.map(Self.file)
        for _ in 0..<40 {
            var g = ClaimTextGenerator(rng: rng)
            bases.append(Array(g.claim().utf8))
            rng = g.rng
        }
        let alphabet = Array(#"{}[],:"\ 0123456789.eE+-tfnulraxyz/"#.utf8) + [0x00, 0x0A, 0x7F, 0x80, 0xC3, 0xA9, 0xED, 0xF4, 0xFF]
        for base in bases {
            for _ in 0..<150 {
                var bytes = base
                for _ in 0..<(1 + rng.below(2)) {
                    let at = rng.below(bytes.count + 1)
                    switch rng.below(5) {
                    case 0: if at < bytes.count { bytes.remove(at: at) }
                    case 1: bytes.insert(alphabet[rng.below(alphabet.count)], at: at)
                    case 2: if at < bytes.count { bytes[at] = alphabet[rng.below(alphabet.count)] }
                    case 3: bytes.removeLast(bytes.count - at)
                    default:
                        let end = min(bytes.count, at + rng.below(12))
                        bytes.insert(contentsOf: bytes[at..<end], at: at)
                    }
                }
                Self.check(bytes)
            }
        }
    }

    @Test(arguments: [
        // Repeated keys: applied in order, the last stays; a later null leaves the earlier value.
        (#"{"claimId":"A","claimId":"B"}"#, true),
        (#"{"claimId":"A","claimId":null}"#, true),
        (#"{"claimId":1,"claimId":"B"}"#, false),
        (#"{"serviceLines":[{"units":2.0,"chargeAmount":1e2,"minutes":-0}]}"#, true),
        (#"{"serviceLines":[{"units":2.5}]}"#, false),
        (#"{"serviceLines":[{"units":12345678901234567890}]}"#, false),
        (#"{"serviceLines":[{"chargeAmount":12345678901234567890}]}"#, true),
        (#"{"serviceLines":[{"modifiers":[null]}]}"#, false),
        (#"{"diagnoses":["M54.5",null]}"#, false),
        (#"{"claim\u0049d":"A"}"#, false),
        (#"{"claimId":"caf\u00e9 \ud83d\ude00 \"q\" \/"}"#, true),
        (#"{"documentation":{"neurologicalDeficits":"yes"}}"#, false),
        (#"{"x":{"y":[1,{"z":[true,false,null,"\u0000"]}]},"claimId":"A"}"#, true),
        (#"{"claimId":"A",}"#, false),
        (#"{"claimId":"A"} x"#, false),
        (#"[]"#, false),
        ("\u{FEFF}{}", false),
        (" \t\r\n{ } \n", true),
    ])
    func edgeCasesMatchTheTreePath(text: String, fast: Bool) {
        #expect(Self.check(Array(text.utf8)) == fast)
    }

    /// The byte-level normalizers against the model's own initializers, on short random
    /// strings over an alphabet of the characters those initializers treat specially.
    @Test func byteNormalizersMatchTheModelsInitializers() {
        let alphabet = [" ", "\t", ".", "-", "a", "m", "z", "M", "Z", "0", "5", "9", "é", "ß", "\u{301}", "\r\n", "/"]
        var rng = SplitMix(seed: 3)
        var samples = ["", "M54.5", " m54.50\t", "M54.", "M5", "S22.000A", "s22000a1", "A.123", "2024-02-29", "2023-02-29",
                       "2026-05-04", "2026-5-04", "0000-01-01", "9999-12-31", "gp", " 97110 ", "ß", " \u{301}x"]
        for _ in 0..<4_000 {
            samples.append((0..<rng.below(11)).map { _ in alphabet[rng.below(alphabet.count)] }.joined())
            var date = Array("2026-05-04")
            date[rng.below(10)] = Character(alphabet[rng.below(alphabet.count)])
            samples.append(String(date))
        }
        for text in samples {
            let bytes = Array(text.utf8)
            bytes.withUnsafeBufferPointer { raw in
                #expect(ClaimBytesDecoder.icd10(raw) == ICD10Code(text), "\(text.debugDescription)")
                #expect(ClaimBytesDecoder.isoDate(raw) == ServiceDate(iso: text), "\(text.debugDescription)")
                let expected: String? = bytes.allSatisfy { $0 < 0x80 } ? text.trimmingSpaces.uppercased() : nil
                #expect(ClaimBytesDecoder.trimmedUppercaseASCII(raw) == expected, "\(text.debugDescription)")
            }
        }
    }

    /// Strings are scanned eight bytes at a time: whatever needs attention (an escape, a raw
    /// control character, non-ASCII, invalid UTF-8) must be seen at every offset.
    @Test(arguments: [
        (Array(#"\""#.utf8), true), (Array(#"\\"#.utf8), true), (Array(#"\u00e9"#.utf8), true), (Array("é".utf8), true),
        (Array("日".utf8), true), ([0x7F], true), ([0x20], true), ([0x1F], false), ([0x0A], false), ([0xFF], false),
        ([0xC3], false), ([0xED, 0xA0, 0x80], false), (Array(#"\x"#.utf8), false),
    ] as [([UInt8], Bool)])
    func stringBytesNeedingAttentionAreSeenAtEveryOffset(special: [UInt8], valid: Bool) {
        for length in [1, 7, 8, 9, 15, 16, 17, 24] {
            for at in 0..<length {
                let value = [UInt8](repeating: UInt8(ascii: "a"), count: at) + special
                    + [UInt8](repeating: UInt8(ascii: "b"), count: length - at - 1)
                let doc = Array(#"{"claimId":""#.utf8) + value + Array(#"","placeOfService":"11"}"#.utf8)
                #expect(Self.check(doc) == valid)
            }
        }
    }

    @Test(arguments: [62, 63, 64, 65])
    func nestingLimitIsTheParsers(depth: Int) {
        // The claim object is one level; `depth` arrays inside an unknown member.
        let text = #"{"x":"# + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "}"
        let took = Self.check(Array(text.utf8))
        #expect(took == (depth + 1 <= JSONParser.defaultMaxDepth))
    }
}

/// A seeded generator (SplitMix64) so every run checks the same inputs.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { n <= 0 ? 0 : Int(next() % UInt64(n)) }
    mutating func chance(_ p: Double) -> Bool { Double(next() % 10_000) < p * 10_000 }
}

/// Writes claim-shaped JSON text: every field sometimes absent, null, repeated or of the wrong
/// type; unknown members with nested values; escapes, non-ASCII text, odd number forms and
/// whitespace.
struct ClaimTextGenerator {
    var rng: SplitMix
    /// A member name was written with an escape (the one-pass decoder leaves those to the tree path).
    var escapedKey = false
    /// Chance that a value gets a wrong type.
    var wrongType = 0.004

    init(rng: SplitMix) { self.rng = rng }

    mutating func ws() -> String {
        switch rng.below(8) {
        case 0: return " "
        case 1: return "\n  "
        case 2: return "\t\r\n"
        default: return ""
        }
    }

    mutating func pick<T>(_ xs: [T]) -> T { xs[rng.below(xs.count)] }

    mutating func stringLiteral() -> String {
        let pieces = [
            "M54.5", "m51.26 ", " 97110", "gp", "GP", "25", "2026-05-04", "2026-02-30", "1958-09-03", "medicare",
            "Commercial", "other-payer", "1234567893", "11", "lumbar", "7/10, radiating", "", "08:00", "8:00",
            "caf\\u00e9", "\\ud83d\\ude00", "tab\\there", "quote \\\" and \\\\", "slash \\/", "é ü ß", "日本", "\\n",
            "a very long note about the patient that goes past the small-string limit of fifteen bytes",
            "m54.5\\t", "M54..5", "m5", "M545000A", "s22.000a", "ß", " \\t ", "2026-5-04", "2024-02-29", "2023-02-29",
            "0000-01-01", " 2026-05-04", "97110 ", "\\u00df", "g\\u0070", "M54.5\\u0009",
        ]
        return "\"" + pick(pieces) + "\""
    }

    mutating func numberLiteral(integral: Bool) -> String {
        let ints = ["0", "1", "2", "3", "-1", "-0", "15", "120", "2.0", "1e1", "1E+1", "30.000", "9007199254740993"]
        let nums = ["120.0", "90", "45.5", "0.1", "1e2", "-3.25", "1.7976931348623157e308", "2e400", "12345678901234567890", "0.30000000000000004"]
        return integral ? pick(ints) : pick(nums)
    }

    mutating func anyValue(_ depth: Int) -> String {
        switch rng.below(depth > 2 ? 5 : 7) {
        case 0: return stringLiteral()
        case 1: return numberLiteral(integral: rng.chance(0.5))
        case 2: return pick(["true", "false", "null"])
        case 3: return "-0.5e-3"
        case 4: return "\"\""
        case 5: return "[" + (0..<rng.below(3)).map { _ in anyValue(depth + 1) }.joined(separator: ",") + "]"
        default:
            return "{" + (0..<rng.below(3)).map { k in "\"k\(k)\":" + ws() + anyValue(depth + 1) }.joined(separator: ",") + "}"
        }
    }

    /// A wrong-typed replacement for a value of the given kind, sometimes.
    mutating func maybeWrong(_ good: String) -> String {
        guard rng.chance(wrongType) else { return good }
        return pick(["\"x\"", "1", "true", "[]", "{}", "[1]", "2.5"])
    }

    mutating func key(_ name: String) -> String {
        if rng.chance(0.01), let first = name.unicodeScalars.first {
            escapedKey = true
            return "\"\\u00\(String(first.value, radix: 16))\(name.dropFirst())\""
        }
        return "\"" + name + "\""
    }

    typealias Make = @Sendable (inout ClaimTextGenerator) -> String

    static let str: Make = { $0.stringLiteral() }
    static let int: Make = { $0.numberLiteral(integral: true) }
    static func fixed(_ text: String) -> Make { { _ in text } }

    mutating func object(_ members: [(String, Make)]) -> String {
        var parts: [String] = []
        for (name, value) in members {
            let r = rng.below(20)
            if r == 0 { continue }
            let v = r == 1 ? "null" : maybeWrong(value(&self))
            parts.append(ws() + key(name) + ws() + ":" + ws() + v + ws())
            if rng.chance(0.03) { parts.append(key(name) + ":" + maybeWrong(value(&self))) }
        }
        if rng.chance(0.2) { parts.append("\"extra\(rng.below(9))\":" + anyValue(0)) }
        // Member order does not matter to the decoder except for repeated keys.
        for k in stride(from: parts.count - 1, to: 0, by: -1) where rng.chance(0.2) {
            parts.swapAt(k, rng.below(k + 1))
        }
        return "{" + parts.joined(separator: ",") + "}"
    }

    mutating func array(_ count: Int, _ element: Make) -> String {
        var items: [String] = []
        for _ in 0..<count { items.append(maybeWrong(element(&self))) }
        return "[" + ws() + items.joined(separator: "," + ws()) + ws() + "]"
    }

    mutating func claim() -> String {
        typealias G = ClaimTextGenerator
        let s = G.str, int = G.int
        let payer = object([("id", s), ("type", s)])
        let patient = object([("birthDate", s), ("sex", s)])
        let billing = object([("npi", s)])
        let rendering = object([("npi", s)])
        let dx = array(rng.below(5), s)
        var lines: [String] = []
        for _ in 0..<rng.below(5) {
            let mods = array(rng.below(3), s)
            let pointers = array(rng.below(4), int)
            let charge = numberLiteral(integral: false)
            lines.append(object([
                ("procedureCode", s), ("modifiers", G.fixed(mods)), ("units", int), ("chargeAmount", G.fixed(charge)),
                ("serviceDate", s), ("serviceDateEnd", s), ("diagnosisPointers", G.fixed(pointers)), ("minutes", int),
                ("startTime", s), ("endTime", s),
            ]))
        }
        let regions = array(rng.below(3), s)
        let findings = array(rng.below(3), s)
        let related = array(rng.below(2), s)
        let documentation = object([
            ("onsetDate", s), ("severity", s), ("progression", s), ("painRegions", G.fixed(regions)), ("laterality", s),
            ("examFindings", G.fixed(findings)), ("neurologicalDeficits", G.fixed("true")), ("imagingJustification", s),
            ("conservativeTreatmentWeeks", int), ("relatedConditions", G.fixed(related)), ("notes", s),
        ])
        let linesText = "[" + lines.joined(separator: ",") + "]"
        return ws() + object([
            ("claimId", s), ("payer", G.fixed(payer)), ("patient", G.fixed(patient)), ("billingProvider", G.fixed(billing)),
            ("renderingProvider", G.fixed(rendering)), ("placeOfService", s), ("diagnoses", G.fixed(dx)),
            ("serviceLines", G.fixed(linesText)), ("documentation", G.fixed(documentation)),
        ]) + ws()
    }
}
