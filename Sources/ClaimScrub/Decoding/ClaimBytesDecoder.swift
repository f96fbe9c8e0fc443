#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The one-pass claim decoder: reads the bytes straight into `Claim` (keys matched as
/// bytes, each string built once, no `JSONValue` tree, no member arrays).
///
/// It handles only input that is a well-formed claim. At the first thing that would be an
/// input error (a syntax error, nesting deeper than `JSONParser.defaultMaxDepth`, a wrong
/// type, a top level that is not an object), and at a member name written with an escape
/// (which no well-formed client sends), it gives up and returns nil, and
/// `ClaimDecoder` decodes the same bytes through `JSONParser` + the tree walk, which
/// produce the error (offset, pointers, wording). So the error semantics live in one
/// place, and this decoder must only never accept what the tree path rejects, and build
/// the same `Claim` for what it accepts.
struct ClaimBytesDecoder {
    private let b: UnsafeBufferPointer<UInt8>
    private var i = 0
    private var depth = 0
    /// Scratch for strings and keys with escapes, reused.
    private var scratch: [UInt8] = []

    /// Thrown to abandon the fast path; carries nothing (the tree path says what was wrong).
    struct GiveUp: Error {}

    private init(_ b: UnsafeBufferPointer<UInt8>) { self.b = b }

    /// The claim, or nil when the bytes are not a well-formed claim.
    static func decode(_ buffer: UnsafeRawBufferPointer) -> Claim? {
        var d = ClaimBytesDecoder(buffer.assumingMemoryBound(to: UInt8.self))
        do throws(GiveUp) {
            d.skipWhitespace()
            let claim = try d.readClaim()
            d.skipWhitespace()
            guard d.i == d.b.count else { return nil }
            return claim
        } catch {
            return nil
        }
    }

    // MARK: - The claim's objects

    private mutating func readClaim() throws(GiveUp) -> Claim {
        var claim = Claim()
        try readObject { (d: inout Self, key: Key) throws(GiveUp) in
            switch key {
            case "claimId": claim.claimId = try d.string()
            case "payer": claim.payer = try d.readPayer()
            case "patient": claim.patient = try d.readPatient()
            case "billingProvider": claim.billingProvider = try d.readProvider()
            case "renderingProvider": claim.renderingProvider = try d.readProvider()
            case "placeOfService": claim.placeOfService = try d.string()
            case "diagnoses":
                claim.diagnoses = try d.readArray(capacity: 4) { (d: inout Self) throws(GiveUp) in try d.diagnosis() }
            case "serviceLines":
                claim.serviceLines = try d.readArray(capacity: 4) { (d: inout Self) throws(GiveUp) in try d.readLine() }
            case "documentation": claim.documentation = try d.readDocumentation()
            default: try d.skipValue()
            }
        }
        return claim
    }

    private mutating func readPayer() throws(GiveUp) -> Payer {
        var payer = Payer()
        try readObject { (d: inout Self, key: Key) throws(GiveUp) in
            switch key {
            case "id": payer.id = try d.string()
            case "type": payer.type = PayerType(try d.string())
            default: try d.skipValue()
            }
        }
        return payer
    }

    private mutating func readPatient() throws(GiveUp) -> Patient {
        var patient = Patient()
        try readObject { (d: inout Self, key: Key) throws(GiveUp) in
            switch key {
            case "birthDate": patient.birthDate = try d.dateField()
            case "sex": patient.sex = try d.string()
            default: try d.skipValue()
            }
        }
        return patient
    }

    private mutating func readProvider() throws(GiveUp) -> Provider {
        var provider = Provider()
        try readObject { (d: inout Self, key: Key) throws(GiveUp) in
            if key == "npi" { provider.npi = try d.string() } else { try d.skipValue() }
        }
        return provider
    }

    private mutating func readLine() throws(GiveUp) -> ServiceLine {
        var line = ServiceLine()
        try readObject { (d: inout Self, key: Key) throws(GiveUp) in
            switch key {
            case "procedureCode": line.procedureCode = try d.procedureCode()
            case "modifiers":
                line.modifiers = try d.readArray(capacity: 2) { (d: inout Self) throws(GiveUp) in try d.modifier() }
            case "units": line.units = try d.integer()
            case "chargeAmount": line.chargeAmount = try d.number()
            case "serviceDate": line.serviceDate = try d.dateField()
            case "serviceDateEnd": line.serviceDateEnd = try d.dateField()
            case "diagnosisPointers":
                line.diagnosisPointers = try d.readArray(capacity: 4) { (d: inout Self) throws(GiveUp) in try d.integer() }
            case "minutes": line.minutes = try d.integer()
            case "startTime": line.startTime = try d.string()
            case "endTime": line.endTime = try d.string()
            default: try d.skipValue()
            }
        }
        return line
    }

