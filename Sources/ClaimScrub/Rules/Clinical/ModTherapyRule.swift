/// `MOD_THERAPY`: a payer that requires a therapy-discipline modifier (Medicare) and a
/// therapy code without GP (physical), GO (occupational) or GN (speech-language).
public struct ModTherapyRule: Rule {
    public var id: String { "MOD_THERAPY" }
    public var category: RuleCategory { .modifier }
    public init() {}

    static let disciplineModifiers = ["GP", "GO", "GN"]

    public func check(_ claim: Claim, _ context: RuleContext) -> [RuleHit] {
        guard context.profile.requiresTherapyModifier, context.tables.hasProcedures,
              let lines = claim.serviceLines else { return [] }
        let facts = context.facts(of: claim)
        var hits: [RuleHit] = []
        for i in lines.indices {
            guard let kind = facts.lines[i].kind, kind.isTherapy,
                  !Self.disciplineModifiers.contains(where: lines[i].hasModifier),
                  let info = facts.procedure(i, of: claim, context.tables) else { continue }
            hits.append(RuleHit(
                path: Paths.line(i, "modifiers"),
                message: "\(info.code) is a therapy service and this payer requires GP, GO or GN on it.",
                codes: [info.code.value],
                suggestion: "Append GP (physical therapy plan of care), GO (occupational) or GN (speech-language) to the line."))
        }
        return hits
    }
}
