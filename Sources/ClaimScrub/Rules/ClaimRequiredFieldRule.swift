/// `CLAIM_REQUIRED_FIELD`: a field a payer needs is missing or empty; one finding per field.
public struct ClaimRequiredFieldRule: Rule {
    public var id: String { "CLAIM_REQUIRED_FIELD" }
    public var category: RuleCategory { .structure }
    public init() {}

    public func check(_ claim: Claim, _ context: RuleContext) -> [RuleHit] {
        var hits: [RuleHit] = []
        if claim.claimId?.isBlank ?? true {
            hits.append(RuleHit(path: "/claimId", message: "The claim has no claimId.",
                                suggestion: "Send the billing system's claim identifier in claimId."))
        }
        if claim.billingProvider?.npi?.isBlank ?? true {
            hits.append(RuleHit(path: "/billingProvider/npi", message: "The billing provider's NPI is missing.",
                                suggestion: "Report the billing provider's 10-digit NPI (CMS-1500 box 33a)."))
        }
        if claim.diagnoses?.isEmpty ?? true {
            hits.append(RuleHit(path: "/diagnoses", message: "The claim lists no diagnosis.",
                                suggestion: "Report at least one ICD-10-CM diagnosis (CMS-1500 box 21)."))
        }
        guard let lines = claim.serviceLines, !lines.isEmpty else {
            hits.append(RuleHit(path: "/serviceLines", message: "The claim has no service line.",
                                suggestion: "Report at least one service line (CMS-1500 box 24)."))
            return hits
        }
        // Fields read in place: copying each line retained all of its strings and arrays.
        for i in lines.indices {
            let n = i + 1
            if lines[i].serviceDate.map(Self.isBlank) ?? true {
                hits.append(RuleHit(path: Paths.line(i, "serviceDate"), message: "Service line \(n) has no date of service.",
                                    suggestion: "Report the date of service as YYYY-MM-DD."))
            }
            if lines[i].procedureCode == nil {
                hits.append(RuleHit(path: Paths.line(i, "procedureCode"), message: "Service line \(n) has no procedure code.",
                                    suggestion: "Report the CPT/HCPCS code of the service."))
            }
            if (lines[i].units ?? 0) <= 0 {
                let what = lines[i].units.map { "\($0) units" } ?? "no units"
                hits.append(RuleHit(path: Paths.line(i, "units"), message: "Service line \(n) has \(what); at least 1 is required.",
                                    codes: lines[i].procedureCode.map { [$0.value] } ?? [],
                                    suggestion: "Report the number of units billed (1 or more)."))
            }
        }
        return hits
    }

    private static func isBlank(_ d: DateField) -> Bool {
        if case .invalid(let text) = d { return text.isBlank }
        return false
    }
}
