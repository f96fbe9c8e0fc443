/// `DX_EXCLUDES1`: two codes on the claim that an Excludes1 note forbids together
/// (notes are inherited from every ancestor). One finding per pair of codes.
public struct DxExcludes1Rule: Rule {
    public var id: String { "DX_EXCLUDES1" }
    public var category: RuleCategory { .sequencing }
    public init() {}

    public func check(_ claim: Claim, _ context: RuleContext) -> [RuleHit] {
        let set = context.codeSet
        let facts = context.facts(of: claim)
        let codes = facts.diagnosisCodes
        // One per finding: a linear search over a few pairs, not hashing two strings each.
        var reported: [CodePair] = []
        var hits: [RuleHit] = []
        // Pairs of diagnoses the release holds, in claim order.
        for x in codes.indices where facts.entryIndex[x] >= 0 {
            for y in codes.indices[(x + 1)...] where facts.entryIndex[y] >= 0
                && codes[x] != codes[y] {
                let a = (index: x, code: codes[x]!, entry: Int(facts.entryIndex[x]), key: codes[x]!.packedKey)
                let b = (index: y, code: codes[y]!, entry: Int(facts.entryIndex[y]), key: codes[y]!.packedKey)
                let pair = CodePair(a.code, b.code)
                guard !reported.contains(pair) else { continue }
                // The note may sit on either code (or an ancestor of it).
                let found = set.firstExcludes1(alongLineageOf: a.entry, matching: b.code, packedKey: b.key)
                    .map { (noteOf: a.code, $0.holder, $0.pattern) }
                    ?? set.firstExcludes1(alongLineageOf: b.entry, matching: a.code, packedKey: a.key)
                    .map { (noteOf: b.code, $0.holder, $0.pattern) }
                guard let (noteOf, holder, pattern) = found else { continue }
                reported.append(pair)
                let inherited = holder == noteOf ? "" : joinedText(" (inherited from ", holder, ")")
                hits.append(RuleHit(
                    path: Paths.diagnosis(b.index),
                    // Codes, names and the pattern written into the text in place (`TextPart`).
                    message: joinedText(
                        set.namedPart(a.code), " and ", set.namedPart(b.code), " are not reported together: the Excludes1 note of ",
                        noteOf, inherited, " excludes ", pattern, "."),
                    codes: [a.code.dotted, b.code.dotted],
                    suggestion: "Report only the code the documentation supports; Excludes1 means the two conditions cannot occur together."))
            }
        }
        return hits
    }
}

/// Two codes in either order, as one key.
private struct CodePair: Equatable {
    let low: ICD10Code, high: ICD10Code
    /// Ordered by packed key (then text): integers, not a string comparison, for most codes.
    init(_ a: ICD10Code, _ b: ICD10Code) {
        let aFirst = a.packedKey != b.packedKey ? a.packedKey < b.packedKey : a.compact < b.compact
        (low, high) = aFirst ? (a, b) : (b, a)
    }
}
