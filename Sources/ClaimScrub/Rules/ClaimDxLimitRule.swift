/// `CLAIM_DX_LIMIT`: an 837P claim carries at most 12 diagnoses.
public struct ClaimDxLimitRule: Rule {
    public var id: String { "CLAIM_DX_LIMIT" }
    public var category: RuleCategory { .structure }
    public static let limit = 12
    public init() {}

    public func check(_ claim: Claim, _ context: RuleContext) -> [RuleHit] {
        guard let dx = claim.diagnoses, dx.count > Self.limit else { return [] }
        return [RuleHit(
            path: "/diagnoses",
            message: "The claim lists \(dx.count) diagnoses; a professional claim carries at most \(Self.limit).",
            codes: dx[Self.limit...].map(\.display),
            suggestion: "Keep the \(Self.limit) diagnoses that support the services billed, or split the claim.")]
    }
}
