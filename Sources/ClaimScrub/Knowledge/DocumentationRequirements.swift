/// The documentation elements of API.md §2 a requirement may name.
public enum DocumentationField: String, Sendable, CaseIterable {
    case onsetDate, severity, progression, painRegions, laterality, examFindings, neurologicalDeficits,
         imagingJustification, conservativeTreatmentWeeks, relatedConditions, notes

    /// This field's bit in a mask of fields (`missingMask`).
    var bit: UInt16 {
        switch self {
        case .onsetDate: 1 << 0
        case .severity: 1 << 1
        case .progression: 1 << 2
        case .painRegions: 1 << 3
        case .laterality: 1 << 4
        case .examFindings: 1 << 5
        case .neurologicalDeficits: 1 << 6
        case .imagingJustification: 1 << 7
        case .conservativeTreatmentWeeks: 1 << 8
        case .relatedConditions: 1 << 9
        case .notes: 1 << 10
        }
    }

    /// The bits of the fields `isPresent` finds missing in the claim's documentation.
    static func missingMask(of claim: Claim) -> UInt16 { claim.documentation?.missingFields ?? 0x7FF }
    static func missingMask(of documentation: Documentation?) -> UInt16 { documentation?.missingFields ?? 0x7FF }

    /// Present: sent and not blank (an unreadable onset date is present; `CLAIM_DATE` reports it).
    public func isPresent(in d: Documentation?) -> Bool {
        guard let d else { return false }
        func text(_ s: String?) -> Bool { s.map { !$0.isBlank } ?? false }
        func list(_ l: [String]?) -> Bool { l.map { $0.contains { !$0.isBlank } } ?? false }
        switch self {
        case .onsetDate: return d.onsetDate != nil
        case .severity: return text(d.severity)
        case .progression: return text(d.progression)
        case .painRegions: return list(d.painRegions)
        case .laterality: return text(d.laterality)
        case .examFindings: return list(d.examFindings)
        case .neurologicalDeficits: return d.neurologicalDeficits != nil
        case .imagingJustification: return text(d.imagingJustification)
        case .conservativeTreatmentWeeks: return d.conservativeTreatmentWeeks != nil
        case .relatedConditions: return list(d.relatedConditions)
        case .notes: return text(d.notes)
        }
    }
}

extension Documentation {
    /// `DocumentationField.missingMask`, read field by field in place (asking `isPresent`
    /// per field copied the whole documentation each time).
    var missingFields: UInt16 {
        func text(_ s: String?) -> Bool { s.map { !$0.isBlank } ?? false }
        func list(_ l: [String]?) -> Bool { l.map { $0.contains { !$0.isBlank } } ?? false }
        var mask: UInt16 = 0
        if onsetDate == nil { mask |= DocumentationField.onsetDate.bit }
        if !text(severity) { mask |= DocumentationField.severity.bit }
        if !text(progression) { mask |= DocumentationField.progression.bit }
        if !list(painRegions) { mask |= DocumentationField.painRegions.bit }
        if !text(laterality) { mask |= DocumentationField.laterality.bit }
        if !list(examFindings) { mask |= DocumentationField.examFindings.bit }
        if neurologicalDeficits == nil { mask |= DocumentationField.neurologicalDeficits.bit }
        if !text(imagingJustification) { mask |= DocumentationField.imagingJustification.bit }
        if conservativeTreatmentWeeks == nil { mask |= DocumentationField.conservativeTreatmentWeeks.bit }
        if !list(relatedConditions) { mask |= DocumentationField.relatedConditions.bit }
        if !text(notes) { mask |= DocumentationField.notes.bit }
        return mask
    }
}

/// `Config/clinical/documentation.yaml`: what each diagnosis family and procedure needs
/// documented.
public struct DocumentationRequirements: Sendable {
    public struct ForDiagnoses: Sendable {
        public var label: String
        public var patterns: [DiagnosisPattern]
        public var requires: [DocumentationField]
    }

    public struct ForProcedures: Sendable {
        public var label: String
        public var codes: Set<ProcedureCode>
        public var requires: [DocumentationField]
    }

    public var diagnoses: [ForDiagnoses]
    public var procedures: [ForProcedures]

    public init(diagnoses: [ForDiagnoses], procedures: [ForProcedures]) {
        self.diagnoses = diagnoses
        self.procedures = procedures
    }

    public static func load(yaml: String, file: String) throws -> DocumentationRequirements {
        let root = try YAMLCursor.root(yaml: yaml, file: file)
        try root.checkKeys(["diagnoses", "procedures"])
        func fields(_ c: YAMLCursor) throws -> [DocumentationField] {
            try c.sequence().map { f in
                guard let field = DocumentationField(rawValue: try f.string()) else {
                    throw f.fail("a documentation field among \(DocumentationField.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                return field
            }
        }
        let dx = try (root.optional("diagnoses")?.sequence() ?? []).map { item in
            try item.checkKeys(["label", "patterns", "requires"])
            return ForDiagnoses(
                label: try item.required("label").string(), patterns: try item.required("patterns").diagnosisPatterns(),
                requires: try fields(item.required("requires")))
        }
        let px = try (root.optional("procedures")?.sequence() ?? []).map { item in
            try item.checkKeys(["label", "codes", "requires"])
            let codes = try item.required("codes").sequence().map { c in
                guard let code = ProcedureCode(try c.string()), code.isWellFormed else {
                    throw c.fail("a five-character CPT/HCPCS code")
                }
                return code
            }
            return ForProcedures(
                label: try item.required("label").string(), codes: Set(codes),
                requires: try fields(item.required("requires")))
        }
        return DocumentationRequirements(diagnoses: dx, procedures: px)
    }
}
