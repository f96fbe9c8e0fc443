/// `MOD_25`: an E/M visit billed on the same date as another procedure without modifier 25
/// (a separately identifiable E/M service must say so, or it is bundled into the procedure).
public struct Mod25Rule: Rule {
    public let id = "MOD_25"
    public let category = RuleCategory.modifier
    public init() {}

    public func check(_ claim: Claim, _ context: RuleContext) -> [RuleHit] {
        guard let table = context.knowledge[ProcedureTable.self] else { return [] }
        var hits: [RuleHit] = []
        for (date, lines) in context.linesByDate(of: claim) {
            let others = lines.filter { l in
                l.line.procedureCode != nil && table[l.line.procedureCode]?.kind != .em
            }
            guard let other = others.first?.line.procedureCode else { continue }
            for l in lines where table[l.line.procedureCode]?.kind == .em && !l.line.hasModifier("25") {
                let code = l.line.procedureCode!
                hits.append(RuleHit(
                    path: "/serviceLines/\(l.index)/modifiers",
                    message: "The E/M visit \(code) on \(date) is billed with \(other) on the same date but without modifier 25.",
                    codes: [code.value, other.value],
                    suggestion: "Append 25 to the \(code) line if the visit was significant and separately identifiable "
                        + "from \(other) and documented so; otherwise do not bill the visit."))
            }
        }
        return hits
    }
}
