/// `TIMED_MINUTES_MISSING`: a timed therapy code without minutes or a start and end time
/// (units of a timed code are only defensible with the treatment time).
public struct TimedMinutesMissingRule: Rule {
    public var id: String { "TIMED_MINUTES_MISSING" }
    public var category: RuleCategory { .units }
    public var needsChartData: Bool { true }
    public init() {}

    public func check(_ claim: Claim, _ context: RuleContext) -> [RuleHit] {
        guard context.tables.hasProcedures, let lines = claim.serviceLines else { return [] }
        let facts = context.facts(of: claim)
        var hits: [RuleHit] = []
        for i in lines.indices {
            guard facts.lines[i].kind == .timedTherapy, facts.lines[i].treatmentMinutes == nil,
                  let info = facts.procedure(i, of: claim, context.tables) else { continue }
            let detail = (lines[i].startTime != nil || lines[i].endTime != nil)
                ? "its start and end time do not give a treatment time (both needed, HH:MM, end after start)"
                : "it has neither minutes nor a start and end time"
            hits.append(RuleHit(
                path: Paths.line(i, "minutes"),
                message: "\(info.code) is a timed code billed per 15 minutes, but \(detail).",
                codes: [info.code.value],
                suggestion: "Send the documented treatment minutes in minutes, or startTime and endTime."))
        }
        return hits
    }
}
