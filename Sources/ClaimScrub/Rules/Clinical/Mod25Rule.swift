/// `MOD_25`: an E/M visit billed on the same date as another procedure without modifier 25
/// (a separately identifiable E/M service must say so, or it is bundled into the procedure).
public struct Mod25Rule: Rule {
    public var id: String { "MOD_25" }
    public var category: RuleCategory { .modifier }
    public init() {}

    public func check(_ claim: Claim, _ context: RuleContext) -> [RuleHit] {
        var hits: [RuleHit] = []
        report(claim, context, into: &hits)
        return hits
    }

    /// `check`'s hits, reported into `sink` (the engine's builds the findings in place).
    func report<Sink: HitSink>(_ claim: Claim, _ context: RuleContext, into sink: inout Sink) {
        guard context.tables.hasProcedures, let lines = claim.serviceLines else { return }
        let facts = context.facts(of: claim)
        for run in facts.dateRuns {
            let dated = facts.lines(of: run)
            // The first line of the date with a procedure that is not an E/M visit.
            guard let o = dated.first(where: { lines[$0].procedureCode != nil && facts.lines[$0].kind != .em }),
                  let other = lines[o].procedureCode else { continue }
            for i in dated where facts.lines[i].kind == .em && !lines[i].hasModifier("25") {
                let code = lines[i].procedureCode!.value, otherCode = other.value
                // One of the commonest findings: both sentences written at their final size into
                // one string, the suggestion after the message; the fixed parts as literals' bytes
                // (the message's last and the suggestion's first as one), each code's second
                // occurrence copied from its first.
                let m0: StaticString = "The E/M visit ", m1: StaticString = " on ", m2: StaticString = " is billed with "
                let m3: StaticString = " on the same date but without modifier 25."
                let m3s0: StaticString = " on the same date but without modifier 25.Append 25 to the "
                let s1: StaticString = " line if the visit was significant and separately identifiable from "
                let s2: StaticString = " and documented so; otherwise do not bill the visit."
                let codeLength = code.utf8Length, otherLength = otherCode.utf8Length
                let messageLength = m0.utf8Length + codeLength + m1.utf8Length + run.date.utf8Length
                    + m2.utf8Length + otherLength + m3.utf8Length
                let total = messageLength - m3.utf8Length + m3s0.utf8Length + codeLength + s1.utf8Length + otherLength
                    + s2.utf8Length
                let texts = String(unsafeUninitializedCapacity: total) { buffer in
                    guard let start = buffer.baseAddress else { return 0 }
                    var out = m0.write(to: start)
                    let codeAt = out
                    out = code.write(to: out)
                    out = m1.write(to: out)
                    out = run.date.write(to: out)
                    out = m2.write(to: out)
                    let otherAt = out
                    out = otherCode.write(to: out)
                    out = m3s0.write(to: out)
                    out.update(from: codeAt, count: codeLength)
                    out = s1.write(to: out + codeLength)
                    out.update(from: otherAt, count: otherLength)
                    out = s2.write(to: out + otherLength)
                    return out - start
                }
                sink.report(
                    path: Paths.lineModifiers(i), messageAndSuggestion: texts, suggestionStart: messageLength,
                    codes: .two(code, otherCode))
            }
        }
    }
}
