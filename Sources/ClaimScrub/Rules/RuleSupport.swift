/// Small helpers shared by rules: pointers and how codes are named in messages.
public enum Paths {
    // Written at their final size (`joinedText`): an interpolation went through `description`.
    public static func diagnosis(_ i: Int) -> String { joinedText("/diagnoses/", i) }
    public static func line(_ i: Int) -> String { joinedText("/serviceLines/", i) }
    public static func line(_ i: Int, _ field: String) -> String {
        if i < LinePaths.count, let table = LinePaths.table(field) { return table[i] }
        return "/serviceLines/\(i)/\(field)"
    }
    /// `line(i, "modifiers")` without matching the field's name (MOD_25's every finding).
    public static func lineModifiers(_ i: Int) -> String {
        i >= 0 && i < LinePaths.count ? LinePaths.modifiers[i] : line(i, "modifiers")
    }
}

/// The pointers of the line fields findings name, for the first lines of a claim, made once:
/// such a path is too long for a small string, so building it allocated for every finding.
private enum LinePaths {
    static let count = 64
    static let modifiers = make("modifiers")
    static let units = make("units")
    static let procedureCode = make("procedureCode")
    static let diagnosisPointers = make("diagnosisPointers")
    static let serviceDate = make("serviceDate")
    static let serviceDateEnd = make("serviceDateEnd")
    static let minutes = make("minutes")

    static func make(_ field: String) -> [String] { (0..<count).map { "/serviceLines/\($0)/\(field)" } }

    static func table(_ field: String) -> [String]? {
        switch field {
        case "modifiers": modifiers
        case "units": units
        case "procedureCode": procedureCode
        case "diagnosisPointers": diagnosisPointers
        case "serviceDate": serviceDate
        case "serviceDateEnd": serviceDateEnd
        case "minutes": minutes
        default: nil
        }
    }
}

extension CodeSet {
    /// `M54.6 (Pain in thoracic spine)`, or just `M54.6` when the release lacks it.
    public func named(_ code: ICD10Code) -> String {
        joinedText(namedPart(code))
    }

    /// `named(code)` as a part of a longer text, written in place (no string of its own).
    func namedPart(_ code: ICD10Code) -> NamedCode {
        NamedCode(code: code, description: entryDescription(code) ?? "")
    }
}

/// A code and its description as `CodeSet.named` spells them: `M54.6 (Pain in thoracic spine)`.
struct NamedCode: TextPart {
    let code: ICD10Code
    /// Empty when the release lacks the code (then only the code is written).
    let description: String

    var utf8Length: Int { description.isEmpty ? code.utf8Length : code.utf8Length + description.utf8.count + 3 }

    func write(to out: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        var n = code.write(to: out)
        guard !description.isEmpty else { return n }
        n = " (".write(to: n)
        n = description.write(to: n)
        return ")".write(to: n)
    }
}

extension String {
    /// True when empty or only spaces/tabs (bytes, not Characters: a space or tab is never
    /// part of a longer grapheme cluster, and this runs for several fields of every claim).
    /// Over the bytes in place when they are contiguous (walking the UTF-8 view cost more).
    var isBlank: Bool {
        func blank(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 }
        return utf8.withContiguousStorageIfAvailable { $0.allSatisfy(blank) } ?? utf8.allSatisfy(blank)
    }
}

/// "A, B and C".
func listed(_ items: [String], conjunction: String = "and") -> String {
    switch items.count {
    case 0: return ""
    case 1: return items[0]
    default: return joinedList(items, separator: ", ", last: joinedText(" ", conjunction, " "))
    }
}

/// `items` with `separator` between them and `last` before the final one, copied into one
/// string allocated at its final size (`joined` grew its buffer, and `+` copied it again).
func joinedList<Items: Collection<String>>(_ items: Items, separator: String, last: String) -> String {
    let count = items.count
    guard count > 1 else { return items.first ?? "" }
    var total = separator.utf8.count * (count - 2) + last.utf8.count
    for item in items { total += item.utf8.count }
    return String(unsafeUninitializedCapacity: total) { buffer in
        guard let start = buffer.baseAddress else { return 0 }
        var out = start, k = 0
        for item in items {
            if k > 0 { out = (k == count - 1 ? last : separator).write(to: out) }
            out = item.write(to: out)
            k += 1
        }
        return out - start
    }
}

