import HTTPServer

/// A request as a route handler sees it: the HTTP request plus what routing learned.
public struct RoutedRequest: Sendable {
    public var http: HTTPRequest
    /// The matched template (`/v1/codes/icd10cm/{code}`), the metrics and log label.
    public var route: String
    /// Values of the template's `{name}` segments, percent-decoded; absent when the
    /// segment has a malformed escape.
    public var parameters: [String: String]
    public var requestID: String

    public init(http: HTTPRequest, route: String, parameters: [String: String] = [:], requestID: String = "") {
        self.http = http
        self.route = route
        self.parameters = parameters
        self.requestID = requestID
    }
}

public typealias RouteHandler = @Sendable (RoutedRequest) -> HTTPResponse

/// A route that reads its body and writes its response as streams (HTTPStreamingHandler).
public typealias StreamingRouteHandler = @Sendable (RoutedRequest, HTTPBodyReader, HTTPResponseWriter) -> StreamedExchange

/// What a streaming route reports for the request log and metrics once it is done.
public struct StreamedExchange: Sendable {
    public var status: Int
    /// Decoded request body bytes read.
    public var bytesIn: Int
    /// Response body bytes written.
    public var bytesOut: Int
    /// Extra members of the request's log line (counts, never request data).
    public var logFields: [String: String]

    public init(status: Int, bytesIn: Int = 0, bytesOut: Int = 0, logFields: [String: String] = [:]) {
        self.status = status
        self.bytesIn = bytesIn
        self.bytesOut = bytesOut
        self.logFields = logFields
    }
}

/// Method + path template → handler. Templates are literal segments and `{name}`
/// segments that match exactly one non-empty segment.
public struct Router: Sendable {
    struct Route: Sendable {
        var method: String
        var template: String
        var segments: [Segment]
        var handler: RouteHandler
    }

    enum Segment: Sendable, Equatable {
        case literal(String)
        case parameter(String)

        var isParameter: Bool { if case .parameter = self { true } else { false } }
    }

    public enum Match: Sendable {
        case found(route: String, parameters: [String: String], handler: RouteHandler)
        /// The path is known but not for this method; `allow` lists the methods that are.
        case methodNotAllowed(route: String, allow: [String])
        case notFound
    }

    private var routes: [Route] = []
    private var streamingRoutes: [String: StreamingRouteHandler] = [:]

    public init() {}

    public mutating func add(_ method: String, _ template: String, _ handler: @escaping RouteHandler) {
        let segments = Self.split(template).map { s -> Segment in
            if s.hasPrefix("{") && s.hasSuffix("}") { return .parameter(String(s.dropFirst().dropLast())) }
            return .literal(String(s))
        }
        routes.append(Route(method: method, template: template, segments: segments, handler: handler))
        literalBinders = [:]
        for path in Set(routes.filter { !$0.segments.contains(where: \.isParameter) }.map(\.template)) {
            let parts = Self.split(path)
            let binders = routes.indices.filter { Self.bind(routes[$0].segments, to: parts) != nil }
            if binders.allSatisfy({ !routes[$0].segments.contains(where: \.isParameter) }) { literalBinders[path] = binders }
        }
    }

    /// For each literal template bound by literal routes only: those routes, in registration
    /// order. `match` on such a path (every request to `/v1/scrub`) walks these instead of
    /// splitting the path and trying every route.
    private var literalBinders: [String: [Int]] = [:]

    /// A route the server streams (`streaming`); `buffered` answers the same request when it
    /// arrives whole (in-memory tests, or a server without streaming).
    public mutating func add(
        _ method: String, _ template: String, buffered: @escaping RouteHandler, streaming: @escaping StreamingRouteHandler
    ) {
        add(method, template, buffered)
        streamingRoutes[method + " " + template] = streaming
        if template.contains("{") {
            streamingTemplateHasParameters = true
        } else {
            streamingPaths[method, default: []].insert(template)
            if method == "GET" { streamingPaths["HEAD", default: []].insert(template) }
        }
    }

    /// Literal streaming templates by method, and whether any template has a parameter.
    private var streamingPaths: [String: Set<String>] = [:]
    private var streamingTemplateHasParameters = false

