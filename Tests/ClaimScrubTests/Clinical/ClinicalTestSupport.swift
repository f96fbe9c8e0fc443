import Foundation
import Testing
@testable import ClaimScrub

/// The repository root, found from this file's path (tests never read /work/shared).
let clinicalRepoRoot: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The clinical knowledge loaded from the project's own Config, once.
let clinicalKnowledge: Knowledge = {
    do {
        return try ClinicalKnowledge.load(configDirectory: clinicalRepoRoot.appendingPathComponent("Config").path)
    } catch {
        fatalError("Config/ does not load: \(error)")
    }
}()

/// A small in-memory FY2026 release with the codes the clinical tests use; titles as in the tabular.
let clinicalTestCodeSet: CodeSet = {
    let rows: [(String, String, Bool)] = [
        ("M54", "Dorsalgia", false),
        ("M54.1", "Radiculopathy", false),
        ("M54.10", "Radiculopathy, site unspecified", true),
        ("M54.12", "Radiculopathy, cervical region", true),
        ("M54.13", "Radiculopathy, cervicothoracic region", true),
        ("M54.14", "Radiculopathy, thoracic region", true),
        ("M54.15", "Radiculopathy, thoracolumbar region", true),
        ("M54.16", "Radiculopathy, lumbar region", true),
        ("M54.17", "Radiculopathy, lumbosacral region", true),
        ("M54.18", "Radiculopathy, sacral and sacrococcygeal region", true),
        ("M54.2", "Cervicalgia", true),
        ("M54.3", "Sciatica", false),
        ("M54.30", "Sciatica, unspecified side", true),
        ("M54.31", "Sciatica, right side", true),
        ("M54.32", "Sciatica, left side", true),
        ("M54.5", "Low back pain", false),
        ("M54.50", "Low back pain, unspecified", true),
        ("M54.51", "Vertebrogenic low back pain", true),
        ("M54.59", "Other low back pain", true),
        ("M54.6", "Pain in thoracic spine", true),
        ("M54.9", "Dorsalgia, unspecified", true),
        ("M41", "Scoliosis", false),
        ("M41.2", "Other idiopathic scoliosis", false),
        ("M41.24", "Other idiopathic scoliosis, thoracic region", true),
        ("M51", "Thoracic, thoracolumbar, and lumbosacral intervertebral disc disorders", false),
        ("M51.2", "Other thoracic, thoracolumbar and lumbosacral intervertebral disc displacement", false),
        ("M51.24", "Other intervertebral disc displacement, thoracic region", true),
        ("M51.26", "Other intervertebral disc displacement, lumbar region", true),
        ("M79", "Other and unspecified soft tissue disorders, not elsewhere classified", false),
        ("M79.6", "Pain in limb, hand, foot, fingers and toes", false),
        ("M79.60", "Pain in limb, unspecified", false),
        ("M79.601", "Pain in right arm", true),
        ("M79.602", "Pain in left arm", true),
        ("M79.603", "Pain in arm, unspecified", true),
        ("S22", "Fracture of rib(s), sternum and thoracic spine", false),
        ("S22.0", "Fracture of thoracic vertebra", false),
        ("S22.00", "Fracture of unspecified thoracic vertebra", false),
        ("S22.000", "Wedge compression fracture of unspecified thoracic vertebra", false),
        ("S22.000A", "Wedge compression fracture of unspecified thoracic vertebra, initial encounter for closed fracture", true),
        ("R26", "Abnormalities of gait and mobility", false),
        ("R26.2", "Difficulty in walking, not elsewhere classified", true),
        ("J45.909", "Unspecified asthma, uncomplicated", true),
    ]
    let codes = Set(rows.map { ICD10Code($0.0)! })
    let entries = rows.map { row -> CodeEntry in
        let code = ICD10Code(row.0)!
        var parent = code.syntacticParent
        while let p = parent, !codes.contains(p) { parent = p.syntacticParent }
        // The one Excludes1 note the tests need: under M54.6, disc disorders (M51.-).
        let excludes: [CodePattern] = row.0 == "M54.6" ? [.prefix("M51")] : []
        return CodeEntry(code: code, description: row.1, billable: row.2, parent: parent, excludes1: excludes)
    }
    return CodeSet(
        version: "2026-04-01", validFrom: ServiceDate(iso: "2025-10-01")!, validThrough: ServiceDate(iso: "2026-09-30")!,
        entries: entries)
}()