/// The parts copied into one string allocated at its final size. Finding texts are long
/// sentences around a few codes, dates and numbers: an interpolation grew its buffer several
/// times, and `+=` of each part took the general append path. One generic function per arity
/// (each call specialised; a parameter pack was not, and copied every part through its value
/// witnesses), so no defaulted empty parts are visited; dates, numbers and codes are written
/// in place (`TextPart`) rather than made into strings first.
@inline(__always)
func joinedText<A: TextPart>(_ a: A) -> String {
    makeText(length: a.utf8Length) { start in
        var out = start
        out = a.write(to: out)
        return out
    }
}

@inline(__always)
func joinedText<A: TextPart, B: TextPart>(_ a: A, _ b: B) -> String {
    makeText(length: a.utf8Length + b.utf8Length) { start in
        var out = start
        out = a.write(to: out)
        out = b.write(to: out)
        return out
    }
}

@inline(__always)
func joinedText<A: TextPart, B: TextPart, C: TextPart>(_ a: A, _ b: B, _ c: C) -> String {
    makeText(length: a.utf8Length + b.utf8Length + c.utf8Length) { start in
        var out = start
        out = a.write(to: out)
        out = b.write(to: out)
        out = c.write(to: out)
        return out
    }
}

@inline(__always)
func joinedText<A: TextPart, B: TextPart, C: TextPart, D: TextPart>(_ a: A, _ b: B, _ c: C, _ d: D) -> String {
    makeText(length: a.utf8Length + b.utf8Length + c.utf8Length + d.utf8Length) { start in
        var out = start
        out = a.write(to: out)
        out = b.write(to: out)
        out = c.write(to: out)
        out = d.write(to: out)
        return out
    }
}

@inline(__always)
func joinedText<A: TextPart, B: TextPart, C: TextPart, D: TextPart, E: TextPart>(_ a: A, _ b: B, _ c: C, _ d: D, _ e: E) -> String {
    makeText(length: a.utf8Length + b.utf8Length + c.utf8Length + d.utf8Length + e.utf8Length) { start in
        var out = start
        out = a.write(to: out)
        out = b.write(to: out)
        out = c.write(to: out)
        out = d.write(to: out)
        out = e.write(to: out)
        return out
    }
}

@inline(__always)
func joinedText<A: TextPart, B: TextPart, C: TextPart, D: TextPart, E: TextPart, F: TextPart>(_ a: A, _ b: B, _ c: C, _ d: D, _ e: E, _ f: F) -> String {
    makeText(length: a.utf8Length + b.utf8Length + c.utf8Length + d.utf8Length + e.utf8Length + f.utf8Length) { start in
        var out = start
        out = a.write(to: out)
        out = b.write(to: out)
        out = c.write(to: out)
        out = d.write(to: out)
        out = e.write(to: out)
        out = f.write(to: out)
        return out
    }
}

@inline(__always)
func joinedText<A: TextPart, B: TextPart, C: TextPart, D: TextPart, E: TextPart, F: TextPart, G: TextPart>(_ a: A, _ b: B, _ c: C, _ d: D, _ e: E, _ f: F, _ g: G) -> String {
    makeText(length: a.utf8Length + b.utf8Length + c.utf8Length + d.utf8Length + e.utf8Length + f.utf8Length + g.utf8Length) { start in
        var out = start
        out = a.write(to: out)
        out = b.write(to: out)
        out = c.write(to: out)
        out = d.write(to: out)
        out = e.write(to: out)
        out = f.write(to: out)
        out = g.write(to: out)
        return out
    }
}

@inline(__always)
func joinedText<A: TextPart, B: TextPart, C: TextPart, D: TextPart, E: TextPart, F: TextPart, G: TextPart, H: TextPart>(_ a: A, _ b: B, _ c: C, _ d: D, _ e: E, _ f: F, _ g: G, _ h: H) -> String {
    makeText(length: a.utf8Length + b.utf8Length + c.utf8Length + d.utf8Length + e.utf8Length + f.utf8Length + g.utf8Length + h.utf8Length) { start in
        var out = start
        out = a.write(to: out)
        out = b.write(to: out)
        out = c.write(to: out)
        out = d.write(to: out)
        out = e.write(to: out)
        out = f.write(to: out)
        out = g.write(to: out)
        out = h.write(to: out)
        return out
    }
}

