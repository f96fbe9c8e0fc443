/// The shipped rules as cases, so that the engine calls each one directly: a call through
/// `any Rule` copied and destroyed the existential for every rule of every claim. A rule
/// that is not one of these (a test's, a pack's) is still called through `any Rule`.
enum BuiltinRule: Int, Sendable {
    case claimRequiredField, claimDxPointer, claimDxLimit, claimDxDuplicate, claimDate, claimNPI
    case dxInvalid, dxNotBillable, dxNotValidForDOS, dxCodeSetUnavailable, dxExcludes1, dxManifestationPrimary
    case dxUnspecified, dxSymptomPrimary, pairDxProcedure, docMissing, timedMinutesMissing, timedUnits
    case ncciPtp, ncciMue, mod25, modTherapy

    /// The rule's bit in `ClaimFacts.mayReport`.
    var bit: UInt32 { 1 << UInt32(rawValue) }

    init?(_ rule: any Rule) {
        switch rule {
        case is ClaimRequiredFieldRule: self = .claimRequiredField
        case is ClaimDxPointerRule: self = .claimDxPointer
        case is ClaimDxLimitRule: self = .claimDxLimit
        case is ClaimDxDuplicateRule: self = .claimDxDuplicate
        case is ClaimDateRule: self = .claimDate
        case is ClaimNPIRule: self = .claimNPI
        case is DxInvalidRule: self = .dxInvalid
        case is DxNotBillableRule: self = .dxNotBillable
        case is DxNotValidForDOSRule: self = .dxNotValidForDOS
        case is DxCodeSetUnavailableRule: self = .dxCodeSetUnavailable
        case is DxExcludes1Rule: self = .dxExcludes1
        case is DxManifestationPrimaryRule: self = .dxManifestationPrimary
        case is DxUnspecifiedRule: self = .dxUnspecified
        case is DxSymptomPrimaryRule: self = .dxSymptomPrimary
        case is PairDxProcedureRule: self = .pairDxProcedure
        case is DocMissingRule: self = .docMissing
        case is TimedMinutesMissingRule: self = .timedMinutesMissing
        case is TimedUnitsRule: self = .timedUnits
        case is NcciPtpRule: self = .ncciPtp
        case is NcciMueRule: self = .ncciMue
        case is Mod25Rule: self = .mod25
        case is ModTherapyRule: self = .modTherapy
        default: return nil
        }
    }

    /// The rule's `check`, called on a fresh value (every shipped rule is an empty struct).
    func check(_ claim: Claim, _ context: RuleContext) -> [RuleHit] {
        switch self {
        case .claimRequiredField: ClaimRequiredFieldRule().check(claim, context)
        case .claimDxPointer: ClaimDxPointerRule().check(claim, context)
        case .claimDxLimit: ClaimDxLimitRule().check(claim, context)
        case .claimDxDuplicate: ClaimDxDuplicateRule().check(claim, context)
        case .claimDate: ClaimDateRule().check(claim, context)
        case .claimNPI: ClaimNPIRule().check(claim, context)
        case .dxInvalid: DxInvalidRule().check(claim, context)
        case .dxNotBillable: DxNotBillableRule().check(claim, context)
        case .dxNotValidForDOS: DxNotValidForDOSRule().check(claim, context)
        case .dxCodeSetUnavailable: DxCodeSetUnavailableRule().check(claim, context)
        case .dxExcludes1: DxExcludes1Rule().check(claim, context)
        case .dxManifestationPrimary: DxManifestationPrimaryRule().check(claim, context)
        case .dxUnspecified: DxUnspecifiedRule().check(claim, context)
        case .dxSymptomPrimary: DxSymptomPrimaryRule().check(claim, context)
        case .pairDxProcedure: PairDxProcedureRule().check(claim, context)
        case .docMissing: DocMissingRule().check(claim, context)
        case .timedMinutesMissing: TimedMinutesMissingRule().check(claim, context)
        case .timedUnits: TimedUnitsRule().check(claim, context)
        case .ncciPtp: NcciPtpRule().check(claim, context)
        case .ncciMue: NcciMueRule().check(claim, context)
        case .mod25: Mod25Rule().check(claim, context)
        case .modTherapy: ModTherapyRule().check(claim, context)
        }
    }
}
