/// `DX_CODESET_UNAVAILABLE`: no loaded release covers the claim's date of service, so
/// its codes were checked against the newest one. One warning per claim.
public struct DxCodeSetUnavailableRule: Rule {
    public var id: String { "DX_CODESET_UNAVAILABLE" }
    public var category: RuleCategory { .validity }
    public init() {}

    public func check(_ claim: Claim, _ context: RuleContext) -> [RuleHit] {
        guard !context.codeSetCoversDates, let date = ScrubEngine.releaseSelectionDate(of: claim) else { return [] }
        let i = claim.serviceLines?.firstIndex { $0.serviceDate?.date == date } ?? 0
        let set = context.codeSet
        return [RuleHit(
            path: Paths.line(i, "serviceDate"),
            message: "No loaded ICD-10-CM release covers the date of service; the codes were checked against release \(set.version) (valid \(set.validFrom) to \(set.validThrough)).",
            suggestion: "Load the ICD-10-CM release in force on the date of service (Config/codesets), then scrub again.")]
    }
}
