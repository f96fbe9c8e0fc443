/// A small pull tokenizer for the well-formed, entity-free-DTD XML that CDC publishes
/// the Tabular List in. Foundation's XMLParser needs libxml2, which the static binary
/// in a slim image does not have.
///
/// It reports start tags (with attributes), end tags and non-blank text, decodes the five
/// predefined entities and numeric character references, passes CDATA through as text,
/// and skips comments, processing instructions and DOCTYPE.
struct XMLTokenizer {
    enum Event: Equatable {
        case start(name: String, attributes: [String: String])
        case end(name: String)
        case text(String)
    }

    struct SyntaxError: Error, CustomStringConvertible {
        let line: Int
        let message: String
        var description: String { "XML syntax error at line \(line): \(message)" }
    }

    private let bytes: [UInt8]
    private var position = 0
    /// A self-closing tag yields its start, then this end on the next call.
    private var pendingEnd: String?

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    mutating func next() throws -> Event? {
        if let name = pendingEnd {
            pendingEnd = nil
            return .end(name: name)
        }
        while position < bytes.count {
            if bytes[position] != UInt8(ascii: "<") {
                let start = position
                while position < bytes.count && bytes[position] != UInt8(ascii: "<") { position += 1 }
                if let text = try decodedText(start..<position, trim: true) { return .text(text) }
                continue
            }
            if hasPrefix("<!--") {
                try skip(past: "-->")
                continue
            }
            if hasPrefix("<![CDATA[") {
                let start = position + 9
                try skip(past: "]]>")
                return .text(String(decoding: bytes[start..<(position - 3)], as: UTF8.self))
            }
            if hasPrefix("<?") || hasPrefix("<!") {
                try skip(past: ">")
                continue
            }
            if hasPrefix("</") {
                position += 2
                let name = readName()
                skipSpace()
                guard position < bytes.count, bytes[position] == UInt8(ascii: ">") else {
                    throw error("expected '>' to close </\(name)")
                }
                position += 1
                return .end(name: name)
            }
            return try readStartTag()
        }
        return nil
    }

    private mutating func readStartTag() throws -> Event {
        position += 1
        let name = readName()
        guard !name.isEmpty else { throw error("expected a tag name after '<'") }
        var attributes: [String: String] = [:]
        while true {
            skipSpace()
            guard position < bytes.count else { throw error("unterminated tag <\(name)") }
            let byte = bytes[position]
            if byte == UInt8(ascii: ">") {
                position += 1
                return .start(name: name, attributes: attributes)
            }
            if byte == UInt8(ascii: "/") {
                guard position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: ">") else {
                    throw error("expected '/>' in <\(name)")
                }
                position += 2
                pendingEnd = name
                return .start(name: name, attributes: attributes)
            }
            let attribute = readName()
            guard !attribute.isEmpty else { throw error("unexpected character in <\(name)") }
            skipSpace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: "=") else {
                throw error("expected '=' after attribute \(attribute)")
            }
            position += 1
            skipSpace()
            guard position < bytes.count,
                  bytes[position] == UInt8(ascii: "\"") || bytes[position] == UInt8(ascii: "'")
            else { throw error("expected a quoted value for attribute \(attribute)") }
            let quote = bytes[position]
            position += 1
            let start = position
            while position < bytes.count && bytes[position] != quote { position += 1 }
            guard position < bytes.count else { throw error("unterminated value of attribute \(attribute)") }
            attributes[attribute] = try decodedText(start..<position, trim: false) ?? ""
            position += 1
        }
    }

    private func hasPrefix(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard position + count <= bytes.count else { return false }
        let pointer = literal.utf8Start
        for i in 0..<count where bytes[position + i] != pointer[i] { return false }
        return true
    }

    private mutating func skip(past literal: StaticString) throws {
        while position < bytes.count {
            if hasPrefix(literal) {
                position += literal.utf8CodeUnitCount
                return
            }
            position += 1
        }
        throw error("unterminated construct, expected \(literal)")
    }

    private mutating func skipSpace() {
        while position < bytes.count, Self.isSpace(bytes[position]) { position += 1 }
    }

    private mutating func readName() -> String {
        let start = position
        while position < bytes.count {
            let b = bytes[position]
            if Self.isSpace(b) || b == UInt8(ascii: ">") || b == UInt8(ascii: "/") || b == UInt8(ascii: "=") { break }
            position += 1
        }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    private static func isSpace(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D
    }

    /// The text of `range` with entities decoded; nil when it is blank and `trim` is set.
    private func decodedText(_ range: Range<Int>, trim: Bool) throws -> String? {
        var lower = range.lowerBound
        var upper = range.upperBound
        if trim {
            while lower < upper, Self.isSpace(bytes[lower]) { lower += 1 }
            while upper > lower, Self.isSpace(bytes[upper - 1]) { upper -= 1 }
            if lower == upper { return nil }
        }
        guard bytes[lower..<upper].contains(UInt8(ascii: "&")) else {
            return String(decoding: bytes[lower..<upper], as: UTF8.self)
        }
        var out: [UInt8] = []
        out.reserveCapacity(upper - lower)
        var i = lower
        while i < upper {
            let b = bytes[i]
            guard b == UInt8(ascii: "&") else {
                out.append(b)
                i += 1
                continue
            }
            guard let semicolon = bytes[i..<upper].firstIndex(of: UInt8(ascii: ";")), semicolon - i <= 12 else {
                throw error("'&' that does not start an entity")
            }
            let name = String(decoding: bytes[(i + 1)..<semicolon], as: UTF8.self)
            let scalar: Unicode.Scalar?
            switch name {
            case "amp": scalar = "&"
            case "lt": scalar = "<"
            case "gt": scalar = ">"
            case "quot": scalar = "\""
            case "apos": scalar = "'"
            default:
                if name.hasPrefix("#x") || name.hasPrefix("#X") {
                    scalar = UInt32(name.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init)
                } else if name.hasPrefix("#") {
                    scalar = UInt32(name.dropFirst(1), radix: 10).flatMap(Unicode.Scalar.init)
                } else {
                    scalar = nil
                }
            }
            guard let scalar else { throw error("unknown entity &\(name);") }
            out.append(contentsOf: String(Character(scalar)).utf8)
            i = semicolon + 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The line the tokenizer has reached (counted on demand: only errors need it).
    var line: Int {
        1 + bytes[0..<min(position, bytes.count)].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
    }

    private func error(_ message: String) -> SyntaxError {
        SyntaxError(line: line, message: message)
    }
}
