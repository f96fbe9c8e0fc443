/// `PAIR_DX_PROCEDURE`: none of a line's pointed diagnoses supports its procedure under
/// the procedure table (72146, a thoracic MRI, pointed only to M54.50).
public struct PairDxProcedureRule: Rule {
    public let id = "PAIR_DX_PROCEDURE"
    public let category = RuleCategory.pairing
    public init() {}

    public func check(_ claim: Claim, _ context: RuleContext) -> [RuleHit] {
        guard let table = context.knowledge[ProcedureTable.self] else { return [] }
        var hits: [RuleHit] = []
        for (i, line) in (claim.serviceLines ?? []).enumerated() {
            guard let info = table[line.procedureCode], info.supportedBy != nil else { continue }
            let pointed = claim.pointedCodes(line)
            // No usable pointer is CLAIM_DX_POINTER's finding, not a pairing one.
            guard !pointed.isEmpty, !pointed.contains(where: info.isSupported(by:)) else { continue }
            let names = pointed.map(\.dotted)
            let support = info.supportNames.map { $0.replacingHyphens }
            hits.append(RuleHit(
                path: "/serviceLines/\(i)/diagnosisPointers",
                message: "\(info.code) (\(info.kind.rawValue), \(info.region)) is not supported by the pointed "
                    + "diagnosis \(names.spokenList): it needs a \(support.spokenList) diagnosis.",
                codes: [info.code.value] + names,
                suggestion: "Point the line at a diagnosis that supports \(info.code), e.g. "
                    + "\(info.supportedBy!.prefix(6).map(\.spoken).joined(separator: ", ")), if the documentation establishes one."))
        }
        return hits
    }
}

extension String {
    /// `thoracic-spine` → `thoracic spine`, for messages built from Config group names.
    var replacingHyphens: String { String(map { $0 == "-" ? " " : $0 }) }
}
