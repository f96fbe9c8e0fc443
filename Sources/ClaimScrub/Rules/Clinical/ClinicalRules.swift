/// The clinical and payer rule pack, in catalog order (API.md §4). The engine registers
/// these beside its structure and validity rules; their data comes from
/// `ClinicalKnowledge.load(configDirectory:into:)`.
public enum ClinicalRules {
    public static let all: [any Rule] = [
        DxUnspecifiedRule(),
        DxSymptomPrimaryRule(),
        PairDxProcedureRule(),
        DocMissingRule(),
        TimedMinutesMissingRule(),
        TimedUnitsRule(),
        NcciPtpRule(),
        NcciMueRule(),
        Mod25Rule(),
        ModTherapyRule(),
    ]
}
