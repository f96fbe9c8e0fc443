/// `DX_MANIFESTATION_PRIMARY`: a manifestation code ("in diseases classified elsewhere",
/// under a code-first note) may never be the first-listed diagnosis.
public struct DxManifestationPrimaryRule: Rule {
    public var id: String { "DX_MANIFESTATION_PRIMARY" }
    public var category: RuleCategory { .sequencing }
    public init() {}

    public func check(_ claim: Claim, _ context: RuleContext) -> [RuleHit] {
        let set = context.codeSet
        let facts = context.facts(of: claim)
        guard let entry = facts.entryIndex.first, entry >= 0, set.isManifestation(at: Int(entry)),
              let first = facts.diagnosisCodes[0] else { return [] }
        return [RuleHit(
            path: Paths.diagnosis(0),
            message: "\(set.named(first)) is a manifestation code and cannot be the first-listed diagnosis.",
            codes: [first.dotted],
            suggestion: "List the underlying condition first, then \(first.dotted).")]
    }
}