@inline(__always)
func joinedText<A: TextPart, B: TextPart, C: TextPart, D: TextPart, E: TextPart, F: TextPart, G: TextPart, H: TextPart, I: TextPart>(_ a: A, _ b: B, _ c: C, _ d: D, _ e: E, _ f: F, _ g: G, _ h: H, _ i: I) -> String {
    makeText(length: a.utf8Length + b.utf8Length + c.utf8Length + d.utf8Length + e.utf8Length + f.utf8Length + g.utf8Length + h.utf8Length + i.utf8Length) { start in
        var out = start
        out = a.write(to: out)
        out = b.write(to: out)
        out = c.write(to: out)
        out = d.write(to: out)
        out = e.write(to: out)
        out = f.write(to: out)
        out = g.write(to: out)
        out = h.write(to: out)
        out = i.write(to: out)
        return out
    }
}

@inline(__always)
func joinedText<A: TextPart, B: TextPart, C: TextPart, D: TextPart, E: TextPart, F: TextPart, G: TextPart, H: TextPart, I: TextPart, J: TextPart>(_ a: A, _ b: B, _ c: C, _ d: D, _ e: E, _ f: F, _ g: G, _ h: H, _ i: I, _ j: J) -> String {
    makeText(length: a.utf8Length + b.utf8Length + c.utf8Length + d.utf8Length + e.utf8Length + f.utf8Length + g.utf8Length + h.utf8Length + i.utf8Length + j.utf8Length) { start in
        var out = start
        out = a.write(to: out)
        out = b.write(to: out)
        out = c.write(to: out)
        out = d.write(to: out)
        out = e.write(to: out)
        out = f.write(to: out)
        out = g.write(to: out)
        out = h.write(to: out)
        out = i.write(to: out)
        out = j.write(to: out)
        return out
    }
}

@inline(__always)
func joinedText<A: TextPart, B: TextPart, C: TextPart, D: TextPart, E: TextPart, F: TextPart, G: TextPart, H: TextPart, I: TextPart, J: TextPart, K: TextPart>(_ a: A, _ b: B, _ c: C, _ d: D, _ e: E, _ f: F, _ g: G, _ h: H, _ i: I, _ j: J, _ k: K) -> String {
    makeText(length: a.utf8Length + b.utf8Length + c.utf8Length + d.utf8Length + e.utf8Length + f.utf8Length + g.utf8Length + h.utf8Length + i.utf8Length + j.utf8Length + k.utf8Length) { start in
        var out = start
        out = a.write(to: out)
        out = b.write(to: out)
        out = c.write(to: out)
        out = d.write(to: out)
        out = e.write(to: out)
        out = f.write(to: out)
        out = g.write(to: out)
        out = h.write(to: out)
        out = i.write(to: out)
        out = j.write(to: out)
        out = k.write(to: out)
        return out
    }
}

@inline(__always)
func joinedText<A: TextPart, B: TextPart, C: TextPart, D: TextPart, E: TextPart, F: TextPart, G: TextPart, H: TextPart, I: TextPart, J: TextPart, K: TextPart, L: TextPart>(_ a: A, _ b: B, _ c: C, _ d: D, _ e: E, _ f: F, _ g: G, _ h: H, _ i: I, _ j: J, _ k: K, _ l: L) -> String {
    makeText(length: a.utf8Length + b.utf8Length + c.utf8Length + d.utf8Length + e.utf8Length + f.utf8Length + g.utf8Length + h.utf8Length + i.utf8Length + j.utf8Length + k.utf8Length + l.utf8Length) { start in
        var out = start
        out = a.write(to: out)
        out = b.write(to: out)
        out = c.write(to: out)
        out = d.write(to: out)
        out = e.write(to: out)
        out = f.write(to: out)
        out = g.write(to: out)
        out = h.write(to: out)
        out = i.write(to: out)
        out = j.write(to: out)
        out = k.write(to: out)
        out = l.write(to: out)
        return out
    }
}

