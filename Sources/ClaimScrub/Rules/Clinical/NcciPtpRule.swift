/// `NCCI_PTP`: two procedures on one date that an NCCI procedure-to-procedure edit in
/// force on that date pairs. Indicator 0 never passes; 1 passes when an NCCI-associated
/// modifier is on the column-2 line; 9 is no edit.
public struct NcciPtpRule: Rule {
    public let id = "NCCI_PTP"
    public let category = RuleCategory.ncci
    public init() {}

    public func check(_ claim: Claim, _ context: RuleContext) -> [RuleHit] {
        guard let table = context.knowledge[PTPTable.self], table.count > 0 else { return [] }
        var hits: [RuleHit] = []
        var reported: Set<String> = []
        for (date, lines) in context.linesByDate(of: claim) {
            for a in lines {
                for b in lines where a.index != b.index {
                    guard let c1 = a.line.procedureCode, let c2 = b.line.procedureCode, c1 != c2,
                          let edit = table.edit(column1: c1, column2: c2, on: date) else { continue }
                    let passes: Bool
                    switch edit.modifierIndicator {
                    case .notApplicable: passes = true
                    case .notAllowed: passes = false
                    case .allowed: passes = b.line.modifiers.contains { NCCIModifiers.associated.contains($0.value) }
                    }
                    guard !passes, reported.insert("\(b.index)-\(c1)-\(c2)").inserted else { continue }
                    let reference = "NCCI PTP edit \(c1)/\(c2), effective \(edit.effective), modifier indicator "
                        + "\(edit.modifierIndicator.rawValue)" + (edit.rationale.isEmpty ? "" : " (\(edit.rationale))")
                    let message: String
                    let suggestion: String
                    if edit.modifierIndicator == .notAllowed {
                        message = "\(c2) is not separately payable with \(c1) on \(date): the NCCI edit allows no modifier."
                        suggestion = "Remove \(c2) from this date; \(c1) includes it."
                    } else {
                        message = "\(c2) is bundled into \(c1) on \(date) unless an NCCI-associated modifier on the \(c2) line "
                            + "shows a distinct service."
                        suggestion = "If \(c2) was distinct (separate session, site or encounter) and documented so, append XS, XE, "
                            + "XP, XU or 59 to the \(c2) line; otherwise remove it."
                    }
                    hits.append(RuleHit(
                        path: "/serviceLines/\(b.index)/procedureCode", message: message,
                        codes: [c1.value, c2.value], suggestion: suggestion, reference: reference))
                }
            }
        }
        return hits
    }
}
