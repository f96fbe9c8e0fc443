/// `TIMED_UNITS`: the units billed for timed codes differ from what the documented
/// minutes support under the payer profile's method.
///
/// - `medicare` (CMS 8-minute rule): the total timed minutes of a date give the total
///   timed units of that date (under 8 → 0, 8–22 → 1, 23–37 → 2, 38–52 → 3, then one more
///   per 15 minutes).
/// - `per-code`: each code on its own, minutes ÷ 15 plus one when the remainder is ≥ 8.
public struct TimedUnitsRule: Rule {
    public var id: String { "TIMED_UNITS" }
    public var category: RuleCategory { .units }
    public init() {}

    /// Units that `minutes` support as one total: whole 15-minute units, plus one for a
    /// remainder of 8 minutes or more.
    public static func units(forMinutes minutes: Int) -> Int {
        guard minutes > 0 else { return 0 }
        return minutes / 15 + (minutes % 15 >= 8 ? 1 : 0)
    }

    public func check(_ claim: Claim, _ context: RuleContext) -> [RuleHit] {
        guard context.tables.hasProcedures, let lines = claim.serviceLines else { return [] }
        let facts = context.facts(of: claim)
        let method = context.profile.timedUnitMethod
        var hits: [RuleHit] = []
        func isTimed(_ i: Int) -> Bool { facts.lines[i].kind == .timedTherapy }
        // Lines without minutes or units are other rules' findings; judge only complete dates/codes.
        func isComplete(_ i: Int) -> Bool { facts.lines[i].treatmentMinutes != nil && (lines[i].units ?? 0) > 0 }
        for run in facts.dateRuns {
            let dated = facts.lines(of: run)
            switch method {
            case .medicare:
                // Totals first; the list of timed lines is only built for a finding.
                var anyTimed = false, minutes = 0, billed = 0
                for i in dated where isTimed(i) {
                    guard isComplete(i) else {
                        anyTimed = false
                        break
                    }
                    anyTimed = true
                    minutes += facts.lines[i].treatmentMinutes!
                    billed += lines[i].units!
                }
                guard anyTimed, Self.units(forMinutes: minutes) != billed else { continue }
                if let hit = compare(
                    lines: dated.filter(isTimed), of: lines, minutes: minutes, billed: billed, date: run.date,
                    method: "the Medicare method (total timed minutes of the date)", facts: facts) {
                    hits.append(hit)
                }
            case .perCode:
                guard dated.contains(where: isTimed) else { continue }
                let timed = dated.filter(isTimed)
                var codes: [ProcedureCode] = []
                for i in timed where !codes.contains(lines[i].procedureCode!) { codes.append(lines[i].procedureCode!) }
                for code in codes.sorted() {
                    let group = timed.filter { lines[$0].procedureCode == code }
                    guard group.allSatisfy(isComplete) else { continue }
                    let minutes = group.reduce(0) { $0 + facts.lines[$1].treatmentMinutes! }
                    let billed = group.reduce(0) { $0 + lines[$1].units! }
                    if let hit = compare(
                        lines: group, of: lines, minutes: minutes, billed: billed, date: run.date,
                        method: "the per-code method (each code's own minutes)", facts: facts) {
                        hits.append(hit)
                    }
                }
            }
        }
        return hits
    }

    /// `group`: indices of the timed lines judged together, ascending.
    private func compare(
        lines group: [Int], of lines: [ServiceLine], minutes: Int, billed: Int, date: ServiceDate, method: String,
        facts: ClaimFacts
    ) -> RuleHit? {
        let supported = Self.units(forMinutes: minutes)
        guard supported != billed else { return nil }
        // The first line's MUE, from the facts (the table's dictionary hashed the code's string).
        let mue = facts.lines[group[0]].mueAdjudication != nil ? facts.lines[group[0]].mueValue : nil
        let codes = group.compactMap { lines[$0].procedureCode?.value }
        let first = group[0]
        let count = group.count
        let what = count == 1 ? codes[0] : joinedText("the timed codes ", codes.spokenList)
        var suggestion: String
        var fix: [PatchOperation] = []
        if supported == 0 {
            suggestion = joinedText(
                "Under 8 timed minutes support no unit: do not bill ", what, " for ", date,
                " unless more time is documented.")
        } else if count == 1, let mue, supported > mue {
            // Raising the units past the MUE would trade this error for an NCCI_MUE one.
            suggestion = joinedText(
                "The minutes support ", supported, " units, more than the MUE of ", mue, " for ", codes[0],
                ": bill ", mue, " and keep the documentation for an appeal.")
        } else if count == 1 {
            suggestion = joinedText("Bill ", supported, supported == 1 ? " unit." : " units.")
            fix = [.replace(path: Paths.line(first, "units"), value: .int(supported))]
        } else {
            // Which line loses or gains a unit is a coding decision (the code with the most
            // minutes gets it); not safe to automate.
            suggestion = joinedText(
                "Bill ", supported, supported == 1 ? " timed unit" : " timed units", " in total across ",
                codes.spokenList, ", assigning them to the codes with the most minutes.")
        }
        return RuleHit(
            path: Paths.line(first, "units"),
            // One of the commonest findings: the text built at its final size.
            message: joinedText(
                what, " on ", date, ": ", billed, billed == 1 ? " unit billed for " : " units billed for ",
                minutes, " timed minutes, but ", method, " supports ", supported, "."),
            codes: codes,
            suggestion: suggestion,
            fix: fix)
    }
}
