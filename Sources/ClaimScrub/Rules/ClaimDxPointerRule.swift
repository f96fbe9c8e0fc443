/// `CLAIM_DX_POINTER`: each line points to 1–4 distinct diagnoses that exist (CMS-1500 24E).
public struct ClaimDxPointerRule: Rule {
    public var id: String { "CLAIM_DX_POINTER" }
    public var category: RuleCategory { .structure }
    public init() {}

    public func check(_ claim: Claim, _ context: RuleContext) -> [RuleHit] {
        let count = claim.diagnoses?.count ?? 0
        var hits: [RuleHit] = []
        let lines = claim.serviceLines ?? []
        // Fields read in place: copying each line retained all of its strings and arrays.
        for i in lines.indices {
            let n = i + 1
            // Path and codes only for a finding: most lines have none.
            var path: String { Paths.line(i, "diagnosisPointers") }
            var codes: [String] { lines[i].procedureCode.map { [$0.value] } ?? [] }
            guard let pointers = lines[i].diagnosisPointers, !pointers.isEmpty else {
                hits.append(RuleHit(path: path, message: "Service line \(n) points to no diagnosis.", codes: codes,
                                    suggestion: "Point the line to the diagnoses (1 to 4) that support it."))
                continue
            }
            if pointers.count > 4 {
                hits.append(RuleHit(path: path, message: "Service line \(n) has \(pointers.count) diagnosis pointers; at most 4 are allowed.",
                                    codes: codes, suggestion: "Keep the 4 diagnoses that best support the service."))
            }
            // A handful of pointers: a linear look-back beats building a set; a set past 8.
            var seen: Set<Int> = []
            let small = pointers.count <= 8
            for (j, p) in pointers.enumerated() {
                if !(1...max(1, count)).contains(p) || count == 0 {
                    let range = count == 0 ? "the claim lists no diagnosis" : "the claim lists \(count) diagnos\(count == 1 ? "is" : "es")"
                    hits.append(RuleHit(path: path + "/\(j)", message: "Service line \(n) points to diagnosis \(p), but \(range).",
                                        codes: codes, suggestion: count == 0 ? "Report the diagnoses, then point to them."
                                            : "Use a pointer from 1 to \(count)."))
                } else if small ? pointers[..<j].contains(p) : !seen.insert(p).inserted {
                    hits.append(RuleHit(path: path + "/\(j)", message: "Service line \(n) points to diagnosis \(p) twice.",
                                        codes: codes, suggestion: "Remove the repeated pointer."))
                }
            }
        }
        return hits
    }
}
