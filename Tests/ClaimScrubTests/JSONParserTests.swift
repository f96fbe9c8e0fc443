import Testing
@testable import ClaimScrub

@Suite struct JSONParserTests {
    func parse(_ s: String) throws(JSONSyntaxError) -> JSONValue { try JSONParser.parse(Array(s.utf8)) }

    @Test func parsesAllValueKindsKeepingKeyOrder() throws {
        let v = try parse(#" {"b": [1, -2, 2.0, 1e2, true, false, null], "a": {"x": "y"}} "#)
        guard case .object(let members) = v else { Issue.record("not an object"); return }
        #expect(members.map(\.key) == ["b", "a"])
        #expect(v["b"] == .array([.int(1), .int(-2), .double(2), .double(100), .bool(true), .bool(false), .null]))
        #expect(v["a"]?["x"] == .string("y"))
    }

    @Test func decodesEscapesAndSurrogatePairs() throws {
        #expect(try parse(#""a\"b\\c\/d\n\t\u00e9\ud83d\ude00""#) == .string("a\"b\\c/d\n\té😀"))
        #expect(try parse("\"naïve ✓\"") == .string("naïve ✓"))
    }

    @Test func integersTooLargeForIntBecomeDoubles() throws {
        #expect(try parse("-9223372036854775808") == .int(Int.min))
        #expect(try parse("9223372036854775808") == .double(9223372036854775808))
    }

    @Test(arguments: [
        ("[1,]", 3, "expected a value"),
        ("{\"a\":1,}", 7, "expected a string key"),
        ("[01]", 1, "leading zero"),
        ("// c\n{}", 0, "expected a value"),
        ("{\"a\" 1}", 5, "expected ':'"),
        ("\"\\x\"", 1, "valid escape"),
        ("\"\\ud800\"", 1, "low surrogate"),
        ("\"\\udc00\"", 1, "high surrogate"),
        ("[\"\\u12G4\"]", 6, "four hex digits"),
        ("\"\\u12", 5, "four hex digits"),
        ("\"a\tb\"", 2, "control character"),
        ("[1] 2", 4, "end of the document"),
        ("[1.]", 3, "digit after '.'"),
        ("[1e+]", 4, "digit in the exponent"),
        ("[-x]", 2, "expected a digit"),
        ("-", 1, "expected a digit"),
        ("", 0, "end of the input"),
        ("tru", 3, "'true'"),
    ])
    func rejectsWhatRFC8259Rejects(text: String, offset: Int, expected: String) {
        #expect {
            _ = try parse(text)
        } throws: { error in
            guard let e = error as? JSONSyntaxError else { return false }
            return e.offset == offset && e.expected.contains(expected)
        }
    }

    @Test(arguments: [[0x22, 0xC3, 0x28, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22], [0x22, 0xC0, 0xAF, 0x22], [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22]] as [[UInt8]])
    func rejectsInvalidUTF8(bytes: [UInt8]) {
        #expect(throws: JSONSyntaxError.self) { try JSONParser.parse(bytes) }
    }

    @Test func limitsNestingDepth() throws {
        let ok = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        _ = try parse(ok)
        let deep = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        #expect(throws: JSONSyntaxError.self) { try parse(deep) }
    }

    @Test func syntaxErrorsNameTheEnclosingValue() {
        #expect {
            _ = try parse(#"{"serviceLines":[{"units": 2 "x": 1}], "a/b~c": 1}"#)
        } throws: { error in
            (error as? JSONSyntaxError)?.pointer == "/serviceLines/0"
        }
        #expect {
            _ = try parse(#"{"a/b~c": [tru]}"#)
        } throws: { error in
            (error as? JSONSyntaxError)?.pointer == "/a~1b~0c/0"
        }
    }
}

@Suite struct JSONWriterTests {
    @Test func escapesQuotesBackslashesAndControlCharacters() {
        var w = JSONWriter()
        w.beginObject()
        w.key("k\"")
        w.string("a\"b\\c\n\u{01}\u{1F}é")
        w.key("n"); w.int(-120)
        w.key("d"); w.double(0.5)
        w.key("i"); w.double(90)
        w.key("l")
        w.beginArray(); w.int(0); w.bool(true); w.null(); w.endArray()
        w.endObject()
        #expect(String(decoding: w.bytes, as: UTF8.self) == #"{"k\"":"a\"b\\c\n\u0001\u001fé","n":-120,"d":0.5,"i":90,"l":[0,true,null]}"#)
    }

    @Test func roundTripsThroughTheParser() throws {
        let text = #"{"a":[1,2.5,"x\u0000y",{"b":null}],"c":"ü"}"#
        let v = try JSONParser.parse(Array(text.utf8))
        var w = JSONWriter()
        w.value(v)
        #expect(try JSONParser.parse(w.bytes) == v)
    }

