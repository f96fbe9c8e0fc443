/// `NCCI_MUE`: units above the medically unlikely edit. MAI 1 counts each line; MAI 2
/// and 3 count all lines of the code on a date of service.
public struct NcciMueRule: Rule {
    public var id: String { "NCCI_MUE" }
    public var category: RuleCategory { .ncci }
    public init() {}

    public func check(_ claim: Claim, _ context: RuleContext) -> [RuleHit] {
        guard context.tables.hasMUE, let lines = claim.serviceLines else { return [] }
        let facts = context.facts(of: claim)
        var hits: [RuleHit] = []
        // Texts built at their final size (`joinedText`): units over the MUE are a common finding.
        func reference(_ e: MUEEdit) -> String {
            joinedText(
                "NCCI practitioner MUE ", e.code.value, ": ", e.value, e.value == 1 ? " unit" : " units",
                ", MAI ", e.adjudication.label)
        }
        // Per line (MAI 1), dated or not.
        for i in lines.indices {
            guard facts.lines[i].mueAdjudication == .line, let units = lines[i].units, units > facts.lines[i].mueValue,
                  let e = facts.mueEdit(i, of: claim, context.tables) else { continue }
            hits.append(RuleHit(
                path: Paths.line(i, "units"),
                message: joinedText(e.code.value, " bills ", units, " units on one line; the MUE allows ", e.value, " per line."),
                codes: [e.code.value],
                suggestion: joinedText(
                    "Bill at most ", e.value, e.value == 1 ? " unit" : " units",
                    " on the line, or document why more were medically necessary for an appeal."),
                reference: reference(e)))
        }
        // Per code per date (MAI 2 and 3): each code's lines from its first line on the
        // date (lines of a date are in index order), findings of a date in code order.
        for run in facts.dateRuns {
            let dated = facts.lines(of: run)
            var found: [(code: ProcedureCode, hit: RuleHit)] = []
            for k in dated.indices {
                let i = dated[k]
                guard facts.lines[i].mueAdjudication?.perDate == true, let code = lines[i].procedureCode,
                      !dated[..<k].contains(where: { facts.sameProcedure($0, i, lines) }) else { continue }
                let value = facts.lines[i].mueValue
                var units = 0, count = 0
                for j in dated[k...] where facts.sameProcedure(j, i, lines) {
                    units += max(0, lines[j].units ?? 0)
                    count += 1
                }
                guard units > value, let e = facts.mueEdit(i, of: claim, context.tables) else { continue }
                found.append((code, RuleHit(
                    path: Paths.line(i, "units"),
                    message: joinedText(
                        code.value, " bills ", units, " units on ", run.date,
                        count > 1 ? " across " : "", count > 1 ? String(count) : "", count > 1 ? " lines" : "",
                        "; the MUE allows ", e.value, " per date of service."),
                    codes: [code.value],
                    suggestion: joinedText(
                        "Bill at most ", e.value, e.value == 1 ? " unit of " : " units of ", code.value, " for ",
                        run.date, "."),
                    reference: reference(e))))
            }
            found.sort { $0.code < $1.code }
            for f in found { hits.append(f.hit) }
        }
        return hits
    }
}
