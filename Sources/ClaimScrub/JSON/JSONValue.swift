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
        // Walks both pointers' bytes segment by segment in place: the result sort calls this
        // for every pair it compares, so it must not split into arrays.
        var a = a, b = b
        return a.withUTF8 { pa in
            b.withUTF8 { pb in
                // The segments before the one holding the first differing byte are equal: the walk
                // starts at that segment (most pairs differ in one index, late in the pointer).
                let common = min(pa.count, pb.count)
                var first = 0
                while first < common && pa[first] == pb[first] { first += 1 }
                while first > 0 && pa[first - 1] != UInt8(ascii: "/") { first -= 1 }
                var ia = first, ib = first
                while true {
                    let ea = segmentEnd(pa, from: ia), eb = segmentEnd(pb, from: ib)
                    let x = UnsafeBufferPointer(rebasing: pa[ia..<ea]), y = UnsafeBufferPointer(rebasing: pb[ib..<eb])
                    if !(x.count == y.count && x.indices.allSatisfy({ x[$0] == y[$0] })) {
                        if let nx = number(x), let ny = number(y) { return nx < ny }
                        return x.lexicographicallyPrecedes(y)
                    }
                    let moreA = ea < pa.count, moreB = eb < pb.count
                    if !moreA || !moreB { return !moreA && moreB }
                    ia = ea + 1
                    ib = eb + 1
                }
            }
        }
    }

    private static func segmentEnd(_ p: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var i = start
        while i < p.count && p[i] != UInt8(ascii: "/") { i += 1 }
        return i
    }

    private static func number(_ s: UnsafeBufferPointer<UInt8>) -> Int? {
        guard !s.isEmpty, s.count <= 18 else { return nil }
        var v = 0
        for b in s {
            guard b >= 48, b <= 57 else { return nil }
            v = v * 10 + Int(b - 48)
        }
        return v
    }
}
