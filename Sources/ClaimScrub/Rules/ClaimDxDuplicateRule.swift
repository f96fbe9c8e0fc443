/// `CLAIM_DX_DUPLICATE`: the same diagnosis listed twice (`M546` and `m54.6` are the same).
public struct ClaimDxDuplicateRule: Rule {
    public var id: String { "CLAIM_DX_DUPLICATE" }
    public var category: RuleCategory { .structure }
    public init() {}

    public func check(_ claim: Claim, _ context: RuleContext) -> [RuleHit] {
        let diagnoses = claim.diagnoses ?? []
        // A claim lists a dozen diagnoses or so: a linear look-back instead of hashing each
        // key into a dictionary (a coded diagnosis's key is its code, already at hand).
        func keyOf(_ i: Int) -> String { diagnoses[i].code?.compact ?? diagnoses[i].raw.trimmingSpaces.uppercased() }
        // Two coded entries compare as codes (packed keys first): no key string is made for them.
        func sameKey(_ j: Int, _ i: Int) -> Bool {
            if let a = diagnoses[j].code, let b = diagnoses[i].code { return a == b }
            return keyOf(j) == keyOf(i)
        }
        var hits: [RuleHit] = []
        for i in diagnoses.indices {
            guard diagnoses[i].code != nil || !keyOf(i).isEmpty, let j = (0..<i).first(where: { sameKey($0, i) })
            else { continue }
            let d = diagnoses[i]
            hits.append(RuleHit(
                path: Paths.diagnosis(i),
                message: "Diagnosis \(i + 1) repeats diagnosis \(j + 1)\(d.code.map { " (\($0.dotted))" } ?? "").",
                codes: d.code.map { [$0.dotted] } ?? [],
                suggestion: "List each diagnosis once and point the lines to diagnosis \(j + 1)."))
        }
        return hits
    }
}
