/// A JSON syntax error: where (byte offset, and the pointer of the value being read)
/// and what the parser expected there. Never quotes the input.
public struct JSONSyntaxError: Error, Sendable, Equatable {
    /// 0-based offset of the offending byte in the input.
    public var offset: Int
    /// What would have been accepted, e.g. "expected ',' or '}'".
    public var expected: String
    /// RFC 6901 pointer of the innermost value being read when the error occurred.
    public var pointer: String

    public init(offset: Int, expected: String, pointer: String = "") {
        self.offset = offset
        self.expected = expected
        self.pointer = pointer
    }
}

/// A strict RFC 8259 parser over bytes: no trailing commas, no comments, no leading
/// zeros, valid escapes and surrogate pairs, valid UTF-8, bounded nesting.
/// The caller bounds the input size.
public struct JSONParser {
    public static let defaultMaxDepth = 64

    public static func parse(_ bytes: [UInt8], maxDepth: Int = defaultMaxDepth) throws(JSONSyntaxError) -> JSONValue {
        let result: Result<JSONValue, JSONSyntaxError> = bytes.withUnsafeBufferPointer { buffer in
            var parser = JSONParser(buffer, maxDepth: maxDepth)
            do throws(JSONSyntaxError) { return .success(try parser.parseDocument()) } catch { return .failure(error) }
        }
        return try result.get()
    }

    public static func parse(_ buffer: UnsafeRawBufferPointer, maxDepth: Int = defaultMaxDepth) throws(JSONSyntaxError) -> JSONValue {
        var parser = JSONParser(buffer.assumingMemoryBound(to: UInt8.self), maxDepth: maxDepth)
        return try parser.parseDocument()
    }

    private let b: UnsafeBufferPointer<UInt8>
    private let maxDepth: Int
    private var i = 0
    private var depth = 0
    /// Scratch for strings with escapes, reused.
    private var scratch: [UInt8] = []

    private init(_ buffer: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
        b = buffer
        self.maxDepth = maxDepth
    }

    private func fail(_ expected: String, at offset: Int? = nil) -> JSONSyntaxError {
        JSONSyntaxError(offset: offset ?? i, expected: expected)
    }

    mutating func parseDocument() throws(JSONSyntaxError) -> JSONValue {
        // A UTF-8 byte order mark is not JSON text (RFC 8259 §8.1 lets parsers reject it).
        skipWhitespace()
        let value = try parseValue()
        skipWhitespace()
        if i < b.count { throw fail("expected the end of the document") }
        return value
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

    private mutating func parseValue() throws(JSONSyntaxError) -> JSONValue {
        guard i < b.count else { throw fail("expected a value, got the end of the input") }
        switch b[i] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw fail("expected a value (object, array, string, number, true, false or null)")
        }
    }

    private mutating func literal(_ word: StaticString) throws(JSONSyntaxError) {
        let n = word.utf8CodeUnitCount
        let w = UnsafeBufferPointer(start: word.utf8Start, count: n)
        for k in 0..<n {
            guard i + k < b.count, b[i + k] == w[k] else { throw fail("expected '\(word)'", at: i + k) }
        }
        i += n
    }

    private mutating func enter() throws(JSONSyntaxError) {
        depth += 1
        if depth > maxDepth { throw fail("expected nesting no deeper than \(maxDepth) levels") }
    }

    private mutating func parseObject() throws(JSONSyntaxError) -> JSONValue {
        try enter()
        i += 1
        var members: [(key: String, value: JSONValue)] = []
        // Claims' objects have a handful of members; avoids regrowing from 1, 2, 4.
        members.reserveCapacity(8)
        skipWhitespace()
        if i < b.count, b[i] == UInt8(ascii: "}") {
            i += 1
            depth -= 1
            return .object(members)
        }
        while true {
            guard i < b.count, b[i] == UInt8(ascii: "\"") else {
                throw fail(members.isEmpty ? "expected a string key or '}'" : "expected a string key")
            }
            let key = try parseString()
            skipWhitespace()
            guard i < b.count, b[i] == UInt8(ascii: ":") else { throw fail("expected ':' after an object key") }
            i += 1
            skipWhitespace()
            do throws(JSONSyntaxError) {
                let value = try parseValue()
                members.append((key, value))
            } catch {
                var e = error
                e.pointer = "/" + JSONPointer.escape(key) + e.pointer
                throw e
            }
            skipWhitespace()
            guard i < b.count else { throw fail("expected ',' or '}', got the end of the input") }
            if b[i] == UInt8(ascii: ",") {
                i += 1
                skipWhitespace()
                continue
            }
            if b[i] == UInt8(ascii: "}") {
                i += 1
                depth -= 1
                return .object(members)
            }
            throw fail("expected ',' or '}'")
        }
    }

