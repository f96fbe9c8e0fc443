/// `TIMED_UNITS`: the units billed for timed codes differ from what the documented
/// minutes support under the payer profile's method.
///
/// - `medicare` (CMS 8-minute rule): the total timed minutes of a date give the total
///   timed units of that date (under 8 → 0, 8–22 → 1, 23–37 → 2, 38–52 → 3, then one more
///   per 15 minutes).
/// - `per-code`: each code on its own, minutes ÷ 15 plus one when the remainder is ≥ 8.
public struct TimedUnitsRule: Rule {
    public let id = "TIMED_UNITS"
    public let category = RuleCategory.units
    public init() {}

    /// Units that `minutes` support as one total: whole 15-minute units, plus one for a
    /// remainder of 8 minutes or more.
    public static func units(forMinutes minutes: Int) -> Int {
        guard minutes > 0 else { return 0 }
        return minutes / 15 + (minutes % 15 >= 8 ? 1 : 0)
    }

    public func check(_ claim: Claim, _ context: RuleContext) -> [RuleHit] {
        guard let table = context.knowledge[ProcedureTable.self] else { return [] }
        let method = context.profile.timedUnitMethod
        let mueTable = context.knowledge[MUETable.self]
        var hits: [RuleHit] = []
        for (date, lines) in context.linesByDate(of: claim) {
            let timed = lines.filter { table[$0.line.procedureCode]?.kind == .timedTherapy }
            // Lines without minutes or units are other rules' findings; judge only complete dates/codes.
            switch method {
            case .medicare:
                guard !timed.isEmpty,
                      timed.allSatisfy({ $0.line.treatmentMinutes != nil && ($0.line.units ?? 0) > 0 }) else { continue }
                let minutes = timed.reduce(0) { $0 + $1.line.treatmentMinutes! }
                let billed = timed.reduce(0) { $0 + $1.line.units! }
                if let hit = compare(
                    lines: timed, minutes: minutes, billed: billed, date: date,
                    method: "the Medicare method (total timed minutes of the date)", mueTable: mueTable) {
                    hits.append(hit)
                }
            case .perCode:
                var byCode: [ProcedureCode: [(index: Int, line: ServiceLine)]] = [:]
                for t in timed { byCode[t.line.procedureCode!, default: []].append(t) }
                for code in byCode.keys.sorted() {
                    let group = byCode[code]!
                    guard group.allSatisfy({ $0.line.treatmentMinutes != nil && ($0.line.units ?? 0) > 0 }) else { continue }
                    let minutes = group.reduce(0) { $0 + $1.line.treatmentMinutes! }
                    let billed = group.reduce(0) { $0 + $1.line.units! }
                    if let hit = compare(
                        lines: group, minutes: minutes, billed: billed, date: date,
                        method: "the per-code method (each code's own minutes)", mueTable: mueTable) {
                        hits.append(hit)
                    }
                }
            }
        }
        return hits
    }

    private func compare(
        lines: [(index: Int, line: ServiceLine)], minutes: Int, billed: Int, date: ServiceDate, method: String,
        mueTable: MUETable?
    ) -> RuleHit? {
        let mue = mueTable?[lines[0].line.procedureCode]
        let supported = Self.units(forMinutes: minutes)
        guard supported != billed else { return nil }
        let codes = lines.compactMap { $0.line.procedureCode?.value }
        let first = lines[0].index
        let what = lines.count == 1 ? "\(codes[0])" : "the timed codes \(codes.spokenList)"
        var suggestion: String
        var fix: [PatchOperation] = []
        if supported == 0 {
            suggestion = "Under 8 timed minutes support no unit: do not bill \(what) for \(date) unless more time is documented."
        } else if lines.count == 1, let mue, supported > mue.value {
            // Raising the units past the MUE would trade this error for an NCCI_MUE one.
            suggestion = "The minutes support \(supported) units, more than the MUE of \(mue.value) for \(codes[0]): "
                + "bill \(mue.value) and keep the documentation for an appeal."
        } else if lines.count == 1 {
            suggestion = "Bill \(supported) unit\(supported == 1 ? "" : "s")."
            fix = [.replace(path: "/serviceLines/\(first)/units", value: .int(supported))]
        } else {
            // Which line loses or gains a unit is a coding decision (the code with the most
            // minutes gets it); not safe to automate.
            suggestion = "Bill \(supported) timed unit\(supported == 1 ? "" : "s") in total across \(codes.spokenList), "
                + "assigning them to the codes with the most minutes."
        }
        return RuleHit(
            path: "/serviceLines/\(first)/units",
            message: "\(what) on \(date): \(billed) unit\(billed == 1 ? "" : "s") billed for \(minutes) timed minutes, "
                + "but \(method) supports \(supported).",
            codes: codes,
            suggestion: suggestion,
            fix: fix)
    }
}
