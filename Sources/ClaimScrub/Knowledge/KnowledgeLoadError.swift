import Yams

/// A Config file the clinical rule pack cannot use. The message names the file, the line
/// or key, and what was expected, so an operator can fix it without reading code.
public struct KnowledgeLoadError: Error, Equatable, CustomStringConvertible {
    public var file: String
    /// 1-based line, when known.
    public var line: Int?
    /// The key path inside the file (`procedures.97110.kind`), when known.
    public var key: String?
    public var expected: String

    public init(file: String, line: Int? = nil, key: String? = nil, expected: String) {
        self.file = file
        self.line = line
        self.key = key
        self.expected = expected
    }

    public var description: String {
        var location = file
        if let line { location += ":\(line)" }
        if let key { location += " (\(key))" }
        return "\(location): expected \(expected)"
    }
}

/// A YAML node with the file and key path it came from, so every accessor can throw a
/// `KnowledgeLoadError` that points at the offending place.
struct YAMLCursor {
    let node: Node
    let file: String
    let key: String

    static func root(yaml: String, file: String) throws -> YAMLCursor {
        let node: Node?
        do {
            node = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw KnowledgeLoadError(file: file, line: error.line, expected: "well-formed YAML (\(error.problem))")
        }
        guard let node else { throw KnowledgeLoadError(file: file, line: 1, expected: "a YAML document") }
        return YAMLCursor(node: node, file: file, key: "")
    }

    var line: Int? { node.mark.map { $0.line } }

    func fail(_ expected: String) -> KnowledgeLoadError {
        KnowledgeLoadError(file: file, line: line, key: key.isEmpty ? nil : key, expected: expected)
    }

    private func child(_ node: Node, _ name: String) -> YAMLCursor {
        YAMLCursor(node: node, file: file, key: key.isEmpty ? name : key + "." + name)
    }

    /// Ordered key/value pairs of a mapping.
    func mapping() throws -> [(String, YAMLCursor)] {
        guard case .mapping(let m) = node else { throw fail("a mapping") }
        return try m.map { pair in
            guard let k = pair.key.string else { throw child(pair.key, "?").fail("a string key") }
            return (k, child(pair.value, k))
        }
    }

    func optional(_ name: String) throws -> YAMLCursor? {
        guard case .mapping(let m) = node else { throw fail("a mapping") }
        return m[Node(name)].map { child($0, name) }
    }

    func required(_ name: String) throws -> YAMLCursor {
        guard let c = try optional(name) else { throw fail("a key `\(name)`") }
        return c
    }

    func sequence() throws -> [YAMLCursor] {
        guard case .sequence(let s) = node else { throw fail("a list") }
        return s.enumerated().map { child($0.element, String($0.offset)) }
    }

    func string() throws -> String {
        guard case .scalar(let s) = node, !s.string.isEmpty else { throw fail("a non-empty text value") }
        return s.string
    }

    func int() throws -> Int {
        guard case .scalar(let s) = node, let v = Int(s.string) else { throw fail("a whole number") }
        return v
    }

    func strings() throws -> [String] {
        try sequence().map { try $0.string() }
    }

    /// A mapping whose keys must all be among `allowed` (catches typos like `kinds:`).
    func checkKeys(_ allowed: Set<String>) throws {
        for (k, c) in try mapping() where !allowed.contains(k) {
            throw c.fail("one of the keys \(allowed.sorted().joined(separator: ", ")), not `\(k)`")
        }
    }
}

extension YamlError {
    /// The parser's own words, without the echoed document.
    var problem: String {
        switch self {
        case .scanner(_, let problem, _, _), .parser(_, let problem, _, _), .composer(_, let problem, _, _): problem
        case .duplicatedKeysInMapping(let duplicates, _): "duplicate keys \(duplicates.joined(separator: ", "))"
        default: "unreadable"
        }
    }

    /// The 1-based line of a parser/scanner error, when Yams reports one.
    var line: Int? {
        switch self {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _):
            return mark.line
        default:
            return nil
        }
    }
}