    private mutating func readDocumentation() throws(GiveUp) -> Documentation {
        var doc = Documentation()
        try readObject { (d: inout Self, key: Key) throws(GiveUp) in
            switch key {
            case "onsetDate": doc.onsetDate = try d.dateField()
            case "severity": doc.severity = try d.string()
            case "progression": doc.progression = try d.string()
            case "painRegions": doc.painRegions = try d.strings()
            case "laterality": doc.laterality = try d.string()
            case "examFindings": doc.examFindings = try d.strings()
            case "neurologicalDeficits": doc.neurologicalDeficits = try d.bool()
            case "imagingJustification": doc.imagingJustification = try d.string()
            case "conservativeTreatmentWeeks": doc.conservativeTreatmentWeeks = try d.integer()
            case "relatedConditions": doc.relatedConditions = try d.strings()
            case "notes": doc.notes = try d.string()
            default: try d.skipValue()
            }
        }
        return doc
    }

    private mutating func strings() throws(GiveUp) -> [String] {
        try readArray(capacity: 4) { (d: inout Self) throws(GiveUp) in try d.string() }
    }

    // MARK: - Structure

    /// A member name as bytes (the input's, or `scratch` when it had escapes), valid until
    /// the member's value is read. Compared with `switch` against string literals.
    struct Key: Equatable, ExpressibleByStringLiteral {
        let bytes: UnsafeBufferPointer<UInt8>
        init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }
        init(stringLiteral value: StaticString) {
            bytes = UnsafeBufferPointer(start: value.utf8Start, count: value.utf8CodeUnitCount)
        }
        @inline(__always)
        static func == (a: Key, b: Key) -> Bool {
            let n = a.bytes.count
            guard n == b.bytes.count else { return false }
            guard n > 0 else { return true }
            let pa = a.bytes.baseAddress!, pb = b.bytes.baseAddress!
            // A `switch` tries the names in turn: most same-length misses differ at an end.
            guard pa[0] == pb[0], pa[n - 1] == pb[n - 1] else { return false }
            return memcmp(pa, pb, n) == 0
        }
    }

    /// Reads an object, calling `member` for each member whose value is not `null` (`null`
    /// is absent, as in the tree path); `member` must consume the value. Members are handled
    /// in document order, so a repeated key is applied each time and the last one stays.
    private mutating func readObject(
        _ member: (inout Self, Key) throws(GiveUp) -> Void
    ) throws(GiveUp) {
        guard i < b.count, b[i] == UInt8(ascii: "{") else { throw GiveUp() }
        try enter()
        i += 1
        skipWhitespace()
        if i < b.count, b[i] == UInt8(ascii: "}") {
            i += 1
            depth -= 1
            return
        }
        while true {
            let key = try readKey()
            skipWhitespace()
            guard i < b.count, b[i] == UInt8(ascii: ":") else { throw GiveUp() }
            i += 1
            skipWhitespace()
            if !(try skipNull()) { try member(&self, key) }
            skipWhitespace()
            guard i < b.count else { throw GiveUp() }
            if b[i] == UInt8(ascii: ",") {
                i += 1
                skipWhitespace()
                continue
            }
            guard b[i] == UInt8(ascii: "}") else { throw GiveUp() }
            i += 1
            depth -= 1
            return
        }
    }

    /// Reads an array whose every element `element` reads (an element `null` is a wrong type).
    private mutating func readArray<T>(
        capacity: Int, _ element: (inout Self) throws(GiveUp) -> T
    ) throws(GiveUp) -> [T] {
        guard i < b.count, b[i] == UInt8(ascii: "[") else { throw GiveUp() }
        try enter()
        i += 1
        var out: [T] = []
        skipWhitespace()
        if i < b.count, b[i] == UInt8(ascii: "]") {
            i += 1
            depth -= 1
            return out
        }
        out.reserveCapacity(capacity)
        while true {
            out.append(try element(&self))
            skipWhitespace()
            guard i < b.count else { throw GiveUp() }
            if b[i] == UInt8(ascii: ",") {
                i += 1
                skipWhitespace()
                continue
            }
            guard b[i] == UInt8(ascii: "]") else { throw GiveUp() }
            i += 1
            depth -= 1
            return out
        }
    }

    @inline(__always)
    private mutating func enter() throws(GiveUp) {
        depth += 1
        if depth > JSONParser.defaultMaxDepth { throw GiveUp() }
    }

    @inline(__always)
    private mutating func skipWhitespace() {
        while i < b.count {
            switch b[i] {
            case 0x20, 0x0A, 0x0D, 0x09: i += 1
            default: return
            }
        }
    }

    /// Consumes a `null` literal if one is next.
    private mutating func skipNull() throws(GiveUp) -> Bool {
        guard i < b.count, b[i] == UInt8(ascii: "n") else { return false }
        try literal("null")
        return true
    }

    private mutating func literal(_ word: StaticString) throws(GiveUp) {
        let n = word.utf8CodeUnitCount
        guard i + n <= b.count, memcmp(b.baseAddress! + i, word.utf8Start, n) == 0 else { throw GiveUp() }
        i += n
    }

    /// Validates and passes over any value (an unknown member's).
    private mutating func skipValue() throws(GiveUp) {
        guard i < b.count else { throw GiveUp() }
        switch b[i] {
        case UInt8(ascii: "{"):
            try readObject { (d: inout Self, _: Key) throws(GiveUp) in try d.skipValue() }
        case UInt8(ascii: "["):
            try enter()
            i += 1
            skipWhitespace()
            if i < b.count, b[i] == UInt8(ascii: "]") {
                i += 1
                depth -= 1
                return
            }
            while true {
                try skipValue()
                skipWhitespace()
                guard i < b.count else { throw GiveUp() }
                if b[i] == UInt8(ascii: ",") {
                    i += 1
                    skipWhitespace()
                    continue
                }
                guard b[i] == UInt8(ascii: "]") else { throw GiveUp() }
                i += 1
                depth -= 1
                return
            }
        case UInt8(ascii: "\""): _ = try stringBytes()
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): _ = try readNumber()
        default: throw GiveUp()
        }
    }

    // MARK: - Scalars

    private mutating func bool() throws(GiveUp) -> Bool {
        guard i < b.count else { throw GiveUp() }
        if b[i] == UInt8(ascii: "t") {
            try literal("true")
            return true
        }
        try literal("false")
        return false
    }

    /// As `FieldReader.number`: any JSON number, as a `Double`.
    private mutating func number() throws(GiveUp) -> Double {
        switch try readNumber() {
        case .int(let v): return Double(v)
        case .double(let d): return d
        }
    }

    /// As `FieldReader.integer`: an integral float (`2.0`) is accepted, `2.5` is not.
    private mutating func integer() throws(GiveUp) -> Int {
        switch try readNumber() {
        case .int(let v): return v
        case .double(let d):
            guard d == d.rounded(), abs(d) < 9.0e15 else { throw GiveUp() }
            return Int(d)
        }
    }

    /// A number as `JSONParser` reads it (`JSONBytes.number`).
    private mutating func readNumber() throws(GiveUp) -> JSONBytes.Number {
        guard i < b.count else { throw GiveUp() }
        let (number, end, _) = JSONBytes.number(b, at: i)
        guard let number else { throw GiveUp() }
        i = end
        return number
    }


    private mutating func string() throws(GiveUp) -> String {
        guard i < b.count, b[i] == UInt8(ascii: "\"") else { throw GiveUp() }
        let (bytes, escaped) = try stringBytes()
        if escaped { return String(decoding: scratch, as: UTF8.self) }
        return String(decoding: bytes, as: UTF8.self)
    }

    // MARK: - Model values straight from the bytes
    //
    // The model's initializers take a `String` and copy it into an array (dates, ICD-10
    // codes) or trim and upper-case by `Character`. These read the unescaped ASCII bytes in
    // place, with the same rules; anything else (escapes, non-ASCII) goes through the
    // model's own initializer. The property test compares both on every claim it decodes.

    private mutating func diagnosis() throws(GiveUp) -> DiagnosisEntry {
        guard i < b.count, b[i] == UInt8(ascii: "\"") else { throw GiveUp() }
        let (raw, escaped) = try stringBytes()
        if escaped { return DiagnosisEntry(raw: String(decoding: scratch, as: UTF8.self)) }
        return DiagnosisEntry(raw: String(decoding: raw, as: UTF8.self), code: Self.icd10(raw))
    }

    private mutating func dateField() throws(GiveUp) -> DateField {
        guard i < b.count, b[i] == UInt8(ascii: "\"") else { throw GiveUp() }
        let (raw, escaped) = try stringBytes()
        if escaped { return DateField(String(decoding: scratch, as: UTF8.self)) }
        if let date = Self.isoDate(raw) { return .valid(date) }
        return .invalid(String(decoding: raw, as: UTF8.self))
    }

    private mutating func procedureCode() throws(GiveUp) -> ProcedureCode? {
        guard i < b.count, b[i] == UInt8(ascii: "\"") else { throw GiveUp() }
        let (raw, escaped) = try stringBytes()
        if !escaped, let value = Self.trimmedUppercaseASCII(raw) {
            return value.isEmpty ? nil : ProcedureCode(normalized: value)
        }
        return ProcedureCode(escaped ? String(decoding: scratch, as: UTF8.self) : String(decoding: raw, as: UTF8.self))
    }

    private mutating func modifier() throws(GiveUp) -> Modifier {
        guard i < b.count, b[i] == UInt8(ascii: "\"") else { throw GiveUp() }
        let (raw, escaped) = try stringBytes()
        if !escaped, let value = Self.trimmedUppercaseASCII(raw) { return Modifier(normalized: value) }
        return Modifier(escaped ? String(decoding: scratch, as: UTF8.self) : String(decoding: raw, as: UTF8.self))
    }

    /// `ServiceDate(iso:)` over bytes: exactly `YYYY-MM-DD`, and a real date.
    static func isoDate(_ t: UnsafeBufferPointer<UInt8>) -> ServiceDate? {
        guard t.count == 10, t[4] == UInt8(ascii: "-"), t[7] == UInt8(ascii: "-") else { return nil }
        func digits(_ r: Range<Int>) -> Int? {
            var v = 0
            for k in r {
                guard t[k] >= 48, t[k] <= 57 else { return nil }
                v = v * 10 + Int(t[k] - 48)
            }
            return v
        }
        guard let y = digits(0..<4), let m = digits(5..<7), let d = digits(8..<10) else { return nil }
        return ServiceDate(year: y, month: m, day: d)
    }

    /// `ICD10Code.init?(_:)` over bytes: spaces and tabs dropped, a dot only after the
    /// category, 3–7 alphanumerics starting with a letter, upper-cased.
    static func icd10(_ raw: UnsafeBufferPointer<UInt8>) -> ICD10Code? {
        var out: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0, 0, 0)
        return withUnsafeMutableBytes(of: &out) { out -> ICD10Code? in
            var n = 0
            var sawDot = false
            for byte in raw {
                switch byte {
                case UInt8(ascii: " "), UInt8(ascii: "\t"):
                    continue
                case UInt8(ascii: "."):
                    if sawDot || n != 3 { return nil }
                    sawDot = true
                    continue
                case UInt8(ascii: "a")...UInt8(ascii: "z"):
                    if n == 7 { return nil }
                    out[n] = byte - 32
                case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                    if n == 7 { return nil }
                    out[n] = byte
                default:
                    return nil
                }
                n += 1
            }
            guard n >= 3, out[0] >= UInt8(ascii: "A"), out[0] <= UInt8(ascii: "Z") else { return nil }
            if sawDot && n == 3 { return nil }
            return ICD10Code(uncheckedCompact: String(decoding: UnsafeRawBufferPointer(rebasing: out[0..<n]), as: UTF8.self))
        }
    }

    /// `raw.trimmingSpaces.uppercased()` for ASCII text (ASCII spaces and tabs trimmed at
    /// both ends, a–z upper-cased); nil when `raw` is not all ASCII.
    static func trimmedUppercaseASCII(_ raw: UnsafeBufferPointer<UInt8>) -> String? {
        var lo = 0, hi = raw.count
        for c in raw where c >= 0x80 { return nil }
        while lo < hi, raw[lo] == 0x20 || raw[lo] == 0x09 { lo += 1 }
        while hi > lo, raw[hi - 1] == 0x20 || raw[hi - 1] == 0x09 { hi -= 1 }
        let t = UnsafeBufferPointer(rebasing: raw[lo..<hi])
        if !t.contains(where: { $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z") }) {
            return String(decoding: t, as: UTF8.self)
        }
        return String(unsafeUninitializedCapacity: t.count) { out in
            for (k, c) in t.enumerated() { out[k] = c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z") ? c - 32 : c }
            return t.count
        }
    }

    private mutating func readKey() throws(GiveUp) -> Key {
        guard i < b.count, b[i] == UInt8(ascii: "\"") else { throw GiveUp() }
        let (bytes, escaped) = try stringBytes()
        // No claim member's name needs an escape; the tree path matches escaped names.
        if escaped { throw GiveUp() }
        return Key(bytes)
    }

    /// Reads a string at its opening quote, validating UTF-8 and escapes. Without escapes
    /// its bytes are returned in place; with escapes they are decoded into `scratch`
    /// (`escaped` true; the returned slice is then meaningless).
    private mutating func stringBytes() throws(GiveUp) -> (UnsafeBufferPointer<UInt8>, escaped: Bool) {
        i += 1
        let start = i
        while true {
            skipPlainASCII()
            guard i < b.count else { break }
            let c = b[i]
            if c == UInt8(ascii: "\"") {
                let s = UnsafeBufferPointer(rebasing: b[start..<i])
                i += 1
                return (s, false)
            }
            if c == UInt8(ascii: "\\") { break }
            if c < 0x20 { throw GiveUp() }
            if c < 0x80 { i += 1 } else { try skipUTF8Scalar() }
        }
        guard i < b.count else { throw GiveUp() }
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeBufferPointer(rebasing: b[start..<i]))
        while i < b.count {
            let c = b[i]
            if c == UInt8(ascii: "\"") {
                i += 1
                return (UnsafeBufferPointer(start: nil, count: 0), true)
            }
            if c == UInt8(ascii: "\\") {
                try readEscape()
            } else if c < 0x20 {
                throw GiveUp()
            } else if c < 0x80 {
                scratch.append(c)
                i += 1
            } else {
                let s = i
                try skipUTF8Scalar()
                scratch.append(contentsOf: UnsafeBufferPointer(rebasing: b[s..<i]))
            }
        }
        throw GiveUp()
    }

    /// Advances over string bytes that need no attention (ASCII from 0x20, neither `"` nor
    /// `\\`) eight at a time; stops at the word holding the first other byte.
    @inline(__always)
    private mutating func skipPlainASCII() {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let raw = UnsafeRawPointer(b.baseAddress!)
        while i + 8 <= b.count {
            let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            // (x - 1s) & ~x has a byte's high bit set where x has a zero byte ("any" is exact);
            // `w` itself has it set for non-ASCII bytes.
            let quote = w ^ (ones &* 0x22), backslash = w ^ (ones &* 0x5C)
            let control = (w &- ones &* 0x20) & ~w
            let hits = (control | ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash) | w) & highs
            if hits != 0 { return }
            i += 8
        }
    }

    private mutating func readEscape() throws(GiveUp) {
        i += 1
        guard i < b.count else { throw GiveUp() }
        let c = b[i]
        i += 1
        switch c {
        case UInt8(ascii: "\""): scratch.append(0x22)
        case UInt8(ascii: "\\"): scratch.append(0x5C)
        case UInt8(ascii: "/"): scratch.append(0x2F)
        case UInt8(ascii: "b"): scratch.append(0x08)
        case UInt8(ascii: "f"): scratch.append(0x0C)
        case UInt8(ascii: "n"): scratch.append(0x0A)
        case UInt8(ascii: "r"): scratch.append(0x0D)
        case UInt8(ascii: "t"): scratch.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try hex4()
            if scalar >= 0xD800 && scalar <= 0xDBFF {
                guard i + 1 < b.count, b[i] == UInt8(ascii: "\\"), b[i + 1] == UInt8(ascii: "u") else { throw GiveUp() }
                i += 2
                let low = try hex4()
                guard low >= 0xDC00 && low <= 0xDFFF else { throw GiveUp() }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if scalar >= 0xDC00 && scalar <= 0xDFFF {
                throw GiveUp()
            }
            appendUTF8(scalar)
        default:
            throw GiveUp()
        }
    }

    private mutating func hex4() throws(GiveUp) -> UInt32 {
        let (value, end) = JSONBytes.hex4(b, at: i)
        guard let value else { throw GiveUp() }
        i = end
        return value
    }

    private mutating func appendUTF8(_ s: UInt32) { JSONBytes.appendUTF8(s, to: &scratch) }

    /// One multi-byte UTF-8 scalar, as `JSONParser` accepts them (`JSONBytes.scalarLength`).
    private mutating func skipUTF8Scalar() throws(GiveUp) {
        guard let length = JSONBytes.scalarLength(b, at: i) else { throw GiveUp() }
        i += length
    }
}

// Initializers for values the one-pass decoder has already normalized exactly as the
// model's own initializers would (see `ClaimBytesDecoder`).
extension DiagnosisEntry {
    init(raw: String, code: ICD10Code?) {
        self.raw = raw
        self.code = code
    }
}

extension ProcedureCode {
    init(normalized value: String) { self.value = value }
}

extension Modifier {
    init(normalized value: String) { self.value = value }
}
