/// Writes compact JSON into a byte buffer. Commas are inserted automatically: call
/// `key(_:)` before each member value, values directly inside arrays.
public struct JSONWriter {
    public private(set) var bytes: [UInt8]
    /// Open containers, innermost last.
    private var depth = 0
    /// Bit `k` is set while the container at depth `k + 1` (of the first 64) has no element
    /// yet: a bit mask instead of an array of flags, so a writer allocates only its bytes.
    private var firstBits: UInt64 = 0
    /// The same flags for containers nested deeper than 64.
    private var deeperFirst: [Bool] = []
    private var afterKey = false

    public init(capacity: Int = 1024) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Whether the next value needs a comma before it (and notes that its container is no
    /// longer empty).
    @inline(__always)
    private mutating func takeSeparator() -> Bool {
        if afterKey {
            afterKey = false
            return false
        }
        guard depth > 0 else { return false }
        if depth <= 64 {
            let bit: UInt64 = 1 << UInt64(depth - 1)
            if firstBits & bit != 0 {
                firstBits &= ~bit
                return false
            }
            return true
        }
        let last = depth - 65
        if deeperFirst[last] {
            deeperFirst[last] = false
            return false
        }
        return true
    }

    @inline(__always)
    private mutating func separator() {
        if takeSeparator() { bytes.append(UInt8(ascii: ",")) }
    }

    @inline(__always)
    private mutating func open(_ byte: UInt8) {
        separator()
        bytes.append(byte)
        depth += 1
        if depth <= 64 { firstBits |= 1 << UInt64(depth - 1) } else { deeperFirst.append(true) }
    }

    @inline(__always)
    private mutating func close(_ byte: UInt8) {
        precondition(depth > 0, "JSONWriter: end of a container that was not begun")
        if depth > 64 { deeperFirst.removeLast() }
        depth -= 1
        bytes.append(byte)
    }

    public mutating func beginObject() { open(UInt8(ascii: "{")) }

    public mutating func endObject() { close(UInt8(ascii: "}")) }

    public mutating func beginArray() { open(UInt8(ascii: "[")) }

    public mutating func endArray() { close(UInt8(ascii: "]")) }

    public mutating func key(_ k: String) {
        appendQuoted(k, comma: takeSeparator(), colon: true)
        afterKey = true
    }

    public mutating func string(_ s: String) {
        appendQuoted(s, comma: takeSeparator(), colon: false)
    }

    /// A member name fixed at compile time. It must be ASCII with nothing to escape (the
    /// callers' own literals): it goes out as is, without the scan `key(_:)` makes.
    @inline(__always)
    public mutating func key(fixed k: StaticString) {
        appendUnescaped(k, comma: takeSeparator(), colon: true)
        afterKey = true
    }

    /// A string value fixed at compile time (an enum's raw value), under the same rule as `key(fixed:)`.
    @inline(__always)
    public mutating func string(fixed s: StaticString) {
        appendUnescaped(s, comma: takeSeparator(), colon: false)
    }

    /// `"name":"value"` in one append: the name fixed (as in `key(fixed:)`), the value
    /// escaped as `string(_:)` does.
    @inline(__always)
    public mutating func member(_ name: StaticString, _ value: String) {
        let comma = takeSeparator()
        Self.withUTF8InPlace(value) { u in appendMember(name, u, comma: comma) }
    }

    /// `"name":"value"` for a value given as UTF-8 bytes (part of a longer string).
    @inline(__always)
    mutating func member(_ name: StaticString, utf8 value: UnsafeBufferPointer<UInt8>) {
        let comma = takeSeparator()
        appendMember(name, value, comma: comma)
    }

    /// Calls `body` with the string's UTF-8 bytes, read in place when the string is
    /// contiguous (native ones are): `withUTF8` alone needs a `var` copy, a retain and a
    /// release per string written.
    @inline(__always)
    private static func withUTF8InPlace(_ s: String, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        if s.utf8.withContiguousStorageIfAvailable(body) == nil {
            var s = s
            s.withUTF8(body)
        }
    }

    @inline(__always)
    private mutating func appendMember(_ name: StaticString, _ u: UnsafeBufferPointer<UInt8>, comma: Bool) {
        let n = u.count, m = name.utf8CodeUnitCount
        if n <= 240, m <= 24, !Self.needsEscape(u) {
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 272) { tmp in
                let p = tmp.baseAddress!
                var k = 0
                if comma {
                    p[0] = UInt8(ascii: ",")
                    k = 1
                }
                p[k] = UInt8(ascii: "\"")
                (p + k + 1).update(from: name.utf8Start, count: m)
                k += m + 1
                p[k] = UInt8(ascii: "\"")
                p[k + 1] = UInt8(ascii: ":")
                p[k + 2] = UInt8(ascii: "\"")
                k += 3
                if n > 0 { (p + k).update(from: u.baseAddress!, count: n) }
                k += n
                p[k] = UInt8(ascii: "\"")
                bytes.append(contentsOf: UnsafeBufferPointer(start: p, count: k + 1))
            }
            return
        }
        appendUnescaped(name, comma: comma, colon: true)
        appendEscaped(u)
    }