enum TestProfile {
    static let medicare = PayerProfile(name: "medicare", filingLimitDays: 365, timedUnitMethod: .medicare, requiresTherapyModifier: true)
    static let commercial = PayerProfile(name: "commercial", timedUnitMethod: .perCode, requiresTherapyModifier: false)
}

func clinicalContext(profile: PayerProfile = TestProfile.medicare, knowledge: Knowledge = clinicalKnowledge) -> RuleContext {
    RuleContext(
        codeSet: clinicalTestCodeSet, library: CodeSetLibrary(releases: [clinicalTestCodeSet]), codeSetCoversDates: true,
        profile: profile, today: ServiceDate(iso: "2026-06-01")!, knowledge: knowledge)
}

/// A hit with the rule that raised it.
struct RaisedHit {
    var rule: String
    var hit: RuleHit
}

/// Runs the whole clinical pack, as the engine will.
func scrubClinical(_ claim: Claim, profile: PayerProfile = TestProfile.medicare) -> [RaisedHit] {
    let context = clinicalContext(profile: profile)
    return ClinicalRules.all.flatMap { rule in rule.check(claim, context).map { RaisedHit(rule: rule.id, hit: $0) } }
}

/// Runs one rule.
func hits(_ rule: any Rule, _ claim: Claim, profile: PayerProfile = TestProfile.medicare) -> [RuleHit] {
    rule.check(claim, clinicalContext(profile: profile))
}

/// Default severities of the contract's catalog (API.md §4), for statuses in tests.
let catalogSeverity: [String: Severity] = [
    "CLAIM_REQUIRED_FIELD": .error, "CLAIM_DX_POINTER": .error, "CLAIM_DX_LIMIT": .error, "CLAIM_DX_DUPLICATE": .warning,
    "CLAIM_DATE": .error, "CLAIM_NPI": .error, "DX_INVALID": .error, "DX_NOT_BILLABLE": .error,
    "DX_NOT_VALID_FOR_DOS": .error, "DX_CODESET_UNAVAILABLE": .warning, "DX_UNSPECIFIED": .warning,
    "DX_EXCLUDES1": .error, "DX_SYMPTOM_PRIMARY": .warning, "DX_MANIFESTATION_PRIMARY": .error,
    "PAIR_DX_PROCEDURE": .error, "DOC_MISSING": .warning, "TIMED_MINUTES_MISSING": .error, "TIMED_UNITS": .error,
    "NCCI_PTP": .error, "NCCI_MUE": .error, "MOD_25": .warning, "MOD_THERAPY": .error,
]

// MARK: - Building claims

func line(
    _ code: String, _ modifiers: [String] = [], units: Int? = 1, date: String = "2026-05-04", pointers: [Int]? = [1],
    minutes: Int? = nil, start: String? = nil, end: String? = nil
) -> ServiceLine {
    ServiceLine(
        procedureCode: ProcedureCode(code), modifiers: modifiers.map { Modifier($0) }, units: units,
        serviceDate: DateField(date), diagnosisPointers: pointers, minutes: minutes, startTime: start, endTime: end)
}

/// Complete back-pain documentation, so only what a test changes can raise DOC_MISSING.
func documented(
    regions: [String]? = nil, laterality: String? = nil, notes: String? = nil, imaging: String? = nil
) -> Documentation {
    Documentation(
        onsetDate: DateField("2026-04-20"), severity: "6/10", painRegions: regions, laterality: laterality,
        examFindings: ["paraspinal tenderness"], imagingJustification: imaging, notes: notes)
}

func claim(_ dx: [String], _ lines: [ServiceLine], _ doc: Documentation? = documented(), payer: PayerType = .medicare) -> Claim {
    Claim(
        claimId: "T-1", payer: Payer(id: nil, type: payer), billingProvider: Provider(npi: "1234567893"),
        diagnoses: dx.map { DiagnosisEntry(raw: $0) }, serviceLines: lines, documentation: doc)
}

// MARK: - JSON, for the example fixtures and the fix invariant

