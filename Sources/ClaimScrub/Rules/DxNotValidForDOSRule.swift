/// `DX_NOT_VALID_FOR_DOS`: a real code of another loaded release, but not of the
/// release in force on the date of service (added later, or deleted, like S30.1XXA in FY2026).
public struct DxNotValidForDOSRule: Rule {
    public var id: String { "DX_NOT_VALID_FOR_DOS" }
    public var category: RuleCategory { .validity }
    public init() {}

    public func check(_ claim: Claim, _ context: RuleContext) -> [RuleHit] {
        let set = context.codeSet
        var hits: [RuleHit] = []
        let facts = context.facts(of: claim)
        for i in facts.diagnosisCodes.indices where facts.entryIndex[i] < 0 {
            guard let code = facts.diagnosisCodes[i] else { continue }
            let others = context.library.otherReleases(containing: code, excluding: set)
            guard let other = others.last else { continue }
            let when = other.validThrough < set.validFrom
                ? "it was valid through \(other.validThrough) (release \(other.version))"
                : "it takes effect with release \(other.version), from \(other.validFrom)"
            hits.append(RuleHit(
                path: Paths.diagnosis(i),
                message: "\(other.named(code)) is not valid on the date of service: ICD-10-CM \(set.version), the release in force, does not contain it; \(when).",
                codes: [code.dotted],
                suggestion: "Report the code that ICD-10-CM \(set.version) uses for this condition."))
        }
        return hits
    }
}
