/// Byte-level pieces both JSON readers share: the tree parser (`JSONParser`) and the
/// one-pass claim decoder (`ClaimBytesDecoder`). Each reports failures its own way.
enum JSONBytes {
    /// The four hex digits of a `\u` escape starting at `start`: the value, or nil with
    /// `end` at the first byte that is not a hex digit (or the end of the input).
    static func hex4(_ b: UnsafeBufferPointer<UInt8>, at start: Int) -> (value: UInt32?, end: Int) {
        var v: UInt32 = 0
        var k = start
        while k < start + 4 {
            guard k < b.count else { return (nil, k) }
            let c = b[k]
            let d: UInt32
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(c - 48)
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(c - 87)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(c - 55)
            default: return (nil, k)
            }
            v = v << 4 | d
            k += 1
        }
        return (v, k)
    }

    /// A JSON number: `.int` when written without fraction or exponent and it fits an `Int`,
    /// else the `Double` of its text (±infinity when out of range).
    enum Number {
        case int(Int)
        case double(Double)
    }

    /// The number (RFC 8259 §6) starting at `start`, which holds `-` or a digit, and the index
    /// after it; or nil, what was expected, and the offset where it was expected.
    static func number(_ b: UnsafeBufferPointer<UInt8>, at start: Int)
        -> (value: Number?, end: Int, expected: String) {
        func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
        var i = start
        var negative = false
        if b[i] == UInt8(ascii: "-") {
            negative = true
            i += 1
        }
        guard i < b.count, isDigit(b[i]) else { return (nil, i, "expected a digit") }
        var integral = true
        var overflow = false
        var value = 0
        if b[i] == UInt8(ascii: "0") {
            i += 1
            if i < b.count, isDigit(b[i]) { return (nil, i - 1, "expected no leading zero in a number") }
        } else {
            while i < b.count, isDigit(b[i]) {
                let d = Int(b[i] - 48)
                // Accumulate negatively so Int.min fits.
                let (m, o1) = value.multipliedReportingOverflow(by: 10)
                let (s, o2) = m.subtractingReportingOverflow(d)
                if o1 || o2 { overflow = true } else { value = s }
                i += 1
            }
        }
        if i < b.count, b[i] == UInt8(ascii: ".") {
            integral = false
            i += 1
            guard i < b.count, isDigit(b[i]) else { return (nil, i, "expected a digit after '.'") }
            while i < b.count, isDigit(b[i]) { i += 1 }
        }
        if i < b.count, b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") {
            integral = false
            i += 1
            if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
            guard i < b.count, isDigit(b[i]) else { return (nil, i, "expected a digit in the exponent") }
            while i < b.count, isDigit(b[i]) { i += 1 }
        }
        if integral && !overflow {
            if negative { return (.int(value), i, "") }
            if value != Int.min { return (.int(-value), i, "") }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: b[start..<i]), as: UTF8.self)
        return (.double(Double(text) ?? (negative ? -.infinity : .infinity)), i, "")
    }

    /// Appends the UTF-8 encoding of the scalar value `s`.
    static func appendUTF8(_ s: UInt32, to out: inout [UInt8]) {
        switch s {
        case 0..<0x80: out.append(UInt8(s))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | (s >> 6)))
            out.append(UInt8(0x80 | (s & 0x3F)))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | (s >> 12)))
            out.append(UInt8(0x80 | ((s >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (s & 0x3F)))
        default:
            out.append(UInt8(0xF0 | (s >> 18)))
            out.append(UInt8(0x80 | ((s >> 12) & 0x3F)))
            out.append(UInt8(0x80 | ((s >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (s & 0x3F)))
        }
    }

    /// The length of the multi-byte UTF-8 scalar whose lead byte is at `i`, or nil when the
    /// bytes there are not one: overlong forms, surrogates and code points above U+10FFFF
    /// are rejected (RFC 3629).
    static func scalarLength(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> Int? {
        var need: Int
        var lo: UInt8 = 0x80, hi: UInt8 = 0xBF
        switch b[i] {
        case 0xC2...0xDF: need = 1
        case 0xE0: need = 2; lo = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: need = 2
        case 0xED: need = 2; hi = 0x9F
        case 0xF0: need = 3; lo = 0x90
        case 0xF1...0xF3: need = 3
        case 0xF4: need = 3; hi = 0x8F
        default: return nil
        }
        guard i + need < b.count else { return nil }
        // Only the first continuation byte has the narrowed range.
        var k = i + 1
        guard b[k] >= lo, b[k] <= hi else { return nil }
        k += 1
        need -= 1
        while need > 0 {
            guard b[k] >= 0x80, b[k] <= 0xBF else { return nil }
            k += 1
            need -= 1
        }
        return k - i
    }
}