/// A JSON tree the tests decode fixtures into and apply JSON Patches to.
indirect enum JSON: Equatable, Codable {
    case null, bool(Bool), int(Int), double(Double), string(String), array([JSON]), object([String: JSON])

    init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let i = try? c.decode(Int.self) { self = .int(i) }
        else if let d = try? c.decode(Double.self) { self = .double(d) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSON].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSON].self)) }
    }

    func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let v): try c.encode(v)
        case .int(let v): try c.encode(v)
        case .double(let v): try c.encode(v)
        case .string(let v): try c.encode(v)
        case .array(let v): try c.encode(v)
        case .object(let v): try c.encode(v)
        }
    }

    static func parse(_ data: Data) throws -> JSON { try JSONDecoder().decode(JSON.self, from: data) }
    var bytes: [UInt8] { Array(try! JSONEncoder().encode(self)) }

    /// A patch operation as the result JSON writes it.
    static func op(_ op: PatchOperation) -> JSON {
        switch op {
        case .replace(let p, let v): .object(["op": .string("replace"), "path": .string(p), "value": JSON(v)])
        case .add(let p, let v): .object(["op": .string("add"), "path": .string(p), "value": JSON(v)])
        case .remove(let p): .object(["op": .string("remove"), "path": .string(p)])
        case .move(let f, let p): .object(["op": .string("move"), "from": .string(f), "path": .string(p)])
        }
    }

    subscript(key: String) -> JSON? {
        if case .object(let o) = self { return o[key] }
        return nil
    }
    var string: String? { if case .string(let s) = self { return s }; return nil }
    var int: Int? { if case .int(let i) = self { return i }; return nil }
    var bool: Bool? { if case .bool(let b) = self { return b }; return nil }
    var array: [JSON]? { if case .array(let a) = self { return a }; return nil }
    var strings: [String]? { array?.compactMap(\.string) }

    init(_ v: PatchValue) {
        switch v {
        case .string(let s): self = .string(s)
        case .int(let i): self = .int(i)
        case .intArray(let a): self = .array(a.map { .int($0) })
        case .stringArray(let a): self = .array(a.map { .string($0) })
        }
    }
}

/// The claim of a fixture, decoded the way the contract (API.md §2) describes; wrong types
/// are not expected in the fixtures used here.
func claimFromJSON(_ j: JSON) -> Claim {
    func date(_ v: JSON?) -> DateField? { v?.string.map(DateField.init) }
    let lines = j["serviceLines"]?.array?.map { l in
        ServiceLine(
            procedureCode: l["procedureCode"]?.string.flatMap { ProcedureCode($0) },
            modifiers: (l["modifiers"]?.strings ?? []).map { Modifier($0) }, units: l["units"]?.int,
            serviceDate: date(l["serviceDate"]), diagnosisPointers: l["diagnosisPointers"]?.array?.compactMap(\.int),
            minutes: l["minutes"]?.int, startTime: l["startTime"]?.string, endTime: l["endTime"]?.string)
    }
    let doc = j["documentation"].map { d in
        Documentation(
            onsetDate: date(d["onsetDate"]), severity: d["severity"]?.string, progression: d["progression"]?.string,
            painRegions: d["painRegions"]?.strings, laterality: d["laterality"]?.string,
            examFindings: d["examFindings"]?.strings, neurologicalDeficits: d["neurologicalDeficits"]?.bool,
            imagingJustification: d["imagingJustification"]?.string,
            conservativeTreatmentWeeks: d["conservativeTreatmentWeeks"]?.int,
            relatedConditions: d["relatedConditions"]?.strings, notes: d["notes"]?.string)
    }
    return Claim(
        claimId: j["claimId"]?.string,
        payer: j["payer"].map { Payer(id: $0["id"]?.string, type: $0["type"]?.string.map(PayerType.init)) },
        billingProvider: j["billingProvider"].map { Provider(npi: $0["npi"]?.string) },
        diagnoses: j["diagnoses"]?.strings?.map { DiagnosisEntry(raw: $0) },
        serviceLines: lines, documentation: doc)
}

/// The JSON a test claim would have been sent as (the fields the clinical rules read).
func jsonFromClaim(_ c: Claim) -> JSON {
    var o: [String: JSON] = [:]
    if let id = c.claimId { o["claimId"] = .string(id) }
    if let dx = c.diagnoses { o["diagnoses"] = .array(dx.map { .string($0.raw) }) }
    if let p = c.payer?.type { o["payer"] = .object(["type": .string(p.profileName)]) }
    if let lines = c.serviceLines {
        o["serviceLines"] = .array(lines.map { l in
            var m: [String: JSON] = ["modifiers": .array(l.modifiers.map { .string($0.value) })]
            if let v = l.procedureCode { m["procedureCode"] = .string(v.value) }
            if let v = l.units { m["units"] = .int(v) }
            if case .valid(let d)? = l.serviceDate { m["serviceDate"] = .string(d.description) }
            if let v = l.diagnosisPointers { m["diagnosisPointers"] = .array(v.map { .int($0) }) }
            if let v = l.minutes { m["minutes"] = .int(v) }
            if let v = l.startTime { m["startTime"] = .string(v) }
            if let v = l.endTime { m["endTime"] = .string(v) }
            return .object(m)
        })
    }
    if let d = c.documentation {
        var m: [String: JSON] = [:]
        if case .valid(let v)? = d.onsetDate { m["onsetDate"] = .string(v.description) }
        if let v = d.severity { m["severity"] = .string(v) }
        if let v = d.painRegions { m["painRegions"] = .array(v.map { .string($0) }) }
        if let v = d.laterality { m["laterality"] = .string(v) }
        if let v = d.examFindings { m["examFindings"] = .array(v.map { .string($0) }) }
        if let v = d.imagingJustification { m["imagingJustification"] = .string(v) }
        if let v = d.notes { m["notes"] = .string(v) }
        o["documentation"] = .object(m)
    }
    return .object(o)
}

