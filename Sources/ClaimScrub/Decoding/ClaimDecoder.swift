/// Turns a request body into a `Claim` (API.md §2).
///
/// Strict about JSON types (a wrong type is an input error with its pointer, several
/// collected per request), lenient about business data: missing fields, empty lists,
/// units 0 and impossible dates decode, and the rules report them. Unknown fields are
/// ignored and `null` counts as absent.
public enum ClaimDecoder {
    public static func decode(_ bytes: [UInt8]) throws(ClaimInputError) -> Claim {
        let claim: Claim? = bytes.withUnsafeBytes { ClaimBytesDecoder.decode($0) }
        if let claim { return claim }
        return try decodeViaTree(bytes)
    }

    /// Decodes from borrowed bytes (an NDJSON line, a request buffer) without copying them.
    ///
    /// A well-formed claim is read in one pass (`ClaimBytesDecoder`); anything else goes
    /// through the tree path (`JSONParser` then `decode(_: JSONValue)`), which says exactly
    /// what is wrong (syntax offset, type pointers).
    public static func decode(_ buffer: UnsafeRawBufferPointer) throws(ClaimInputError) -> Claim {
        if let claim = ClaimBytesDecoder.decode(buffer) { return claim }
        return try decodeViaTree(buffer)
    }

    /// The tree path alone: the reference the one-pass decoder is tested against.
    static func decodeViaTree(_ bytes: [UInt8]) throws(ClaimInputError) -> Claim {
        let value: JSONValue
        do throws(JSONSyntaxError) {
            value = try JSONParser.parse(bytes)
        } catch {
            throw ClaimInputError(error)
        }
        return try decode(value)
    }

    static func decodeViaTree(_ buffer: UnsafeRawBufferPointer) throws(ClaimInputError) -> Claim {
        let value: JSONValue
        do throws(JSONSyntaxError) {
            value = try JSONParser.parse(buffer)
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
            case "claimId": claim.claimId = r.string(v, key)
            case "payer": claim.payer = r.object(v, key) { m, r in decodePayer(m, &r) }
            case "patient": claim.patient = r.object(v, key) { m, r in decodePatient(m, &r) }
            case "billingProvider": claim.billingProvider = r.object(v, key) { m, r in decodeProvider(m, &r) }
            case "renderingProvider": claim.renderingProvider = r.object(v, key) { m, r in decodeProvider(m, &r) }
            case "placeOfService": claim.placeOfService = r.string(v, key)
            case "diagnoses":
                claim.diagnoses = r.array(v, key) { e, r in r.string(e).map(DiagnosisEntry.init(raw:)) }
            case "serviceLines":
                claim.serviceLines = r.array(v, key) { e, r in
                    r.object(e) { m, r in decodeLine(m, &r) }
                }
            case "documentation": claim.documentation = r.object(v, key) { m, r in decodeDocumentation(m, &r) }
            default: continue
            }
        }
        if !r.problems.isEmpty { throw ClaimInputError(kind: .type, errors: r.problems) }
        return claim
    }

    private typealias Members = [(key: String, value: JSONValue)]

    private static func decodePayer(_ members: Members, _ r: inout FieldReader) -> Payer {
        var payer = Payer()
        for (key, v) in members {
            if case .null = v { continue }
            switch key {
            case "id": payer.id = r.string(v, key)
            case "type": payer.type = r.string(v, key).map(PayerType.init)
            default: continue
            }
        }
        return payer
    }

    private static func decodePatient(_ members: Members, _ r: inout FieldReader) -> Patient {
        var patient = Patient()
        for (key, v) in members {
            if case .null = v { continue }
            switch key {
            case "birthDate": patient.birthDate = r.string(v, key).map(DateField.init)
            case "sex": patient.sex = r.string(v, key)
            default: continue
            }
        }
        return patient
    }

    private static func decodeProvider(_ members: Members, _ r: inout FieldReader) -> Provider {
        var provider = Provider()
        for (key, v) in members where key == "npi" {
            if case .null = v { continue }
            provider.npi = r.string(v, key)
        }
        return provider
    }

    private static func decodeLine(_ members: Members, _ r: inout FieldReader) -> ServiceLine {
        var line = ServiceLine()
        for (key, v) in members {
            if case .null = v { continue }
            switch key {
            case "procedureCode": line.procedureCode = r.string(v, key).flatMap { ProcedureCode($0) }
            case "modifiers": line.modifiers = r.array(v, key) { e, r in r.string(e).map { Modifier($0) } } ?? []
            case "units": line.units = r.integer(v, key)
            case "chargeAmount": line.chargeAmount = r.number(v, key)
            case "serviceDate": line.serviceDate = r.string(v, key).map(DateField.init)
            case "serviceDateEnd": line.serviceDateEnd = r.string(v, key).map(DateField.init)
            case "diagnosisPointers": line.diagnosisPointers = r.array(v, key) { e, r in r.integer(e) }
            case "minutes": line.minutes = r.integer(v, key)
            case "startTime": line.startTime = r.string(v, key)
            case "endTime": line.endTime = r.string(v, key)
            default: continue
            }
        }
        return line
    }

    private static func decodeDocumentation(_ members: Members, _ r: inout FieldReader) -> Documentation {
        var d = Documentation()
        func strings(_ v: JSONValue, _ key: String, _ r: inout FieldReader) -> [String]? {
            r.array(v, key) { e, r in r.string(e) }
        }
        for (key, v) in members {
            if case .null = v { continue }
            switch key {
            case "onsetDate": d.onsetDate = r.string(v, key).map(DateField.init)
            case "severity": d.severity = r.string(v, key)
            case "progression": d.progression = r.string(v, key)
            case "painRegions": d.painRegions = strings(v, key, &r)
            case "laterality": d.laterality = r.string(v, key)
            case "examFindings": d.examFindings = strings(v, key, &r)
            case "neurologicalDeficits": d.neurologicalDeficits = r.bool(v, key)
            case "imagingJustification": d.imagingJustification = r.string(v, key)
            case "conservativeTreatmentWeeks": d.conservativeTreatmentWeeks = r.integer(v, key)
            case "relatedConditions": d.relatedConditions = strings(v, key, &r)
            case "notes": d.notes = r.string(v, key)
            default: continue
            }
        }
        return d
    }
}