    public mutating func int(_ v: Int) {
        separator()
        if v == 0 {
            bytes.append(UInt8(ascii: "0"))
            return
        }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = 0
        var m = v.magnitude
        withUnsafeMutableBytes(of: &digits) { d in
            while m > 0 {
                d[n] = UInt8(48 + m % 10)
                m /= 10
                n += 1
            }
        }
        if v < 0 { bytes.append(UInt8(ascii: "-")) }
        withUnsafeBytes(of: &digits) { d in
            for k in stride(from: n - 1, through: 0, by: -1) { bytes.append(d[k]) }
        }
    }

    /// Finite doubles in Swift's shortest round-trip form; non-finite as null (JSON has none).
    public mutating func double(_ v: Double) {
        guard v.isFinite else {
            null()
            return
        }
        if v == v.rounded(), abs(v) < 1e15 {
            int(Int(v))
            return
        }
        separator()
        bytes.append(contentsOf: v.description.utf8)
    }

    public mutating func bool(_ v: Bool) {
        separator()
        bytes.append(contentsOf: (v ? "true" : "false").utf8)
    }

    public mutating func null() {
        separator()
        bytes.append(contentsOf: "null".utf8)
    }

    /// Appends a byte outside any structure (the newline between NDJSON records).
    public mutating func appendRaw(_ byte: UInt8) {
        bytes.append(byte)
    }

    /// Appends bytes outside any structure (a text report between JSON records).
    public mutating func appendRaw(contentsOf raw: some Sequence<UInt8>) {
        bytes.append(contentsOf: raw)
    }

    /// Empties the buffer, keeping its capacity, to write the next document.
    public mutating func reset() {
        bytes.removeAll(keepingCapacity: true)
        depth = 0
        firstBits = 0
        deeperFirst.removeAll(keepingCapacity: true)
        afterKey = false
    }

