/// `DX_SYMPTOM_PRIMARY`: the primary diagnosis is a symptom while a definitive, related
/// condition is also coded. The fix moves the definitive code first and rewrites every
/// line's pointers so that each still names the same code.
public struct DxSymptomPrimaryRule: Rule {
    public var id: String { "DX_SYMPTOM_PRIMARY" }
    public var category: RuleCategory { .sequencing }
    public init() {}

    public func check(_ claim: Claim, _ context: RuleContext) -> [RuleHit] {
        // The table is read in place (binding it copied its arrays for every claim).
        let tables = context.tables
        let codes = context.facts(of: claim).diagnosisCodes
        guard let primaryEntry = codes.first, let primary = primaryEntry,
              let (from, group) = tables.sequencing?.definitive(for: primary, in: codes),
              let definitive = codes[from] else { return [] }

        // A `replace /diagnoses/k` of DX_UNSPECIFIED for k ≤ from means a different code once the
        // move has shifted the list; the two patches only compose in one order, which the result
        // does not guarantee. Offer the move once the specificity fix has been applied.
        let shifted = DxUnspecifiedRule().replacesDiagnosis(atOrBefore: from, claim, context)
        var fix: [PatchOperation] = []
        if !shifted {
            fix.append(.move(from: "/diagnoses/\(from)", path: "/diagnoses/0"))
            for (i, line) in (claim.serviceLines ?? []).enumerated() {
                guard let pointers = line.diagnosisPointers else { continue }
                let moved = pointers.map { Self.pointerAfterMove($0, movedFrom: from, count: codes.count) }
                if moved != pointers {
                    fix.append(.replace(path: Paths.line(i, "diagnosisPointers"), value: .intArray(moved)))
                }
            }
        }
        let primaryDotted = primary.dotted, definitiveDotted = definitive.dotted
        return [RuleHit(
            path: "/diagnoses/0",
            // Texts built at their final size (`joinedText`).
            message: joinedText(
                "The primary diagnosis ", context.describe(primary), " is a symptom, and the claim also codes the ", group, " ",
                context.describe(definitive), " that explains it: list ", definitiveDotted, " first."),
            codes: [primaryDotted, definitiveDotted],
            suggestion: joinedText(
                "Move ", definitiveDotted, " to the first position and keep ", primaryDotted, " as a secondary diagnosis."),
            fix: fix)]
    }

    /// Where a 1-based pointer lands after the diagnosis at 0-based `movedFrom` moves to the
    /// front. Pointers outside 1…count are left as sent.
    static func pointerAfterMove(_ p: Int, movedFrom: Int, count: Int) -> Int {
        guard p >= 1, p <= count else { return p }
        if p - 1 == movedFrom { return 1 }
        if p - 1 < movedFrom { return p + 1 }
        return p
    }
}
