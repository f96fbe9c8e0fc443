/// A professional claim as the contract (API.md §2) describes it, decoded once.
///
/// JSON type errors never reach this type: they are input errors of the decoder.
/// Business data that is missing or not meaningful (no diagnoses, a date that is not
/// a real date, units 0) is kept here as it came, so the rules can report it.
public struct Claim: Sendable, Equatable {
    public var claimId: String?
    public var payer: Payer?
    public var patient: Patient?
    public var billingProvider: Provider?
    public var renderingProvider: Provider?
    public var placeOfService: String?
    /// Absent (`nil`) differs from present and empty (`[]`): both are reported.
    public var diagnoses: [DiagnosisEntry]?
    public var serviceLines: [ServiceLine]?
    public var documentation: Documentation?
    /// Where the claim came from; an 837P cannot carry treatment minutes or chart data.
    public var origin: ClaimOrigin = .json

    public init(
        claimId: String? = nil, payer: Payer? = nil, patient: Patient? = nil,
        billingProvider: Provider? = nil, renderingProvider: Provider? = nil,
        placeOfService: String? = nil, diagnoses: [DiagnosisEntry]? = nil,
        serviceLines: [ServiceLine]? = nil, documentation: Documentation? = nil
    ) {
        self.claimId = claimId
        self.payer = payer
        self.patient = patient
        self.billingProvider = billingProvider
        self.renderingProvider = renderingProvider
        self.placeOfService = placeOfService
        self.diagnoses = diagnoses
        self.serviceLines = serviceLines
        self.documentation = documentation
    }
}

/// The format a claim arrived in. It decides which checks the data can support.
public enum ClaimOrigin: Sendable, Equatable {
    /// The contract's JSON: may carry treatment minutes and the chart's documentation.
    case json
    /// An ASC X12 837P: no element holds treatment minutes or structured chart data, so
    /// a check that needs them cannot tell "not documented" from "not sendable".
    case x12

    public var carriesChartData: Bool { self == .json }
}

public struct Payer: Sendable, Equatable {
    public var id: String?
    public var type: PayerType?
    public init(id: String? = nil, type: PayerType? = nil) {
        self.id = id
        self.type = type
    }
}

/// `payer.type`; a value outside the contract's list is kept as `.other(raw)`.
public enum PayerType: Sendable, Equatable, Hashable {
    case medicare, medicaid, commercial, other(String)

    public init(_ raw: String) {
        switch raw.lowercased() {
        case "medicare": self = .medicare
        case "medicaid": self = .medicaid
        case "commercial": self = .commercial
        default: self = .other(raw)
        }
    }

    /// The profile name this type selects (`medicare`, …, `other`).
    public var profileName: String {
        switch self {
        case .medicare: "medicare"
        case .medicaid: "medicaid"
        case .commercial: "commercial"
        case .other: "other"
        }
    }
}

/// Patient data. Never logged, never echoed in a message or problem.
public struct Patient: Sendable, Equatable {
    public var birthDate: DateField?
    public var sex: String?
    public init(birthDate: DateField? = nil, sex: String? = nil) {
        self.birthDate = birthDate
        self.sex = sex
    }
}

public struct Provider: Sendable, Equatable {
    /// As sent; `CLAIM_NPI` checks its shape and Luhn digit.
    public var npi: String?
    public init(npi: String? = nil) { self.npi = npi }
}

/// A diagnosis as listed on the claim: the text sent and, when it has the shape of an
/// ICD-10-CM code, the canonical code. Whether the code exists is the code set's call.
public struct DiagnosisEntry: Sendable, Equatable {
    public var raw: String
    public var code: ICD10Code?
    public init(raw: String) {
        self.raw = raw
        self.code = ICD10Code(raw)
    }
    /// The form results use: dotted upper case when the shape is a code, else as sent.
    public var display: String { code?.dotted ?? raw }
}

/// A date field sent as a string: a real date, or the text that was not one.
public enum DateField: Sendable, Equatable {
    case valid(ServiceDate)
    case invalid(String)

    public init(_ text: String) {
        if let d = ServiceDate(iso: text) { self = .valid(d) } else { self = .invalid(text) }
    }
    public var date: ServiceDate? {
        if case .valid(let d) = self { return d }
        return nil
    }
}

/// A CPT/HCPCS code as sent, upper-cased and trimmed (`97110`, `G0283`).
public struct ProcedureCode: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let value: String
    public init?(_ raw: some StringProtocol) {
        let trimmed = raw.trimmingSpaces.uppercased()
        guard !trimmed.isEmpty else { return nil }
        value = trimmed
    }
    /// True for the five-character shapes of CPT (`99213`, `0001F`) and HCPCS (`G0283`).
    public var isWellFormed: Bool {
        let b = Array(value.utf8)
        return b.count == 5 && b.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 65 && $0 <= 90) }
    }
    public var description: String { value }
    public static func < (a: ProcedureCode, b: ProcedureCode) -> Bool { a.value < b.value }
}