    public mutating func value(_ v: JSONValue) {
        switch v {
        case .null: null()
        case .bool(let x): bool(x)
        case .int(let x): int(x)
        case .double(let x): double(x)
        case .string(let x): string(x)
        case .array(let xs):
            beginArray()
            for x in xs { value(x) }
            endArray()
        case .object(let members):
            beginObject()
            for m in members {
                key(m.key)
                value(m.value)
            }
            endObject()
        }
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// Whether any byte is `"`, `\` or below 0x20. Eight bytes at a time (most strings
    /// written, finding messages above all, need no escape and go out in one copy).
    @inline(__always)
    private static func needsEscape(_ u: UnsafeBufferPointer<UInt8>) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        var k = 0
        if let base = u.baseAddress {
            let raw = UnsafeRawPointer(base)
            while k + 8 <= u.count {
                let w = raw.loadUnaligned(fromByteOffset: k, as: UInt64.self)
                // A zero byte in `x` sets its high bit in (x - 1s) & ~x (exact for "any").
                let quote = w ^ (ones &* 0x22), backslash = w ^ (ones &* 0x5C)
                let control = (w &- ones &* 0x20) & ~w
                let hits = (control | ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash)) & highs
                if hits != 0 { return true }
                k += 8
            }
        }
        while k < u.count {
            let c = u[k]
            if c < 0x20 || c == 0x22 || c == 0x5C { return true }
            k += 1
        }
        return false
    }

    /// A compile-time text that needs no escape (asserted), as `appendPlain` writes it.
    @inline(__always)
    private mutating func appendUnescaped(_ s: StaticString, comma: Bool, colon: Bool) {
        let u = UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount)
        assert(s.hasPointerRepresentation && !Self.needsEscape(u))
        appendPlain(u, comma: comma, colon: colon)
    }

    /// `,"text":` with the comma and colon as asked, escaped where needed.
    @inline(__always)
    private mutating func appendQuoted(_ s: String, comma: Bool, colon: Bool) {
        Self.withUTF8InPlace(s) { u in appendQuoted(u, comma: comma, colon: colon) }
    }

    @inline(__always)
    private mutating func appendQuoted(_ u: UnsafeBufferPointer<UInt8>, comma: Bool, colon: Bool) {
        if !Self.needsEscape(u) {
            appendPlain(u, comma: comma, colon: colon)
            return
        }
        if comma { bytes.append(UInt8(ascii: ",")) }
        appendEscaped(u)
        if colon { bytes.append(UInt8(ascii: ":")) }
    }

    /// `,"text":` for text known to need no escape. A short one (member names, codes, most
    /// messages) is assembled on the stack and appended in one piece: one capacity check
    /// instead of one per byte written around it.
    @inline(__always)
    private mutating func appendPlain(_ u: UnsafeBufferPointer<UInt8>, comma: Bool, colon: Bool) {
        let n = u.count
        guard n <= 120 else {
            if comma { bytes.append(UInt8(ascii: ",")) }
            bytes.append(UInt8(ascii: "\""))
            bytes.append(contentsOf: u)
            bytes.append(UInt8(ascii: "\""))
            if colon { bytes.append(UInt8(ascii: ":")) }
            return
        }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 124) { tmp in
            let p = tmp.baseAddress!
            var k = 0
            if comma {
                p[0] = UInt8(ascii: ",")
                k = 1
            }
            p[k] = UInt8(ascii: "\"")
            if n > 0 { (p + k + 1).update(from: u.baseAddress!, count: n) }
            k += n + 1
            p[k] = UInt8(ascii: "\"")
            k += 1
            if colon {
                p[k] = UInt8(ascii: ":")
                k += 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(start: p, count: k))
        }
    }

    /// Quotes and escapes: `"` `\` and every control character below U+0020.
    private mutating func appendEscaped(_ u: UnsafeBufferPointer<UInt8>) {
        bytes.append(UInt8(ascii: "\""))
        if !Self.needsEscape(u) {
            bytes.append(contentsOf: u)
            bytes.append(UInt8(ascii: "\""))
            return
        }
        var runStart = 0
        for k in 0..<u.count {
            let c = u[k]
            guard c < 0x20 || c == 0x22 || c == 0x5C else { continue }
            if runStart < k { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: u[runStart..<k])) }
            runStart = k + 1
            bytes.append(UInt8(ascii: "\\"))
            switch c {
            case 0x22: bytes.append(0x22)
            case 0x5C: bytes.append(0x5C)
            case 0x0A: bytes.append(UInt8(ascii: "n"))
            case 0x0D: bytes.append(UInt8(ascii: "r"))
            case 0x09: bytes.append(UInt8(ascii: "t"))
            case 0x08: bytes.append(UInt8(ascii: "b"))
            case 0x0C: bytes.append(UInt8(ascii: "f"))
            default:
                bytes.append(contentsOf: [UInt8(ascii: "u"), 48, 48, Self.hex[Int(c >> 4)], Self.hex[Int(c & 0xF)]])
            }
        }
        if runStart < u.count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: u[runStart..<u.count])) }
        bytes.append(UInt8(ascii: "\""))
    }
}
