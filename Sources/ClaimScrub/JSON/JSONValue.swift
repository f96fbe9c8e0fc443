/// A parsed JSON document. Objects keep their members in document order (duplicate
/// keys are kept too; lookups return the last, as most parsers do).
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// A number written without fraction or exponent that fits in `Int`.
    case int(Int)
    /// Any other number (`2.0`, `1e3`, or an integer too large for `Int`).
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([(key: String, value: JSONValue)])

    public static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): true
        case let (.bool(x), .bool(y)): x == y
        case let (.int(x), .int(y)): x == y
        case let (.double(x), .double(y)): x == y
        case let (.string(x), .string(y)): x == y
        case let (.array(x), .array(y)): x == y
        case let (.object(x), .object(y)):
            x.count == y.count && zip(x, y).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: false
        }
    }

    /// The member `key` of an object (the last one if repeated), else nil.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.last(where: { $0.key == key })?.value
    }

    /// The JSON type's name as an error detail says it: "a string", "an array" …
    public var kindDescription: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .int, .double: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

/// RFC 6901 JSON Pointers: building them from segments and comparing them for ordering.
public enum JSONPointer {
    /// Escapes one reference token: `~` → `~0`, `/` → `~1`.
    public static func escape(_ token: String) -> String {
        guard token.utf8.contains(where: { $0 == UInt8(ascii: "~") || $0 == UInt8(ascii: "/") }) else { return token }
        var out = ""
        for ch in token {
            switch ch {
            case "~": out += "~0"
            case "/": out += "~1"
            default: out.append(ch)
            }
        }
        return out
    }

    /// `/a/0/b` from segments already escaped or numeric.
    public static func join(_ segments: [String]) -> String {
        segments.isEmpty ? "" : "/" + segments.joined(separator: "/")
    }

    /// Orders pointers segment by segment, numerically where both segments are numbers,
    /// so `/serviceLines/2` comes before `/serviceLines/10`; a prefix comes first.
    public static func precedes(_ a: String, _ b: String) -> Bool {
        let sa = a.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
        let sb = b.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
        for (x, y) in zip(sa, sb) {
            if x.elementsEqual(y) { continue }
            if let nx = number(x), let ny = number(y) { return nx < ny }
            return x.lexicographicallyPrecedes(y)
        }
        return sa.count < sb.count
    }

    private static func number(_ s: Substring.UTF8View) -> Int? {
        guard !s.isEmpty, s.count <= 18 else { return nil }
        var v = 0
        for b in s {
            guard b >= 48, b <= 57 else { return nil }
            v = v * 10 + Int(b - 48)
        }
        return v
    }
}
