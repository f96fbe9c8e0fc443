import ClaimScrub
import Dispatch
import HTTPServer
import Logging
import Synchronization

/// The claimscrub HTTP API (API.md §1): routes, API-key auth, request ids, metrics and
/// one log line per request. Hand it to the HTTP server as its handler, or call
/// `handle` directly in tests.
public final class ClaimScrubService: HTTPHandler, Sendable {
    public let router: Router
    private let apiKeys: APIKeyStore?
    private let exemptPaths: Set<String>
    let metrics: ServiceMetrics
    let logger: Logger
    private let clock: @Sendable () -> UInt64
    /// The logger's handler when it can write request lines itself (see `JSONLogHandler.logRequest`);
    /// nil when the logger has another handler, metadata to merge, or info lines turned off.
    private let directLog: JSONLogHandler?

    /// - Parameters:
    ///   - apiKeys: nil turns authentication off; otherwise every path but `exemptPaths`
    ///     needs `Authorization: Bearer <key>` with a key in the store.
    ///   - isDraining: asked by `/readyz`; the server says when it is shutting down.
    ///   - clock: monotonic nanoseconds, for request durations.
    public init(
        engine: any ClaimScrubbing,
        apiKeys: APIKeyStore? = nil,
        exemptPaths: [String] = ServiceConfiguration.Auth().exemptPaths,
        metrics: ServiceMetrics,
        logger: Logger,
        isDraining: @escaping @Sendable () -> Bool = { false },
        openAPIDocument: [UInt8] = Array(OpenAPIDocument.json.utf8),
        clock: @escaping @Sendable () -> UInt64 = { DispatchTime.now().uptimeNanoseconds }
    ) {
        self.apiKeys = apiKeys
        self.exemptPaths = Set(exemptPaths)
        self.metrics = metrics
        self.logger = logger
        self.clock = clock
        if logger.logLevel <= .info, let handler = logger.handler as? JSONLogHandler, handler.writesRequestLinesDirectly {
            directLog = handler
        } else {
            directLog = nil
        }
        self.router = Routes.make(
            engine: engine, metrics: metrics, isDraining: isDraining, openAPIDocument: openAPIDocument)
    }

    public func handle(_ request: HTTPRequest) -> HTTPResponse {
        let start = clock()
        let requestID = RequestID.resolve(request.headers["X-Request-Id"])
        let match = router.match(method: request.method, path: request.path)
        let routeLabel: String
        switch match {
        case .found(let route, _, _), .methodNotAllowed(let route, _): routeLabel = route
        case .notFound: routeLabel = "unmatched"
        }

        var keyName: String?
        var response: HTTPResponse
        switch authenticate(request) {
        case .failure(let failure):
            response = failure.response
        case .success(let name):
            keyName = name
            switch match {
            case .found(let route, let parameters, let handler):
                response = handler(RoutedRequest(http: request, route: route, parameters: parameters, requestID: requestID))
            case .methodNotAllowed(_, let allow):
                var headers = HTTPHeaders()
                headers.set("Allow", allow.joined(separator: ", "))
                response = ProblemDocument(status: 405, detail: "This resource answers \(allow.joined(separator: ", ")).")
                    .response(headers: headers)
            case .notFound:
                response = ProblemDocument(status: 404, detail: "No resource at this path; see /openapi.json.").response()
            }
        }
        response.headers.set("X-Request-Id", requestID)
        finish(
            request, route: routeLabel, requestID: requestID, start: start, keyName: keyName,
            exchange: StreamedExchange(status: response.status, bytesIn: request.body.count, bytesOut: response.body.count))
        return response
    }