/// A two-character procedure modifier, upper case (`25`, `GP`, `XS`).
public struct Modifier: Hashable, Sendable, CustomStringConvertible {
    public let value: String
    public init(_ raw: some StringProtocol) { value = raw.trimmingSpaces.uppercased() }
    public var description: String { value }
}

/// A clock time of day, `HH:MM` (24-hour), for treatment start and end.
public struct TimeOfDay: Hashable, Sendable, Comparable {
    public let minutesSinceMidnight: Int
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3,
              parts.allSatisfy({ $0.count == 2 && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let h = Int(parts[0]), let m = Int(parts[1]), h < 24, m < 60 else { return nil }
        minutesSinceMidnight = h * 60 + m
    }
    public static func < (a: TimeOfDay, b: TimeOfDay) -> Bool { a.minutesSinceMidnight < b.minutesSinceMidnight }
}

public struct ServiceLine: Sendable, Equatable {
    /// nil when absent or empty.
    public var procedureCode: ProcedureCode?
    public var modifiers: [Modifier]
    /// As sent; 0 or negative is reported by `CLAIM_REQUIRED_FIELD`.
    public var units: Int?
    public var chargeAmount: Double?
    public var serviceDate: DateField?
    public var serviceDateEnd: DateField?
    /// 1-based positions in `diagnoses`, as sent (validity is `CLAIM_DX_POINTER`'s call).
    public var diagnosisPointers: [Int]?
    public var minutes: Int?
    /// Raw text kept so an unreadable time can be reported; `start`/`end` parse it.
    public var startTime: String?
    public var endTime: String?

    public init(
        procedureCode: ProcedureCode? = nil, modifiers: [Modifier] = [], units: Int? = nil,
        chargeAmount: Double? = nil, serviceDate: DateField? = nil, serviceDateEnd: DateField? = nil,
        diagnosisPointers: [Int]? = nil, minutes: Int? = nil, startTime: String? = nil, endTime: String? = nil
    ) {
        self.procedureCode = procedureCode
        self.modifiers = modifiers
        self.units = units
        self.chargeAmount = chargeAmount
        self.serviceDate = serviceDate
        self.serviceDateEnd = serviceDateEnd
        self.diagnosisPointers = diagnosisPointers
        self.minutes = minutes
        self.startTime = startTime
        self.endTime = endTime
    }

    public var start: TimeOfDay? { startTime.flatMap { TimeOfDay($0) } }
    public var end: TimeOfDay? { endTime.flatMap { TimeOfDay($0) } }

    /// Treatment minutes: `minutes` when sent, else end − start when both parse and end > start.
    public var treatmentMinutes: Int? {
        if let minutes { return minutes }
        if let s = start, let e = end, e > s { return e.minutesSinceMidnight - s.minutesSinceMidnight }
        return nil
    }

    public func hasModifier(_ m: String) -> Bool { modifiers.contains { $0.value == m } }
}

/// What the chart documents. Every field optional. `notes` is free text (patient data).
public struct Documentation: Sendable, Equatable {
    public var onsetDate: DateField?
    public var severity: String?
    public var progression: String?
    public var painRegions: [String]?
    public var laterality: String?
    public var examFindings: [String]?
    public var neurologicalDeficits: Bool?
    public var imagingJustification: String?
    public var conservativeTreatmentWeeks: Int?
    public var relatedConditions: [String]?
    public var notes: String?

    public init(
        onsetDate: DateField? = nil, severity: String? = nil, progression: String? = nil,
        painRegions: [String]? = nil, laterality: String? = nil, examFindings: [String]? = nil,
        neurologicalDeficits: Bool? = nil, imagingJustification: String? = nil,
        conservativeTreatmentWeeks: Int? = nil, relatedConditions: [String]? = nil, notes: String? = nil
    ) {
        self.onsetDate = onsetDate
        self.severity = severity
        self.progression = progression
        self.painRegions = painRegions
        self.laterality = laterality
        self.examFindings = examFindings
        self.neurologicalDeficits = neurologicalDeficits
        self.imagingJustification = imagingJustification
        self.conservativeTreatmentWeeks = conservativeTreatmentWeeks
        self.relatedConditions = relatedConditions
        self.notes = notes
    }
}

extension StringProtocol {
    /// Trims ASCII spaces and tabs (Foundation-free).
    var trimmingSpaces: Substring {
        let s = Substring(self)
        guard let first = s.firstIndex(where: { $0 != " " && $0 != "\t" }) else { return "" }
        let last = s.lastIndex(where: { $0 != " " && $0 != "\t" })!
        return s[first...last]
    }
}