    private mutating func parseArray() throws(JSONSyntaxError) -> JSONValue {
        try enter()
        i += 1
        var elements: [JSONValue] = []
        elements.reserveCapacity(4)
        skipWhitespace()
        if i < b.count, b[i] == UInt8(ascii: "]") {
            i += 1
            depth -= 1
            return .array(elements)
        }
        while true {
            do throws(JSONSyntaxError) {
                elements.append(try parseValue())
            } catch {
                var e = error
                e.pointer = "/\(elements.count)" + e.pointer
                throw e
            }
            skipWhitespace()
            guard i < b.count else { throw fail("expected ',' or ']', got the end of the input") }
            if b[i] == UInt8(ascii: ",") {
                i += 1
                skipWhitespace()
                continue
            }
            if b[i] == UInt8(ascii: "]") {
                i += 1
                depth -= 1
                return .array(elements)
            }
            throw fail("expected ',' or ']'")
        }
    }

    private mutating func parseNumber() throws(JSONSyntaxError) -> JSONValue {
        let (number, end, expected) = JSONBytes.number(b, at: i)
        guard let number else { throw fail(expected, at: end) }
        i = end
        switch number {
        case .int(let v): return .int(v)
        case .double(let d): return .double(d)
        }
    }


    /// Reads a string starting at the opening quote; validates UTF-8 and escapes.
    private mutating func parseString() throws(JSONSyntaxError) -> String {
        i += 1
        let start = i
        // Fast path: no escapes.
        while i < b.count {
            let c = b[i]
            if c == UInt8(ascii: "\"") {
                let s = String(decoding: UnsafeBufferPointer(rebasing: b[start..<i]), as: UTF8.self)
                i += 1
                return s
            }
            if c == UInt8(ascii: "\\") { break }
            if c < 0x20 { throw fail("expected no unescaped control character in a string") }
            if c < 0x80 { i += 1 } else { try skipUTF8Scalar() }
        }
        guard i < b.count else { throw fail("expected '\"' to end the string, got the end of the input") }
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeBufferPointer(rebasing: b[start..<i]))
        while i < b.count {
            let c = b[i]
            if c == UInt8(ascii: "\"") {
                i += 1
                return String(decoding: scratch, as: UTF8.self)
            }
            if c == UInt8(ascii: "\\") {
                try readEscape()
            } else if c < 0x20 {
                throw fail("expected no unescaped control character in a string")
            } else if c < 0x80 {
                scratch.append(c)
                i += 1
            } else {
                let s = i
                try skipUTF8Scalar()
                scratch.append(contentsOf: UnsafeBufferPointer(rebasing: b[s..<i]))
            }
        }
        throw fail("expected '\"' to end the string, got the end of the input")
    }

    private mutating func readEscape() throws(JSONSyntaxError) {
        i += 1
        guard i < b.count else { throw fail("expected an escape character, got the end of the input") }
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
            let escapeStart = i - 2
            var scalar = try hex4()
            if scalar >= 0xD800 && scalar <= 0xDBFF {
                guard i + 1 < b.count, b[i] == UInt8(ascii: "\\"), b[i + 1] == UInt8(ascii: "u") else {
                    throw fail("expected a low surrogate escape after a high surrogate", at: escapeStart)
                }
                i += 2
                let low = try hex4()
                guard low >= 0xDC00 && low <= 0xDFFF else {
                    throw fail("expected a low surrogate (\\uDC00-\\uDFFF)", at: i - 6)
                }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if scalar >= 0xDC00 && scalar <= 0xDFFF {
                throw fail("expected a high surrogate before a low surrogate", at: escapeStart)
            }
            appendUTF8(scalar)
        default:
            throw fail("expected a valid escape (\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)", at: i - 2)
        }
    }

    private mutating func hex4() throws(JSONSyntaxError) -> UInt32 {
        let (value, end) = JSONBytes.hex4(b, at: i)
        i = end
        guard let value else { throw fail("expected four hex digits after \\u") }
        return value
    }

    private mutating func appendUTF8(_ s: UInt32) { JSONBytes.appendUTF8(s, to: &scratch) }

    /// Advances over one multi-byte UTF-8 scalar (see `JSONBytes.scalarLength`).
    private mutating func skipUTF8Scalar() throws(JSONSyntaxError) {
        guard let length = JSONBytes.scalarLength(b, at: i) else { throw fail("expected valid UTF-8") }
        i += length
    }
}
