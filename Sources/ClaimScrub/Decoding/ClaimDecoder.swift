/// Turns a request body into a `Claim` (API.md §2).
///
/// Strict about JSON types (a wrong type is an input error with its pointer, several
/// collected per request), lenient about business data: missing fields, empty lists,
/// units 0 and impossible dates decode, and the rules report them. Unknown fields are
/// ignored and `null` counts as absent.
public enum ClaimDecoder {
    public static func decode(_ bytes: [UInt8]) throws(ClaimInputError) -> Claim {
        let value: JSONValue
        do throws(JSONSyntaxError) {
            value = try JSONParser.parse(bytes)
        } catch {
            throw ClaimInputError(error)
        }
        return try decode(value)
    }

    public static func decode(_ value: JSONValue) throws(ClaimInputError) -> Claim {
        var r = FieldReader()
        guard case .object(let members) = value else {
            throw ClaimInputError(kind: .type, errors: [.init(pointer: "", detail: "expected a claim object, got \(value.kindDescription)")])
        }
        var claim = Claim()
        for (key, v) in members {
            if case .null = v { continue }
            switch key {
            case "claimId": claim.claimId = r.string(v, .root, key)
            case "payer": claim.payer = r.object(v, .root, key) { m, p, r in decodePayer(m, p, &r) }
            case "patient": claim.patient = r.object(v, .root, key) { m, p, r in decodePatient(m, p, &r) }
            case "billingProvider": claim.billingProvider = r.object(v, .root, key) { m, p, r in decodeProvider(m, p, &r) }
            case "renderingProvider": claim.renderingProvider = r.object(v, .root, key) { m, p, r in decodeProvider(m, p, &r) }
            case "placeOfService": claim.placeOfService = r.string(v, .root, key)
            case "diagnoses":
                claim.diagnoses = r.array(v, .root, key) { e, p, r in r.string(e, p).map(DiagnosisEntry.init(raw:)) }
            case "serviceLines":
                claim.serviceLines = r.array(v, .root, key) { e, p, r in
                    r.object(e, p) { m, p, r in decodeLine(m, p, &r) }
                }
            case "documentation": claim.documentation = r.object(v, .root, key) { m, p, r in decodeDocumentation(m, p, &r) }
            default: continue
            }
        }
        if !r.problems.isEmpty { throw ClaimInputError(kind: .type, errors: r.problems) }
        return claim
    }

    private typealias Members = [(key: String, value: JSONValue)]

    private static func decodePayer(_ members: Members, _ p: FieldReader.Pointer, _ r: inout FieldReader) -> Payer {
        var payer = Payer()
        for (key, v) in members {
            if case .null = v { continue }
            switch key {
            case "id": payer.id = r.string(v, p, key)
            case "type": payer.type = r.string(v, p, key).map(PayerType.init)
            default: continue
            }
        }
        return payer
    }

    private static func decodePatient(_ members: Members, _ p: FieldReader.Pointer, _ r: inout FieldReader) -> Patient {
        var patient = Patient()
        for (key, v) in members {
            if case .null = v { continue }
            switch key {
            case "birthDate": patient.birthDate = r.string(v, p, key).map(DateField.init)
            case "sex": patient.sex = r.string(v, p, key)
            default: continue
            }
        }
        return patient
    }

    private static func decodeProvider(_ members: Members, _ p: FieldReader.Pointer, _ r: inout FieldReader) -> Provider {
        var provider = Provider()
        for (key, v) in members where key == "npi" {
            if case .null = v { continue }
            provider.npi = r.string(v, p, key)
        }
        return provider
    }

    private static func decodeLine(_ members: Members, _ p: FieldReader.Pointer, _ r: inout FieldReader) -> ServiceLine {
        var line = ServiceLine()
        for (key, v) in members {
            if case .null = v { continue }
            switch key {
            case "procedureCode": line.procedureCode = r.string(v, p, key).flatMap { ProcedureCode($0) }
            case "modifiers": line.modifiers = r.array(v, p, key) { e, p, r in r.string(e, p).map { Modifier($0) } } ?? []
            case "units": line.units = r.integer(v, p, key)
            case "chargeAmount": line.chargeAmount = r.number(v, p, key)
            case "serviceDate": line.serviceDate = r.string(v, p, key).map(DateField.init)
            case "serviceDateEnd": line.serviceDateEnd = r.string(v, p, key).map(DateField.init)
            case "diagnosisPointers": line.diagnosisPointers = r.array(v, p, key) { e, p, r in r.integer(e, p) }
            case "minutes": line.minutes = r.integer(v, p, key)
            case "startTime": line.startTime = r.string(v, p, key)
            case "endTime": line.endTime = r.string(v, p, key)
            default: continue
            }
        }
        return line
    }

