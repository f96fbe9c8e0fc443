/// `DX_INVALID`: text that is not shaped like an ICD-10-CM code, or a code that no
/// loaded release contains.
public struct DxInvalidRule: Rule {
    public var id: String { "DX_INVALID" }
    public var category: RuleCategory { .validity }
    public init() {}

    public func check(_ claim: Claim, _ context: RuleContext) -> [RuleHit] {
        var hits: [RuleHit] = []
        let facts = context.facts(of: claim)
        let diagnoses = claim.diagnoses ?? []
        for i in diagnoses.indices {
            guard let code = facts.diagnosisCodes[i] else {
                let d = diagnoses[i]
                // Not echoed: text that is not a code may be anything.
                hits.append(RuleHit(
                    path: Paths.diagnosis(i),
                    message: d.raw.isBlank ? "Diagnosis \(i + 1) is empty."
                        : "Diagnosis \(i + 1) is not an ICD-10-CM code: a code is a letter, a digit or letter, then 1 to 5 more letters or digits (e.g. M54.6, S22.000A).",
                    suggestion: "Report a valid ICD-10-CM code, or remove the entry."))
                continue
            }
            // A code the chosen release holds (looked up once per claim) is in a loaded release.
            let inChosen = facts.entryIndex[i] >= 0 && facts.codeSetInLibrary
            if !inChosen && !context.library.releases.contains(where: { $0.contains(code) }) {
                hits.append(RuleHit(
                    path: Paths.diagnosis(i),
                    message: "\(code.dotted) is not an ICD-10-CM code in any loaded release.",
                    codes: [code.dotted],
                    suggestion: "Check the code for a typo, or look it up: GET /v1/codes/icd10cm/\(code.dotted)."))
            }
        }
        return hits
    }
}