    /// False when no streaming route can match the request: asked for every request head,
    /// it spares the full `match` (a path split and a walk of every route) for all the others.
    public func mayStream(method: String, path: String) -> Bool {
        if streamingTemplateHasParameters { return true }
        return streamingPaths[method]?.contains(path) ?? false
    }

    /// The streaming handler of a matched route, if it has one.
    public func streamingHandler(method: String, template: String) -> StreamingRouteHandler? {
        streamingRoutes[method + " " + template]
    }

    /// Every (method, template) registered, in order: for the OpenAPI document's test.
    public var registered: [(method: String, template: String)] { routes.map { ($0.method, $0.template) } }

    /// HEAD is answered by the GET route (the server drops the body).
    public func match(method: String, path: String) -> Match {
        if let binders = literalBinders[path] {
            return match(method: method, parts: nil, candidates: binders)
        }
        return match(method: method, parts: Self.split(path), candidates: routes.indices)
    }

    /// `parts` nil: every candidate binds the path, without parameters (a literal path).
    private func match(method: String, parts: [Substring]?, candidates: some Sequence<Int>) -> Match {
        var allowed: [String] = []
        var knownTemplate: String?
        for index in candidates {
            let route = routes[index]
            let bound = parts.map { Self.bind(route.segments, to: $0) } ?? [:]
            guard let parameters = bound else { continue }
            if route.method == method || (method == "HEAD" && route.method == "GET") {
                return .found(route: route.template, parameters: parameters, handler: route.handler)
            }
            knownTemplate = knownTemplate ?? route.template
            allowed.append(route.method)
            if route.method == "GET" { allowed.append("HEAD") }
        }
        guard let knownTemplate else { return .notFound }
        var seen = Set<String>()
        return .methodNotAllowed(route: knownTemplate, allow: allowed.filter { seen.insert($0).inserted })
    }

    private static func split(_ path: String) -> [Substring] {
        // Leading slash dropped; empty segments kept so `/healthz/` does not match `/healthz`.
        guard path.hasPrefix("/") else { return [Substring(path)] }
        return path.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
    }

    private static func bind(_ segments: [Segment], to parts: [Substring]) -> [String: String]? {
        guard segments.count == parts.count else { return nil }
        var parameters: [String: String] = [:]
        for (segment, part) in zip(segments, parts) {
            switch segment {
            case .literal(let l):
                guard part == l else { return nil }
            case .parameter(let name):
                guard !part.isEmpty else { return nil }
                // A bad escape still matches the route (the handler answers 400, not 404);
                // the parameter is then absent.
                if let decoded = PercentDecoding.decode(part) { parameters[name] = decoded }
            }
        }
        return parameters
    }
}

enum PercentDecoding {
    /// Decodes `%XX` escapes (and `+` as space when `plusIsSpace`); nil for a bad escape
    /// or bytes that are not UTF-8.
    static func decode(_ s: some StringProtocol, plusIsSpace: Bool = false) -> String? {
        var out: [UInt8] = []
        let bytes = Array(s.utf8)
        var i = 0
        func hex(_ b: UInt8) -> UInt8? {
            switch b {
            case 48...57: b - 48
            case 65...70: b - 55
            case 97...102: b - 87
            default: nil
            }
        }
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "%") {
                guard i + 2 < bytes.count, let h = hex(bytes[i + 1]), let l = hex(bytes[i + 2]) else { return nil }
                out.append(h << 4 | l)
                i += 3
            } else {
                out.append(plusIsSpace && b == UInt8(ascii: "+") ? UInt8(ascii: " ") : b)
                i += 1
            }
        }
        return String(validating: out, as: UTF8.self)
    }

    /// `a=1&b=2` → first value of each name.
    static func query(_ query: String?) -> [String: String]? {
        guard let query, !query.isEmpty else { return [:] }
        var out: [String: String] = [:]
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = decode(kv[0], plusIsSpace: true),
                  let value = decode(kv.count > 1 ? kv[1] : "", plusIsSpace: true) else { return nil }
            if out[name] == nil { out[name] = value }
        }
        return out
    }
}