    private static func decodeDocumentation(_ members: Members, _ p: FieldReader.Pointer, _ r: inout FieldReader) -> Documentation {
        var d = Documentation()
        func strings(_ v: JSONValue, _ key: String, _ r: inout FieldReader) -> [String]? {
            r.array(v, p, key) { e, p, r in r.string(e, p) }
        }
        for (key, v) in members {
            if case .null = v { continue }
            switch key {
            case "onsetDate": d.onsetDate = r.string(v, p, key).map(DateField.init)
            case "severity": d.severity = r.string(v, p, key)
            case "progression": d.progression = r.string(v, p, key)
            case "painRegions": d.painRegions = strings(v, key, &r)
            case "laterality": d.laterality = r.string(v, p, key)
            case "examFindings": d.examFindings = strings(v, key, &r)
            case "neurologicalDeficits": d.neurologicalDeficits = r.bool(v, p, key)
            case "imagingJustification": d.imagingJustification = r.string(v, p, key)
            case "conservativeTreatmentWeeks": d.conservativeTreatmentWeeks = r.integer(v, p, key)
            case "relatedConditions": d.relatedConditions = strings(v, key, &r)
            case "notes": d.notes = r.string(v, p, key)
            default: continue
            }
        }
        return d
    }
}

/// Reads typed values and records a problem (pointer + expectation) for each mismatch.
/// Pointers are only built when a problem is recorded: a field carries its path as a few
/// segments and renders it only then (building a string for every field and element was
/// the decoder's largest cost).
struct FieldReader {
    /// A JSON Pointer as up to four inline segments (a claim is never deeper), rendered on demand.
    struct Pointer {
        enum Segment {
            case key(String), index(Int)
        }
        static let root = Pointer()
        /// Segments beyond the inline four, already rendered.
        private var rendered = ""
        private var s0, s1, s2, s3: Segment?

        func appending(_ segment: Segment) -> Pointer {
            var p = self
            if p.s0 == nil { p.s0 = segment }
            else if p.s1 == nil { p.s1 = segment }
            else if p.s2 == nil { p.s2 = segment }
            else if p.s3 == nil { p.s3 = segment }
            else { p = Pointer(rendered: string, s0: segment) }
            return p
        }

        func appending(key: String?) -> Pointer { key.map { appending(.key($0)) } ?? self }

        var string: String {
            var out = rendered
            for segment in [s0, s1, s2, s3] {
                switch segment {
                case .key(let k)?: out += "/" + JSONPointer.escape(k)
                case .index(let i)?: out += "/" + String(i)
                case nil: return out
                }
            }
            return out
        }
    }

    var problems: [ClaimInputError.Problem] = []

    private mutating func mismatch(_ expected: String, _ v: JSONValue, _ parent: Pointer, _ key: String?) {
        let pointer = parent.appending(key: key).string
        problems.append(.init(pointer: pointer, detail: "expected \(expected), got \(v.kindDescription)"))
    }

    mutating func string(_ v: JSONValue, _ parent: Pointer, _ key: String? = nil) -> String? {
        if case .string(let s) = v { return s }
        mismatch("a string", v, parent, key)
        return nil
    }

    mutating func bool(_ v: JSONValue, _ parent: Pointer, _ key: String? = nil) -> Bool? {
        if case .bool(let b) = v { return b }
        mismatch("a boolean", v, parent, key)
        return nil
    }

    mutating func number(_ v: JSONValue, _ parent: Pointer, _ key: String? = nil) -> Double? {
        switch v {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default:
            mismatch("a number", v, parent, key)
            return nil
        }
    }

    /// Integers; an integral float (`2.0`) is accepted, `2.5` is not.
    mutating func integer(_ v: JSONValue, _ parent: Pointer, _ key: String? = nil) -> Int? {
        switch v {
        case .int(let i): return i
        case .double(let d):
            if d == d.rounded(), abs(d) < 9.0e15 { return Int(d) }
            let pointer = parent.appending(key: key).string
            let why = d == d.rounded() ? "a number out of range" : "a number with a fraction"
            problems.append(.init(pointer: pointer, detail: "expected an integer, got \(why)"))
            return nil
        default:
            mismatch("an integer", v, parent, key)
            return nil
        }
    }

    mutating func object<T>(
        _ v: JSONValue, _ parent: Pointer, _ key: String? = nil,
        _ body: ([(key: String, value: JSONValue)], Pointer, inout FieldReader) -> T
    ) -> T? {
        guard case .object(let members) = v else {
            mismatch("an object", v, parent, key)
            return nil
        }
        return body(members, parent.appending(key: key), &self)
    }

    /// An array whose elements `element` reads; an element that fails is dropped after
    /// its problem is recorded (the whole claim is rejected anyway).
    mutating func array<T>(
        _ v: JSONValue, _ parent: Pointer, _ key: String,
        _ element: (JSONValue, Pointer, inout FieldReader) -> T?
    ) -> [T]? {
        guard case .array(let values) = v else {
            mismatch("an array", v, parent, key)
            return nil
        }
        let pointer = parent.appending(.key(key))
        var out: [T] = []
        out.reserveCapacity(values.count)
        for (i, e) in values.enumerated() {
            if let t = element(e, pointer.appending(.index(i)), &self) { out.append(t) }
        }
        return out
    }
}