/// Reads typed values and records a problem (pointer + expectation) for each mismatch.
/// The current location is a stack of segments; a pointer string is only built when a
/// problem is recorded, so decoding a good claim allocates no pointers.
struct FieldReader {
    enum Segment {
        case key(String)
        case index(Int)
    }

    var problems: [ClaimInputError.Problem] = []
    private var path: [Segment] = []

    init() { path.reserveCapacity(8) }

    private func pointer(_ key: String?) -> String {
        var out = ""
        for s in path {
            switch s {
            case .key(let k): out += "/" + JSONPointer.escape(k)
            case .index(let i): out += "/" + String(i)
            }
        }
        if let key { out += "/" + JSONPointer.escape(key) }
        return out
    }

    private mutating func mismatch(_ expected: String, _ v: JSONValue, _ key: String?) {
        problems.append(.init(pointer: pointer(key), detail: "expected \(expected), got \(v.kindDescription)"))
    }

    mutating func string(_ v: JSONValue, _ key: String? = nil) -> String? {
        if case .string(let s) = v { return s }
        mismatch("a string", v, key)
        return nil
    }

    mutating func bool(_ v: JSONValue, _ key: String? = nil) -> Bool? {
        if case .bool(let b) = v { return b }
        mismatch("a boolean", v, key)
        return nil
    }

    mutating func number(_ v: JSONValue, _ key: String? = nil) -> Double? {
        switch v {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default:
            mismatch("a number", v, key)
            return nil
        }
    }

    /// Integers; an integral float (`2.0`) is accepted, `2.5` is not.
    mutating func integer(_ v: JSONValue, _ key: String? = nil) -> Int? {
        switch v {
        case .int(let i): return i
        case .double(let d):
            if d == d.rounded(), abs(d) < 9.0e15 { return Int(d) }
            let why = d == d.rounded() ? "a number out of range" : "a number with a fraction"
            problems.append(.init(pointer: pointer(key), detail: "expected an integer, got \(why)"))
            return nil
        default:
            mismatch("an integer", v, key)
            return nil
        }
    }

    mutating func object<T>(
        _ v: JSONValue, _ key: String? = nil,
        _ body: ([(key: String, value: JSONValue)], inout FieldReader) -> T
    ) -> T? {
        guard case .object(let members) = v else {
            mismatch("an object", v, key)
            return nil
        }
        if let key { path.append(.key(key)) }
        defer { if key != nil { path.removeLast() } }
        return body(members, &self)
    }

    /// An array whose elements `element` reads; an element that fails is dropped after
    /// its problem is recorded (the whole claim is rejected anyway).
    mutating func array<T>(
        _ v: JSONValue, _ key: String,
        _ element: (JSONValue, inout FieldReader) -> T?
    ) -> [T]? {
        guard case .array(let values) = v else {
            mismatch("an array", v, key)
            return nil
        }
        path.append(.key(key))
        defer { path.removeLast() }
        var out: [T] = []
        out.reserveCapacity(values.count)
        for (i, e) in values.enumerated() {
            path.append(.index(i))
            if let t = element(e, &self) { out.append(t) }
            path.removeLast()
        }
        return out
    }
}
