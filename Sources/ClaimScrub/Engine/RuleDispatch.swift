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
        var hits: [RuleHit] = []
        check(claim, context, into: &hits)
        return hits
    }

    /// The rule's hits reported into `sink`: a rule that reports through a sink (`report(_:_:into:)`)
    /// builds each finding straight into the engine's array, with no `[RuleHit]` in between.
    func check<Sink: HitSink>(_ claim: Claim, _ context: RuleContext, into sink: inout Sink) {
        switch self {
        case .claimRequiredField: sink.take(ClaimRequiredFieldRule().check(claim, context))
        case .claimDxPointer: sink.take(ClaimDxPointerRule().check(claim, context))
        case .claimDxLimit: sink.take(ClaimDxLimitRule().check(claim, context))
        case .claimDxDuplicate: sink.take(ClaimDxDuplicateRule().check(claim, context))
        case .claimDate: sink.take(ClaimDateRule().check(claim, context))
        case .claimNPI: sink.take(ClaimNPIRule().check(claim, context))
        case .dxInvalid: sink.take(DxInvalidRule().check(claim, context))
        case .dxNotBillable: sink.take(DxNotBillableRule().check(claim, context))
        case .dxNotValidForDOS: sink.take(DxNotValidForDOSRule().check(claim, context))
        case .dxCodeSetUnavailable: sink.take(DxCodeSetUnavailableRule().check(claim, context))
        case .dxExcludes1: sink.take(DxExcludes1Rule().check(claim, context))
        case .dxManifestationPrimary: sink.take(DxManifestationPrimaryRule().check(claim, context))
        case .dxUnspecified: sink.take(DxUnspecifiedRule().check(claim, context))
        case .dxSymptomPrimary: sink.take(DxSymptomPrimaryRule().check(claim, context))
        case .pairDxProcedure: sink.take(PairDxProcedureRule().check(claim, context))
        case .docMissing: sink.take(DocMissingRule().check(claim, context))
        case .timedMinutesMissing: sink.take(TimedMinutesMissingRule().check(claim, context))
        case .timedUnits: sink.take(TimedUnitsRule().check(claim, context))
        case .ncciPtp: NcciPtpRule().report(claim, context, into: &sink)
        case .ncciMue: sink.take(NcciMueRule().check(claim, context))
        case .mod25: Mod25Rule().report(claim, context, into: &sink)
        case .modTherapy: sink.take(ModTherapyRule().check(claim, context))
        }
    }
}

/// Where a shipped rule reports its hits: the engine's `FindingSink` makes each a `Finding`
/// in place, a `[RuleHit]` collects them for `Rule.check` (and the rule tests).
protocol HitSink {
    mutating func report(
        path: consuming String, message: consuming String, codes: consuming FindingCodes, suggestion: consuming String?,
        evidence: consuming String?, fix: consuming [PatchOperation], reference: consuming String?,
        likelyDenial: consuming LikelyDenial?, usesAlternateDenial: Bool)

    /// A hit whose message and suggestion were written as one string, the suggestion from
    /// UTF-8 offset `suggestionStart` (one allocation for both sentences).
    mutating func report(
        path: consuming String, messageAndSuggestion text: consuming String, suggestionStart: Int, codes: consuming FindingCodes)
}

extension HitSink {
    /// The hits of a rule that returns an array, each moved (not copied) into the sink, the
    /// codes as the array they are (taking one or two codes out of it cost more).
    mutating func take(_ hits: consuming [RuleHit]) {
        if hits.isEmpty { return }
        for h in hits.indices {
            report(
                path: ScrubEngine.taken(&hits[h].path, ""), message: ScrubEngine.taken(&hits[h].message, ""),
                codes: .many(ScrubEngine.taken(&hits[h].codes, [])), suggestion: ScrubEngine.taken(&hits[h].suggestion, nil),
                evidence: ScrubEngine.taken(&hits[h].evidence, nil), fix: ScrubEngine.taken(&hits[h].fix, []),
                reference: ScrubEngine.taken(&hits[h].reference, nil), likelyDenial: ScrubEngine.taken(&hits[h].likelyDenial, nil),
                usesAlternateDenial: hits[h].usesAlternateDenial)
        }
    }

    /// The usual hit: a path, two sentences and the codes it is about.
    @inline(__always)
    mutating func report(path: consuming String, message: consuming String, codes: consuming FindingCodes, suggestion: consuming String? = nil) {
        report(
            path: path, message: message, codes: codes, suggestion: suggestion, evidence: nil, fix: [],
            reference: nil, likelyDenial: nil, usesAlternateDenial: false)
    }
}

extension Array: HitSink where Element == RuleHit {
    mutating func report(
        path: consuming String, messageAndSuggestion text: consuming String, suggestionStart: Int, codes: consuming FindingCodes
    ) {
        let u = text.utf8
        append(RuleHit(
            path: path, message: String(decoding: u.prefix(suggestionStart), as: UTF8.self), codes: codes.array,
            suggestion: String(decoding: u.dropFirst(suggestionStart), as: UTF8.self)))
    }

    mutating func report(
        path: consuming String, message: consuming String, codes: consuming FindingCodes, suggestion: consuming String?,
        evidence: consuming String?, fix: consuming [PatchOperation], reference: consuming String?,
        likelyDenial: consuming LikelyDenial?, usesAlternateDenial: Bool
    ) {
        append(RuleHit(
            path: path, message: message, codes: codes.array, suggestion: suggestion, evidence: evidence, fix: fix,
            reference: reference, likelyDenial: likelyDenial, usesAlternateDenial: usesAlternateDenial))
    }
}
