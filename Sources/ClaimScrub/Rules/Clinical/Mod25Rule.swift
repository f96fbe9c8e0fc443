/// `MOD_25`: an E/M visit billed on the same date as another procedure without modifier 25
/// (a separately identifiable E/M service must say so, or it is bundled into the procedure).
public struct Mod25Rule: Rule {
    public var id: String { "MOD_25" }
    public var category: RuleCategory { .modifier }
    public init() {}

    public func check(_ claim: Claim, _ context: RuleContext) -> [RuleHit] {
        guard context.tables.procedures != nil, let lines = claim.serviceLines else { return [] }
        let facts = context.facts(of: claim)
        var hits: [RuleHit] = []
        for run in facts.dateRuns {
            let dated = facts.lines(of: run)
            // The first line of the date with a procedure that is not an E/M visit.
            guard let o = dated.first(where: { lines[$0].procedureCode != nil && facts.lines[$0].kind != .em }),
                  let other = lines[o].procedureCode else { continue }
            for i in dated where facts.lines[i].kind == .em && !lines[i].hasModifier("25") {
                let code = lines[i].procedureCode!.value, otherCode = other.value
                // One of the commonest findings: each text is appended into one allocation of
                // its final size (an interpolation this long grew its buffer several times).
                var message = ""
                message.reserveCapacity(96 + code.utf8.count + otherCode.utf8.count)
                message += "The E/M visit "
                message += code
                message += " on "
                message += run.date.description
                message += " is billed with "
                message += otherCode
                message += " on the same date but without modifier 25."
                var suggestion = ""
                suggestion.reserveCapacity(160 + code.utf8.count + otherCode.utf8.count)
                suggestion += "Append 25 to the "
                suggestion += code
                suggestion += " line if the visit was significant and separately identifiable from "
                suggestion += otherCode
                suggestion += " and documented so; otherwise do not bill the visit."
                hits.append(RuleHit(
                    path: "/serviceLines/\(i)/modifiers", message: message, codes: [code, otherCode], suggestion: suggestion))
            }
        }
        return hits
    }
}