    /// The escape check reads eight bytes at a time: a character to escape must be found at
    /// every offset, and bytes next to the boundaries (space, DEL, non-ASCII) must not be escaped.
    @Test(arguments: ["\"", "\\", "\n", "\u{01}", "\u{1F}", "\u{00}", " ", "\u{7F}", "é", "~", "!", "#", "]"])
    func escapesAtEveryOffset(special: String) throws {
        func reference(_ s: String) -> String {
            var out = "\""
            for u in s.unicodeScalars {
                switch u {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\u{01}": out += "\\u0001"
                case "\u{1F}": out += "\\u001f"
                case "\u{00}": out += "\\u0000"
                default: out.unicodeScalars.append(u)
                }
            }
            return out + "\""
        }
        // Around 8-byte words, and around the length up to which a string is assembled on the stack.
        for length in [1, 7, 8, 9, 16, 23, 24, 119, 120, 121, 130] {
            for at in 0..<length {
                let s = String(repeating: "a", count: at) + special + String(repeating: "b", count: length - at - 1)
                var w = JSONWriter()
                w.string(s)
                #expect(String(decoding: w.bytes, as: UTF8.self) == reference(s))
                #expect(try JSONParser.parse(w.bytes) == .string(s))
                // As a member name and a value after a first member (comma, colon).
                var o = JSONWriter()
                o.beginObject()
                o.key("a"); o.int(1)
                o.key(s); o.string(s)
                o.endObject()
                #expect(String(decoding: o.bytes, as: UTF8.self) == #"{"a":1,"# + reference(s) + ":" + reference(s) + "}")
            }
        }
    }

    /// Fixed member names and values (`key(fixed:)`, `string(fixed:)`, `member`) give the
    /// same bytes as the scanned ones, commas included; `member` still escapes its value.
    @Test(arguments: ["", "plain", "a\"b", "tab\there", String(repeating: "x", count: 239), String(repeating: "y", count: 241),
                      String(repeating: "z", count: 300) + "\n", "é😀"])
    func fixedNamesWriteTheSameBytesAsScannedOnes(value: String) {
        var scanned = JSONWriter()
        scanned.beginObject()
        scanned.key("first"); scanned.string("pass")
        scanned.key("name"); scanned.string(value)
        scanned.key("list"); scanned.beginArray(); scanned.string("low"); scanned.string("high"); scanned.endArray()
        scanned.endObject()
        var fixed = JSONWriter()
        fixed.beginObject()
        fixed.key(fixed: "first"); fixed.string(fixed: "pass")
        fixed.member("name", value)
        fixed.key(fixed: "list"); fixed.beginArray(); fixed.string(fixed: "low"); fixed.string(fixed: "high"); fixed.endArray()
        fixed.endObject()
        #expect(fixed.bytes == scanned.bytes)
        #expect((try? JSONParser.parse(fixed.bytes))?["name"] == .string(value))
    }

    /// The enums' fixed raw values (written without a scan) are their raw values.
    @Test func fixedRawValuesAreTheRawValues() {
        for s in Severity.allCases { #expect(s.fixedRawValue.description == s.rawValue) }
        for c in RuleCategory.allCases { #expect(c.fixedRawValue.description == c.rawValue) }
        for s in [ClaimStatus.pass, .review, .fail] { #expect(s.fixedRawValue.description == s.rawValue) }
        for l in [RiskLevel.low, .medium, .high] { #expect(l.fixedRawValue.description == l.rawValue) }
    }

    /// The writer keeps the first 64 levels' comma state in a bit mask and deeper ones apart.
    @Test(arguments: [1, 63, 64, 65, 66, 130])
    func placesCommasAtEveryNestingDepth(depth: Int) throws {
        var v = JSONValue.object([("a", .int(1)), ("b", .array([])), ("c", .object([]))])
        for level in 0..<depth {
            v = level % 2 == 0 ? .array([.int(level), v, .string("x"), .null]) : .object([("k", v), ("n", .bool(true))])
        }
        var w = JSONWriter()
        w.value(v)
        w.value(.int(7))  // a second top-level value: no comma before it
        var expected = JSONWriter()
        expected.value(v)
        #expect(w.bytes == expected.bytes + Array("7".utf8))
        #expect(try JSONParser.parse(expected.bytes, maxDepth: 200) == v)
        w.reset()
        w.value(v)
        #expect(w.bytes == expected.bytes)
    }
}

@Suite struct JSONPointerTests {
    @Test func ordersNumericSegmentsNumerically() {
        #expect(JSONPointer.precedes("/serviceLines/2", "/serviceLines/10"))
        #expect(!JSONPointer.precedes("/serviceLines/10", "/serviceLines/2"))
        #expect(JSONPointer.precedes("/diagnoses", "/diagnoses/0"))
        #expect(JSONPointer.precedes("/claimId", "/diagnoses/0"))
        #expect(JSONPointer.precedes("/serviceLines/2/units", "/serviceLines/10/diagnosisPointers"))
    }

    @Test func escapesTildeAndSlash() {
        #expect(JSONPointer.escape("a/b~c") == "a~1b~0c")
    }
}
