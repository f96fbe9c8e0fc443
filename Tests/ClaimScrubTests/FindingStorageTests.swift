import Testing
@testable import ClaimScrub

/// A finding's shared per-rule fields, its two sentences in one string and its reference
/// override read and encode exactly as the plain fields they stand for.
@Suite struct FindingStorageTests {
    static let stamp = RuleStamp(
        rule: "MOD_25", category: .modifier, severity: .warning, weight: 0.3,
        likelyDenial: LikelyDenial(group: "CO", carc: "97", rarc: ["M80"]), reference: "NCCI manual")

    /// "Message." then "Suggestion." in one string, as MOD_25 writes them.
    static func joined() -> Finding {
        Finding(
            stamp: stamp, text: "The visit lacks 25.Append 25.", suggestionStart: 19, separateSuggestion: nil,
            path: "/serviceLines/0/modifiers", codes: .two("99213", "97110"), evidence: nil)
    }

    static let plain = Finding(
        rule: "MOD_25", category: .modifier, severity: .warning, message: "The visit lacks 25.", path: "/serviceLines/0/modifiers",
        codes: ["99213", "97110"], suggestion: "Append 25.", likelyDenial: LikelyDenial(group: "CO", carc: "97", rarc: ["M80"]),
        reference: "NCCI manual", weight: 0.3)

    @Test func joinedSentencesReadAndEncodeAsTwoFields() {
        let f = Self.joined()
        #expect(f.message == "The visit lacks 25.")
        #expect(f.suggestion == "Append 25.")
        #expect(f.codes == ["99213", "97110"])
        #expect(f == Self.plain)
        #expect(f.encodedJSON == Self.plain.encodedJSON)
    }

    @Test func settingOneSentenceKeepsTheOther() {
        var f = Self.joined()
        f.suggestion = "Bill it separately."
        #expect(f.message == "The visit lacks 25.")
        #expect(f.suggestion == "Bill it separately.")
        var g = Self.joined()
        g.message = "Another message."
        #expect(g.message == "Another message.")
        #expect(g.suggestion == "Append 25.")
        var h = Self.joined()
        h.suggestion = nil
        #expect(h.suggestion == nil)
        #expect(h.message == "The visit lacks 25.")
    }

    @Test func settersChangeOnlyTheirFinding() {
        let f = Self.joined()
        var g = f
        g.severity = .error
        g.rule = "OTHER"
        g.likelyDenial = nil
        #expect(f.severity == .warning && f.rule == "MOD_25" && f.likelyDenial != nil)
        #expect(g.severity == .error && g.rule == "OTHER" && g.likelyDenial == nil)
        #expect(g.category == .modifier && g.weight == 0.3 && g.reference == "NCCI manual")
    }

    @Test func aReferenceOverrideWinsUntilTheReferenceIsSet() {
        var f = Self.joined()
        f.referenceOverride = "PTP edit 97110/99213"
        #expect(f.reference == "PTP edit 97110/99213")
        #expect(f != Self.joined())
        #expect(String(decoding: f.encodedJSON, as: UTF8.self).contains("PTP edit 97110/99213"))
        f.reference = nil
        #expect(f.reference == nil)
        #expect(!String(decoding: f.encodedJSON, as: UTF8.self).contains("reference"))
    }
}

extension Finding {
    var encodedJSON: [UInt8] {
        var w = JSONWriter(capacity: 256)
        write(to: &w)
        return w.bytes
    }
}
