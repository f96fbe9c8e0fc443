/// Header fields in the order received. Names compare case-insensitively; values are
/// kept as sent (after the parser has rejected anything RFC 9112 forbids).
public struct HTTPHeaders: Sendable, Sequence {
    public private(set) var fields: [(name: String, value: String)]

    public init(_ fields: [(name: String, value: String)] = []) { self.fields = fields }

    public mutating func add(_ name: String, _ value: String) { fields.append((name, value)) }

    /// Replaces every field of that name with one.
    public mutating func set(_ name: String, _ value: String) {
        fields.removeAll { Self.sameName($0.name, name) }
        fields.append((name, value))
    }

    public mutating func remove(_ name: String) {
        fields.removeAll { Self.sameName($0.name, name) }
    }

    /// The first value of a field, or nil.
    public subscript(_ name: String) -> String? {
        fields.first { Self.sameName($0.name, name) }?.value
    }

    /// Every value of a field, in order.
    public func values(_ name: String) -> [String] {
        fields.filter { Self.sameName($0.name, name) }.map(\.value)
    }

    /// Field names are tokens (ASCII), so they compare with ASCII case folding, byte by byte:
    /// no lowercased copy per field per lookup (that was ~1.5 % of a request's CPU).
    static func sameName(_ a: String, _ b: String) -> Bool {
        let x = a.utf8, y = b.utf8
        guard x.count == y.count else { return false }
        // Over both strings' bytes in place (iterating the two UTF-8 views in step was ~1 %
        // of a request's CPU: lookups, framing fields, response checks).
        let compared = x.withContiguousStorageIfAvailable { p in
            y.withContiguousStorageIfAvailable { q in sameName(p, q) }
        }
        if let compared, let compared { return compared }
        return Array(x).withUnsafeBufferPointer { p in Array(y).withUnsafeBufferPointer { q in sameName(p, q) } }
    }

    /// Equal lengths (checked by the caller).
    private static func sameName(_ x: UnsafeBufferPointer<UInt8>, _ y: UnsafeBufferPointer<UInt8>) -> Bool {
        for i in 0..<x.count where x[i] != y[i] {
            guard x[i] | 0x20 == y[i] | 0x20, (0x61...0x7A).contains(x[i] | 0x20) else { return false }
        }
        return true
    }

    public func makeIterator() -> IndexingIterator<[(name: String, value: String)]> { fields.makeIterator() }
}

public enum HTTPVersion: Sendable, Equatable {
    case http1_0, http1_1
    public var text: String { self == .http1_0 ? "HTTP/1.0" : "HTTP/1.1" }
}

/// A complete request as handed to a handler: the body already read (and bounded by
/// the server's limit).
public struct HTTPRequest: Sendable {
    public var method: String
    /// The request target as sent (`/v1/codes/icd10cm/M54.6?date=2026-01-05`).
    public var target: String {
        didSet { path = Self.path(of: target) }
    }
    /// The path without the query (`/v1/codes/icd10cm/M54.6`), also for an absolute-form
    /// target (`http://host/v1/rules` → `/v1/rules`). Worked out once per target: routing,
    /// authentication and the log line each read it.
    public private(set) var path: String
    public var version: HTTPVersion
    public var headers: HTTPHeaders
    public var body: [UInt8]
    /// The peer address, for logs (`127.0.0.1:53422`).
    public var remoteAddress: String
    /// The verified client-certificate subject under mTLS, for logs.
    public var clientSubject: String?

    public init(
        method: String, target: String, version: HTTPVersion = .http1_1, headers: HTTPHeaders = HTTPHeaders(),
        body: [UInt8] = [], remoteAddress: String = "", clientSubject: String? = nil
    ) {
        self.method = method
        self.target = target
        self.path = Self.path(of: target)
        self.version = version
        self.headers = headers
        self.body = body
        self.remoteAddress = remoteAddress
        self.clientSubject = clientSubject
    }

    private static func path(of target: String) -> String {
        // The usual origin form without a query is its own path.
        if target.utf8.first == UInt8(ascii: "/") && !target.utf8.contains(UInt8(ascii: "?")) { return target }
        var rest = Substring(target)
        if !rest.hasPrefix("/"), let scheme = rest.firstRange(of: "://") {
            rest = rest[scheme.upperBound...]
            let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
            rest = authorityEnd < rest.endIndex && rest[authorityEnd] == "/" ? rest[authorityEnd...] : "/"
        }
        if let q = rest.firstIndex(of: "?") { return String(rest[..<q]) }
        return String(rest)
    }

    /// The raw query string after `?`, if any.
    public var query: String? {
        guard let q = target.firstIndex(of: "?") else { return nil }
        return String(target[target.index(after: q)...])
    }
}

public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: [UInt8]

    public init(status: Int, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// What the server calls for every well-formed request. Called on a handler thread, off
/// the connection's event loop, unless `runsInline` asks otherwise; may block briefly (CPU
/// work), must be thread-safe. Errors the server itself
/// detects (parse errors, limits, timeouts) never reach the handler: the server
/// answers them with `HTTPResponse.problem(status:title:detail:)`.
public protocol HTTPHandler: Sendable {
    func handle(_ request: HTTPRequest) -> HTTPResponse
    /// Asked once a request's head is complete (its `body` empty): a handler that reads the
    /// body and writes the response as streams, or nil (the default) for `handle`.
    func streamingHandler(for head: HTTPRequest) -> (any HTTPStreamingHandler)?
    /// True to run `handle` for this request on the connection's event-loop thread instead
    /// of a handler-pool thread, saving two thread hops. Only for work that is CPU-bound and
    /// short (well under a millisecond or so): every other connection on that loop waits
    /// meanwhile. Default false.
    func runsInline(_ request: HTTPRequest) -> Bool
}

extension HTTPHandler {
    /// Every request goes to the handler pool unless a handler says otherwise.
    public func runsInline(_ request: HTTPRequest) -> Bool { false }
}

extension HTTPHeaders: Equatable {
    /// Same fields in the same order; names case-insensitively, values exactly.
    public static func == (lhs: HTTPHeaders, rhs: HTTPHeaders) -> Bool {
        lhs.fields.count == rhs.fields.count
            && zip(lhs.fields, rhs.fields).allSatisfy { sameName($0.name, $1.name) && $0.value == $1.value }
    }
}

extension HTTPResponse {
    /// An RFC 9457 problem (`application/problem+json`, `type: about:blank`). The server uses it
    /// for every error it detects itself; routes may use it too. Pass fixed text as `detail`:
    /// never request data.
    public static func problem(status: Int, title: String? = nil, detail: String) -> HTTPResponse {
        let title = title ?? HTTPResponse.reasonPhrase(status)
        let json = "{\"type\":\"about:blank\",\"title\":\(jsonString(title)),\"status\":\(status),\"detail\":\(jsonString(detail))}"
        var headers = HTTPHeaders()
        headers.add("Content-Type", "application/problem+json")
        return HTTPResponse(status: status, headers: headers, body: Array(json.utf8))
    }
}

/// A JSON string literal with the escapes RFC 8259 requires.
func jsonString(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case _ where scalar.value < 0x20:
            out += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count) + String(scalar.value, radix: 16)
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out + "\""
}