    /// Bodies up to this size are handled on the connection's event loop (no hop to a handler
    /// thread). Every other connection on that loop waits meanwhile, so the bound is on time:
    /// a typical 1–2 KB claim takes ~30 µs, the 50-line worst case (8 KB) ~300 µs, a 16 KB
    /// claim of 112 such lines under 1 ms (64 KB, 458 lines: ~3 ms, too long to hold a loop;
    /// release build). Larger bodies (up to the 1 MiB limit), the large OpenAPI document
    /// (compressed on the way out) and a buffered batch go to the handler pool.
    static let inlineBodyLimit = 16 * 1024

    public func runsInline(_ request: HTTPRequest) -> Bool {
        guard request.body.count <= Self.inlineBodyLimit else { return false }
        let path = request.path
        return path != "/openapi.json" && path != "/v1/scrub/batch"
    }

    /// A route registered with a streaming handler is streamed (authentication is its first step).
    public func streamingHandler(for head: HTTPRequest) -> (any HTTPStreamingHandler)? {
        guard router.mayStream(method: head.method, path: head.path),
              case .found(let route, let parameters, _) = router.match(method: head.method, path: head.path),
              let handler = router.streamingHandler(method: head.method, template: route)
        else { return nil }
        return StreamedRoute(service: self, route: route, parameters: parameters, handler: handler)
    }

    struct StreamedRoute: HTTPStreamingHandler {
        let service: ClaimScrubService
        let route: String
        let parameters: [String: String]
        let handler: StreamingRouteHandler

        func handle(head: HTTPRequest, body: HTTPBodyReader, response: HTTPResponseWriter) {
            let start = service.clock()
            let requestID = RequestID.resolve(head.headers["X-Request-Id"])
            var keyName: String?
            let exchange: StreamedExchange
            switch service.authenticate(head) {
            case .failure(let failure):
                var answer = failure.response
                answer.headers.set("X-Request-Id", requestID)
                try? response.respond(answer)
                exchange = StreamedExchange(status: answer.status, bytesOut: answer.body.count)
            case .success(let name):
                keyName = name
                exchange = handler(RoutedRequest(http: head, route: route, parameters: parameters, requestID: requestID), body, response)
            }
            service.finish(head, route: route, requestID: requestID, start: start, keyName: keyName, exchange: exchange)
        }
    }

    /// Metrics and the one log line of a request.
    private func finish(
        _ request: HTTPRequest, route: String, requestID: String, start: UInt64, keyName: String?, exchange: StreamedExchange
    ) {
        let seconds = Double(clock() &- start) / 1e9
        metrics.recordRequest(route: route, method: request.method, status: exchange.status, durationSeconds: seconds)
        logRequest(RequestLogLine(
            requestID: requestID, method: request.method, route: route, status: exchange.status, durationSeconds: seconds,
            bytesIn: exchange.bytesIn, bytesOut: exchange.bytesOut, remote: request.remoteAddress, apiKey: keyName,
            clientSubject: request.clientSubject, extra: exchange.logFields))
    }

    func logRequest(_ line: RequestLogLine) {
        if let directLog, line.extra.isEmpty {
            directLog.logRequest(line)
        } else {
            logger.info("request", metadata: line.metadata)
        }
    }

    /// The key's name on success (nil when none was needed); a 401 problem otherwise.
    private func authenticate(_ request: HTTPRequest) -> Result<String?, AuthFailure> {
        guard let apiKeys, !exemptPaths.contains(request.path) else { return .success(nil) }
        let values = request.headers.values("Authorization")
        guard values.count == 1, let token = Self.bearerToken(values[0]) else {
            return .failure(AuthFailure(Self.unauthorized(
                detail: "Send an API key as `Authorization: Bearer <key>`.", challenge: "Bearer realm=\"claimscrub\"")))
        }
        guard let name = apiKeys.authenticate(token: token) else {
            return .failure(AuthFailure(Self.unauthorized(
                detail: "The API key is not valid.", challenge: "Bearer realm=\"claimscrub\", error=\"invalid_token\"")))
        }
        return .success(name)
    }

    private struct AuthFailure: Error { var response: HTTPResponse; init(_ r: HTTPResponse) { response = r } }