struct PatchError: Error, CustomStringConvertible {
    var description: String
}

/// A minimal RFC 6902 applier for the operations the engine emits (add, remove, replace,
/// move), over RFC 6901 pointers.
func applyPatch(_ ops: [PatchOperation], to doc: JSON) throws -> JSON {
    var doc = doc
    for op in ops {
        switch op {
        case .replace(let path, let value):
            _ = try get(doc, path)
            doc = try set(doc, tokens(path), JSON(value), insert: false)
        case .add(let path, let value):
            doc = try set(doc, tokens(path), JSON(value), insert: true)
        case .remove(let path):
            doc = try remove(doc, tokens(path)).0
        case .move(let from, let path):
            let (without, value) = try remove(doc, tokens(from))
            doc = try set(without, tokens(path), value, insert: true)
        }
    }
    return doc
}

private func tokens(_ pointer: String) throws -> [String] {
    guard pointer.hasPrefix("/") else { throw PatchError(description: "pointer \(pointer) must start with /") }
    return pointer.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map {
        $0.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
    }
}

private func get(_ doc: JSON, _ pointer: String) throws -> JSON {
    var cur = doc
    for t in try tokens(pointer) {
        switch cur {
        case .object(let o):
            guard let v = o[t] else { throw PatchError(description: "no member \(t) at \(pointer)") }
            cur = v
        case .array(let a):
            guard let i = Int(t), a.indices.contains(i) else { throw PatchError(description: "no index \(t) at \(pointer)") }
            cur = a[i]
        default: throw PatchError(description: "\(pointer) goes through a scalar")
        }
    }
    return cur
}

private func set(_ doc: JSON, _ path: [String], _ value: JSON, insert: Bool) throws -> JSON {
    guard let head = path.first else { return value }
    let rest = Array(path.dropFirst())
    switch doc {
    case .object(var o):
        if rest.isEmpty { o[head] = value } else {
            guard let child = o[head] else { throw PatchError(description: "no member \(head)") }
            o[head] = try set(child, rest, value, insert: insert)
        }
        return .object(o)
    case .array(var a):
        let i = head == "-" ? a.count : (Int(head) ?? -1)
        if rest.isEmpty {
            if insert {
                guard (0...a.count).contains(i) else { throw PatchError(description: "index \(head) out of range") }
                a.insert(value, at: i)
            } else {
                guard a.indices.contains(i) else { throw PatchError(description: "index \(head) out of range") }
                a[i] = value
            }
        } else {
            guard a.indices.contains(i) else { throw PatchError(description: "index \(head) out of range") }
            a[i] = try set(a[i], rest, value, insert: insert)
        }
        return .array(a)
    default:
        throw PatchError(description: "cannot descend into a scalar at \(head)")
    }
}

private func remove(_ doc: JSON, _ path: [String]) throws -> (JSON, JSON) {
    guard let head = path.first else { throw PatchError(description: "cannot remove the root") }
    let rest = Array(path.dropFirst())
    switch doc {
    case .object(var o):
        guard let child = o[head] else { throw PatchError(description: "no member \(head)") }
        if rest.isEmpty {
            o[head] = nil
            return (.object(o), child)
        }
        let (newChild, removed) = try remove(child, rest)
        o[head] = newChild
        return (.object(o), removed)
    case .array(var a):
        guard let i = Int(head), a.indices.contains(i) else { throw PatchError(description: "index \(head) out of range") }
        if rest.isEmpty {
            let removed = a.remove(at: i)
            return (.array(a), removed)
        }
        let (newChild, removed) = try remove(a[i], rest)
        a[i] = newChild
        return (.array(a), removed)
    default:
        throw PatchError(description: "cannot descend into a scalar at \(head)")
    }
}
