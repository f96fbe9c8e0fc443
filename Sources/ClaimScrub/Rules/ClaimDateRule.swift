/// `CLAIM_DATE`: dates that are not real dates, dates in the future, an end before its
/// start, and service past the payer's timely-filing limit (which asks for the
/// configured alternate denial, CO-29). Messages never quote a date: they may be patient data.
public struct ClaimDateRule: Rule {
    public var id: String { "CLAIM_DATE" }
    public var category: RuleCategory { .structure }
    public init() {}

    public func check(_ claim: Claim, _ context: RuleContext) -> [RuleHit] {
        var hits: [RuleHit] = []
        let today = context.today

        // Path and wording are built only for a finding (this runs for every date of every claim).
        func checkField(_ field: DateField?, _ path: @autoclosure () -> String, _ what: @autoclosure () -> String) -> ServiceDate? {
            switch field {
            case .none: return nil
            case .invalid(let text):
                // A blank date is a missing field, reported by CLAIM_REQUIRED_FIELD or not at all.
                if !text.isBlank {
                    hits.append(RuleHit(path: path(), message: "\(what()) is not a real calendar date.",
                                        suggestion: "Send the date as YYYY-MM-DD, e.g. 2026-03-02."))
                }
                return nil
            case .valid(let d):
                if d > today {
                    hits.append(RuleHit(path: path(), message: "\(what()) is in the future.",
                                        suggestion: "Check the date; a claim is billed after the service."))
                }
                return d
            }
        }

        _ = checkField(claim.patient?.birthDate, "/patient/birthDate", "The patient's birth date")
        _ = checkField(claim.documentation?.onsetDate, "/documentation/onsetDate", "The documented onset date")

        let lines = claim.serviceLines ?? []
        // The last date of service within the filing limit, worked out once: a line is compared
        // with it, and its age in days is computed only for a finding.
        let limit = context.profile.filingLimitDays
        let oldestTimely = limit.map { today.adding(days: -$0) }
        // Fields read in place: copying each line retained all of its strings and arrays.
        for i in lines.indices {
            let n = i + 1
            let start = checkField(lines[i].serviceDate, Paths.line(i, "serviceDate"), "Service line \(n)'s date of service")
            let end = checkField(lines[i].serviceDateEnd, Paths.line(i, "serviceDateEnd"), "Service line \(n)'s end date")
            if let start, let end, end < start {
                hits.append(RuleHit(path: Paths.line(i, "serviceDateEnd"), message: "Service line \(n) ends before it starts.",
                                    suggestion: "Correct the from/through dates of service."))
            }
            // Older than `oldestTimely` is more than `limit` days before today.
            if let limit, let oldestTimely, let last = end ?? start, last < oldestTimely, last <= today {
                let age = today.daysSinceEpoch - last.daysSinceEpoch
                hits.append(RuleHit(
                    path: Paths.line(i, end != nil ? "serviceDateEnd" : "serviceDate"),
                    message: "Service line \(n) was provided \(age) days ago, past the \(context.profile.name) timely-filing limit of \(limit) days.",
                    suggestion: "Claims past the filing limit are denied unless an exception applies; check for one before submitting.",
                    usesAlternateDenial: true))
            }
        }
        return hits
    }
}