    private static func unauthorized(detail: String, challenge: String) -> HTTPResponse {
        var headers = HTTPHeaders()
        headers.set("WWW-Authenticate", challenge)
        return ProblemDocument(type: ProblemDocument.typeURI("unauthorized"), title: "Unauthorized", status: 401, detail: detail).response(headers: headers)
    }

    /// `Bearer <token>`: the scheme case-insensitive (RFC 9110 §11.1), one token of visible characters.
    static func bearerToken(_ value: String) -> String? {
        let parts = value.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = String(parts[1])
        guard token.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { return nil }
        return token
    }

    /// `12.345`: whole milliseconds, a dot, three digits of microseconds.
    static func milliseconds(_ seconds: Double) -> String {
        let micros = Int((seconds * 1_000_000).rounded())
        guard micros >= 0, micros < 1_000_000_000_000 else {
            let fraction = String(micros % 1000)
            return "\(micros / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
        }
        // Written into the string's storage (at most 13 bytes, within a small string: no allocation;
        // the interpolation and padding made several strings per request).
        return String(unsafeUninitializedCapacity: 15) { out in
            var digits = 1, scale = 1
            while micros / 1000 >= scale * 10 { scale *= 10; digits += 1 }
            var whole = micros / 1000
            for k in stride(from: digits - 1, through: 0, by: -1) {
                out[k] = UInt8(ascii: "0") + UInt8(whole % 10)
                whole /= 10
            }
            let fraction = micros % 1000
            out[digits] = UInt8(ascii: ".")
            out[digits + 1] = UInt8(ascii: "0") + UInt8(fraction / 100)
            out[digits + 2] = UInt8(ascii: "0") + UInt8(fraction / 10 % 10)
            out[digits + 3] = UInt8(ascii: "0") + UInt8(fraction % 10)
            return digits + 4
        }
    }
}


/// Request ids: the client's `X-Request-Id` when it is a sane token, else a fresh one.
public enum RequestID {
    /// Up to 128 characters of `[A-Za-z0-9._-]`; anything else is replaced, not trusted
    /// into logs.
    public static func resolve(_ offered: String?) -> String {
        if let offered, isAcceptable(offered) { return offered }
        return generate()
    }

    public static func isAcceptable(_ value: String) -> Bool {
        guard !value.isEmpty, value.utf8.count <= 128 else { return false }
        return value.utf8.allSatisfy { b in
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
                || b == UInt8(ascii: ".") || b == UInt8(ascii: "_") || b == UInt8(ascii: "-")
        }
    }

    /// 32 lowercase hex digits, written straight into the string's storage: a process-wide
    /// counter through a bijective mixer under two seeds drawn once from the system generator.
    /// Unique within the process (the mixer never maps two counts to one value), unrelated
    /// across processes, and no `getrandom` per request (that was 2 % of a request's CPU).
    /// An id is a correlation handle, not a secret.
    public static func generate() -> String {
        let count = counter.add(1, ordering: .relaxed).newValue
        let high = mix(seeds.high &+ count), low = mix(seeds.low &+ count &* 0x9E37_79B9_7F4A_7C15)
        return String(unsafeUninitializedCapacity: 32) { out in
            let digits: StaticString = "0123456789abcdef"
            for i in 0..<16 {
                let word = i < 8 ? high : low
                let byte = UInt8(truncatingIfNeeded: word >> (UInt64(7 - i % 8) * 8))
                out[i * 2] = digits.utf8Start[Int(byte >> 4)]
                out[i * 2 + 1] = digits.utf8Start[Int(byte & 0x0F)]
            }
            return 32
        }
    }

    private static let counter = Atomic<UInt64>(0)
    private static let seeds: (high: UInt64, low: UInt64) = {
        var rng = SystemRandomNumberGenerator()
        return (rng.next(), rng.next())
    }()

    /// SplitMix64's finalizer: a bijection on 64 bits that spreads each input bit over the output.
    private static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