/// A string of `length` UTF-8 bytes written by `body`, which returns the position after them.
@inline(__always)
private func makeText(
    length: Int, _ body: (UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8>
) -> String {
    String(unsafeUninitializedCapacity: length) { buffer in
        guard let start = buffer.baseAddress else { return 0 }
        return body(start) - start
    }
}

/// A piece of a finding's text that knows its UTF-8 length and writes itself into a buffer
/// of at least that many bytes, returning the position after it.
protocol TextPart {
    var utf8Length: Int { get }
    func write(to out: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8>
}

extension String: TextPart {
    @inline(__always)
    var utf8Length: Int { utf8.count }

    /// A memcpy from the string's contiguous bytes (a small string's are on the stack).
    @inline(__always)
    func write(to out: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        let written = utf8.withContiguousStorageIfAvailable { source -> Int in
            guard let from = source.baseAddress, source.count > 0 else { return 0 }
            out.update(from: from, count: source.count)
            return source.count
        }
        if let written { return out + written }
        var n = out
        for byte in utf8 {
            n.pointee = byte
            n += 1
        }
        return n
    }
}

extension StaticString: TextPart {
    /// A literal's bytes: its length is known when compiled, and the copy is a plain memcpy
    /// (a `String` literal went through the checks of `withContiguousStorageIfAvailable`).
    @inline(__always)
    var utf8Length: Int { utf8CodeUnitCount }

    @inline(__always)
    func write(to out: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        out.update(from: utf8Start, count: utf8CodeUnitCount)
        return out + utf8CodeUnitCount
    }
}

extension Int: TextPart {
    /// Decimal digits (and a minus sign), as `String(self)` spells them.
    var utf8Length: Int {
        var n = self < 0 ? 2 : 1
        var v = self.magnitude
        while v >= 10 {
            v /= 10
            n += 1
        }
        return n
    }

    func write(to out: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        let end = out + utf8Length
        if self < 0 { out.pointee = UInt8(ascii: "-") }
        var v = self.magnitude, p = end
        repeat {
            p -= 1
            p.pointee = UInt8(ascii: "0") + UInt8(v % 10)
            v /= 10
        } while v > 0
        return end
    }
}

extension ServiceDate: TextPart {
    /// `description`'s length: ten bytes for every date a claim can hold.
    var utf8Length: Int { fitsTenBytes ? 10 : description.utf8.count }

    /// `YYYY-MM-DD` written in place, as `description` spells it.
    func write(to out: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        guard fitsTenBytes else { return description.write(to: out) }
        writeTenBytes(to: out)
        return out + 10
    }
}

extension ICD10Code: TextPart {
    var utf8Length: Int { dottedLength(compact) }
    func write(to out: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> { writeDotted(compact, to: out) }
}

/// `ICD10Code.dotted`'s length for a compact code or prefix: a dot after the category of
/// anything longer than three.
private func dottedLength(_ compact: String) -> Int {
    let n = compact.utf8.count
    return n > 3 ? n + 1 : n
}

/// `ICD10Code.dotted` of a compact code or prefix, written in place.
private func writeDotted(_ compact: String, to out: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
    var n = out, k = 0
    for byte in compact.utf8 {
        if k == 3 {
            n.pointee = UInt8(ascii: ".")
            n += 1
        }
        n.pointee = byte
        n += 1
        k += 1
    }
    return n
}

extension CodePattern: TextPart {
    /// `description`'s length: `M50.-` for a category, `M51.2-` for a longer prefix.
    var utf8Length: Int {
        switch self {
        case .code(let c): c.utf8Length
        case .prefix(let p): p.utf8.count > 3 ? dottedLength(p) + 1 : p.utf8.count + 2
        }
    }

    /// `description` written in place.
    func write(to out: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        switch self {
        case .code(let c): c.write(to: out)
        case .prefix(let p): p.utf8.count > 3 ? "-".write(to: writeDotted(p, to: out)) : ".-".write(to: p.write(to: out))
        }
    }
}

extension Optional: TextPart where Wrapped: TextPart {
    /// Nothing for nil: a part that a text has only sometimes.
    var utf8Length: Int { self?.utf8Length ?? 0 }

    func write(to out: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> { self?.write(to: out) ?? out }
}
