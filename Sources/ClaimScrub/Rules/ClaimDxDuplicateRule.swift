/// `CLAIM_DX_DUPLICATE`: the same diagnosis listed twice (`M546` and `m54.6` are the same).
public struct ClaimDxDuplicateRule: Rule {
    public let id = "CLAIM_DX_DUPLICATE"
    public let category = RuleCategory.structure
    public init() {}

    public func check(_ claim: Claim, _ context: RuleContext) -> [RuleHit] {
        var first: [String: Int] = [:]
        var hits: [RuleHit] = []
        for (i, d) in (claim.diagnoses ?? []).enumerated() {
            let key = d.code?.compact ?? d.raw.trimmingSpaces.uppercased()
            guard !key.isEmpty else { continue }
            if let j = first[key] {
                hits.append(RuleHit(
                    path: Paths.diagnosis(i),
                    message: "Diagnosis \(i + 1) repeats diagnosis \(j + 1)\(d.code.map { " (\($0.dotted))" } ?? "").",
                    codes: d.code.map { [$0.dotted] } ?? [],
                    suggestion: "List each diagnosis once and point the lines to diagnosis \(j + 1)."))
            } else {
                first[key] = i
            }
        }
        return hits
    }
}
