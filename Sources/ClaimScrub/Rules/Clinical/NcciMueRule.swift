/// `NCCI_MUE`: units above the medically unlikely edit. MAI 1 counts each line; MAI 2
/// and 3 count all lines of the code on a date of service.
public struct NcciMueRule: Rule {
    public let id = "NCCI_MUE"
    public let category = RuleCategory.ncci
    public init() {}

    public func check(_ claim: Claim, _ context: RuleContext) -> [RuleHit] {
        guard let table = context.knowledge[MUETable.self] else { return [] }
        var hits: [RuleHit] = []
        func reference(_ e: MUEEdit) -> String {
            "NCCI practitioner MUE \(e.code): \(e.value) unit\(e.value == 1 ? "" : "s"), MAI \(e.adjudication.label)"
        }
        // Per line (MAI 1), dated or not.
        for (i, line) in (claim.serviceLines ?? []).enumerated() {
            guard let e = table[line.procedureCode], e.adjudication == .line,
                  let units = line.units, units > e.value else { continue }
            hits.append(RuleHit(
                path: "/serviceLines/\(i)/units",
                message: "\(e.code) bills \(units) units on one line; the MUE allows \(e.value) per line.",
                codes: [e.code.value],
                suggestion: "Bill at most \(e.value) unit\(e.value == 1 ? "" : "s") on the line, or document why more were medically necessary for an appeal.",
                reference: reference(e)))
        }
        // Per code per date (MAI 2 and 3).
        for (date, lines) in context.linesByDate(of: claim) {
            var byCode: [ProcedureCode: [(index: Int, line: ServiceLine)]] = [:]
            for l in lines {
                if let c = l.line.procedureCode, table[c]?.adjudication.perDate == true { byCode[c, default: []].append(l) }
            }
            for code in byCode.keys.sorted() {
                let group = byCode[code]!, e = table[code]!
                let units = group.reduce(0) { $0 + max(0, $1.line.units ?? 0) }
                guard units > e.value else { continue }
                hits.append(RuleHit(
                    path: "/serviceLines/\(group[0].index)/units",
                    message: "\(code) bills \(units) units on \(date)\(group.count > 1 ? " across \(group.count) lines" : ""); "
                        + "the MUE allows \(e.value) per date of service.",
                    codes: [code.value],
                    suggestion: "Bill at most \(e.value) unit\(e.value == 1 ? "" : "s") of \(code) for \(date).",
                    reference: reference(e)))
            }
        }
        return hits
    }
}
