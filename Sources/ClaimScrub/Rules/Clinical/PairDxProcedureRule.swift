/// `PAIR_DX_PROCEDURE`: none of a line's pointed diagnoses supports its procedure under
/// the procedure table (72146, a thoracic MRI, pointed only to M54.50).
public struct PairDxProcedureRule: Rule {
    public var id: String { "PAIR_DX_PROCEDURE" }
    public var category: RuleCategory { .pairing }
    public init() {}

    public func check(_ claim: Claim, _ context: RuleContext) -> [RuleHit] {
        guard context.tables.hasProcedures, let lines = claim.serviceLines else { return [] }
        let facts = context.facts(of: claim)
        let codes = facts.diagnosisCodes
        var hits: [RuleHit] = []
        for i in lines.indices {
            // Only the support list is read for a line that passes; the whole row for a finding.
            guard facts.lines[i].kind != nil, !facts.lines[i].anyDiagnosisSupports,
                  let code = lines[i].procedureCode,
                  let support = context.tables.procedureIndex.lookup(code, packed: facts.lines[i].packedCode, { $0.supportedBy }) ?? nil
            else { continue }
            // No usable pointer is CLAIM_DX_POINTER's finding, not a pairing one. The list of
            // pointed codes is only built for a finding.
            var pointsAtCode = false, supported = false
            for p in lines[i].diagnosisPointers ?? [] where p >= 1 && p <= codes.count {
                guard let code = codes[p - 1] else { continue }
                pointsAtCode = true
                if support.anyMatches(code) {
                    supported = true
                    break
                }
            }
            guard pointsAtCode, !supported, let info = facts.procedure(i, of: claim, context.tables) else { continue }
            let names = claim.pointedCodes(lines[i]).map(\.dotted)
            let supportNames = info.supportNames.map { $0.replacingHyphens }
            hits.append(RuleHit(
                path: Paths.line(i, "diagnosisPointers"),
                message: joinedText(
                    info.code.value, " (", info.kind.rawValue, ", ", info.region, ") is not supported by the pointed diagnosis ",
                    names.spokenList, ": it needs a ", supportNames.spokenList, " diagnosis."),
                codes: [info.code.value] + names,
                suggestion: joinedText(
                    "Point the line at a diagnosis that supports ", info.code.value, ", e.g. ",
                    joinedList(support.prefix(6).map(\.spoken), separator: ", ", last: ", "),
                    ", if the documentation establishes one.")))
        }
        return hits
    }
}

extension String {
    /// `thoracic-spine` → `thoracic spine`, for messages built from Config group names.
    var replacingHyphens: String {
        // Byte by byte (a hyphen is one byte in UTF-8): mapping Characters cost more than the rule.
        guard utf8.contains(UInt8(ascii: "-")) else { return self }
        return String(decoding: utf8.map { $0 == UInt8(ascii: "-") ? UInt8(ascii: " ") : $0 }, as: UTF8.self)
    }
}
