/// `NCCI_PTP`: two procedures on one date that an NCCI procedure-to-procedure edit in
/// force on that date pairs. Indicator 0 never passes; 1 passes when an NCCI-associated
/// modifier is on the column-2 line; 9 is no edit.
public struct NcciPtpRule: Rule {
    public var id: String { "NCCI_PTP" }
    public var category: RuleCategory { .ncci }
    public init() {}

    public func check(_ claim: Claim, _ context: RuleContext) -> [RuleHit] {
        var hits: [RuleHit] = []
        report(claim, context, into: &hits)
        return hits
    }

    /// `check`'s hits, reported into `sink` (the engine's builds the findings in place: a claim
    /// may raise this for every date).
    func report<Sink: HitSink>(_ claim: Claim, _ context: RuleContext, into sink: inout Sink) {
        let tables = context.tables
        guard tables.ptpTable.count > 0, let lines = claim.serviceLines else { return }
        let facts = context.facts(of: claim)
        // (column-2 line, column 1, column 2) already reported; packed codes, not a string per pair.
        // A few per claim at most: a linear search, not hashing.
        var reported: [ReportedEdit] = []
        // The reference, suggestion and codes depend on the edit alone: a claim that repeats a pair of
        // codes on many dates shares the last edit's texts (one string or array each) instead of building them again.
        var shared: (edit: PTPEdit, reference: String, suggestion: String, codes: [String])?
        for run in facts.dateRuns {
            let date = run.date
            let dated = facts.lines(of: run)
            for ai in dated {
                // Codes that cannot be packed have no edit (`PTPTable.edit` is nil for them).
                guard let k1 = facts.lines[ai].packedCode else { continue }
                for bi in dated where ai != bi {
                    // A packed code is a line's procedure code, so both are there.
                    guard let k2 = facts.lines[bi].packedCode, k1 != k2,
                          let edit = tables.ptpTable.edit(
                              packed: k1, k2, column1: lines[ai].procedureCode!, column2: lines[bi].procedureCode!, on: date)
                    else { continue }
                    let c1 = edit.column1, c2 = edit.column2
                    let passes: Bool
                    switch edit.modifierIndicator {
                    case .notApplicable: passes = true
                    case .notAllowed: passes = false
                    case .allowed: passes = lines[bi].modifiers.contains { NCCIModifiers.isAssociated($0.value) }
                    }
                    let edited = ReportedEdit(line: bi, column1: k1, column2: k2)
                    guard !passes, !reported.contains(edited) else { continue }
                    reported.append(edited)
                    // Texts built at their final size (`joinedText`): a claim may raise this for every date.
                    let code1 = c1.value, code2 = c2.value, day = date
                    let message: String
                    if edit.modifierIndicator == .notAllowed {
                        message = joinedText(code2, " is not separately payable with ", code1, " on ", day, ": the NCCI edit allows no modifier.")
                    } else {
                        message = joinedText(
                            code2, " is bundled into ", code1, " on ", day, " unless an NCCI-associated modifier on the ", code2,
                            " line shows a distinct service.")
                    }
                    if shared?.edit != edit {
                        let reference = joinedText(
                            "NCCI PTP edit ", code1, "/", code2, ", effective ", edit.effective, ", modifier indicator ",
                            edit.modifierIndicator.rawValue, edit.rationale.isEmpty ? "" : " (", edit.rationale,
                            edit.rationale.isEmpty ? "" : ")")
                        let suggestion = edit.modifierIndicator == .notAllowed
                            ? joinedText("Remove ", code2, " from this date; ", code1, " includes it.")
                            : joinedText(
                                "If ", code2,
                                " was distinct (separate session, site or encounter) and documented so, append XS, XE, XP, XU or 59 to the ",
                                code2, " line; otherwise remove it.")
                        shared = (edit, reference, suggestion, [code1, code2])
                    }
                    let (reference, suggestion, codes) = (shared!.reference, shared!.suggestion, shared!.codes)
                    sink.report(
                        path: Paths.line(bi, "procedureCode"), message: message, codes: .many(codes), suggestion: suggestion,
                        evidence: nil, fix: [], reference: reference, likelyDenial: nil, usesAlternateDenial: false)
                }
            }
        }
    }
}

private struct ReportedEdit: Equatable {
    var line: Int
    var column1: UInt32
    var column2: UInt32
}
