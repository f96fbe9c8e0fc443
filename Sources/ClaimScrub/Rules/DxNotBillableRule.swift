/// `DX_NOT_BILLABLE`: a header (category or subcategory with children) is not valid for
/// submission; the suggestion names the billable codes under it.
public struct DxNotBillableRule: Rule {
    public var id: String { "DX_NOT_BILLABLE" }
    public var category: RuleCategory { .validity }
    /// Suggestions list at most this many codes, then point to the category.
    public static let maxListed = 10
    public init() {}

    public func check(_ claim: Claim, _ context: RuleContext) -> [RuleHit] {
        let set = context.codeSet
        var hits: [RuleHit] = []
        let facts = context.facts(of: claim)
        for i in facts.diagnosisCodes.indices {
            let e = Int(facts.entryIndex[i])
            guard e >= 0, !set.isBillable(at: e), let code = facts.diagnosisCodes[i] else { continue }
            let leaves = set.billableDescendants(of: code)
            var suggestion: String
            if leaves.isEmpty {
                suggestion = joinedText("Report a billable code more specific than ", code, ".")
            } else if leaves.count <= Self.maxListed {
                suggestion = joinedText("Report one of ", joinedList(leaves.map(\.dotted), separator: ", ", last: " or "), ".")
            } else {
                let shown = joinedList(leaves.prefix(Self.maxListed).map(\.dotted), separator: ", ", last: ", ")
                suggestion = joinedText(
                    "Report one of the ", leaves.count, " billable codes under ", code, ", e.g. ", shown, ".")
            }
            hits.append(RuleHit(
                path: Paths.diagnosis(i),
                // Texts built at their final size (`joinedText`).
                message: joinedText(set.named(code), " is a header code, not valid for submission in ICD-10-CM ", set.version, "."),
                codes: [code.dotted],
                suggestion: suggestion))
        }
        return hits
    }
}
