import Foundation

/// The service's Prometheus metrics (text exposition format 0.0.4). A small registry
/// of our own: the set of series is fixed and known, so a general client library would
/// add nothing but a dependency.
public final class ServiceMetrics: @unchecked Sendable {
    /// Seconds; the upper bounds of the request-duration histogram (`+Inf` is implied).
    public static let durationBuckets: [Double] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    /// Methods counted under their own name; anything else is `other`, so a client
    /// cannot create series at will.
    static let knownMethods: Set<String> = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"]

    public struct BuildInfo: Sendable, Equatable {
        public var version: String
        public var rulesVersion: String
        public var codeSet: String
        public init(version: String, rulesVersion: String, codeSet: String) {
            self.version = version
            self.rulesVersion = rulesVersion
            self.codeSet = codeSet
        }
    }

    private struct RequestKey: Hashable { var route: String; var method: String; var status: Int }
    private struct Histogram {
        var counts = [UInt64](repeating: 0, count: ServiceMetrics.durationBuckets.count)
        var sum = 0.0
        var count: UInt64 = 0

        /// Cumulative buckets are formed at exposition; here each sample counts once.
        mutating func record(_ seconds: Double) {
            if let i = ServiceMetrics.durationBuckets.firstIndex(where: { seconds <= $0 }) { counts[i] += 1 }
            sum += seconds
            count += 1
        }
    }

    private let lock = NSLock()
    private var requests: [RequestKey: UInt64] = [:]
    private var durations: [String: Histogram] = [:]
    private var findings: [String: UInt64] = [:]
    private var claims: [String: UInt64] = [:]
    private let buildInfo: BuildInfo
    private var openConnections: @Sendable () -> Int

    /// `openConnections` is read at scrape time; the server side owns the number.
    public init(buildInfo: BuildInfo, openConnections: @escaping @Sendable () -> Int = { 0 }) {
        self.buildInfo = buildInfo
        self.openConnections = openConnections
    }

    /// Binds the gauge once the server exists (it is built after its handler, which holds this registry).
    public func setOpenConnectionsSource(_ source: @escaping @Sendable () -> Int) {
        lock.lock()
        defer { lock.unlock() }
        openConnections = source
    }

    /// `route` must be a route template or a fixed label, never a raw path.
    public func recordRequest(route: String, method: String, status: Int, durationSeconds: Double) {
        let method = Self.knownMethods.contains(method) ? method : "other"
        lock.lock()
        defer { lock.unlock() }
        requests[RequestKey(route: route, method: method, status: status), default: 0] += 1
        // Updated in place: copying the histogram out and back copied its bucket array on
        // every request (the dictionary still held the old one).
        durations[route, default: Histogram()].record(durationSeconds)
    }

    public func recordClaim(status: String, findingRules: [String]) {
        lock.lock()
        defer { lock.unlock() }
        claims[status, default: 0] += 1
        for rule in findingRules { findings[rule, default: 0] += 1 }
    }

    /// The exposition text served by `GET /metrics`.
    public func exposition() -> String {
        lock.lock()
        let source = openConnections
        lock.unlock()
        let connections = source()
        lock.lock()
        let requests = self.requests, durations = self.durations, findings = self.findings, claims = self.claims
        lock.unlock()

        var out = ""
        func header(_ name: String, _ type: String, _ help: String) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
        }
        func sample(_ name: String, _ labels: [(String, String)], _ value: String) {
            out += name
            if !labels.isEmpty {
                out += "{" + labels.map { "\($0.0)=\"\(Self.escapeLabel($0.1))\"" }.joined(separator: ",") + "}"
            }
            out += " \(value)\n"
        }

        header("claimscrub_build_info", "gauge", "Build and data versions; always 1.")
        sample(
            "claimscrub_build_info",
            [("version", buildInfo.version), ("rules_version", buildInfo.rulesVersion), ("codeset", buildInfo.codeSet)],
            "1")

        header("claimscrub_http_requests_total", "counter", "HTTP requests answered, by route template (unmatched: unknown path; rejected: answered by the server itself), method and status.")
        for (key, n) in requests.sorted(by: { ($0.key.route, $0.key.method, $0.key.status) < ($1.key.route, $1.key.method, $1.key.status) }) {
            sample("claimscrub_http_requests_total", [("route", key.route), ("method", key.method), ("status", String(key.status))], String(n))
        }

        header("claimscrub_http_request_duration_seconds", "histogram", "Time from request to response, by route template.")
        for (route, h) in durations.sorted(by: { $0.key < $1.key }) {
            var cumulative: UInt64 = 0
            for (i, bound) in Self.durationBuckets.enumerated() {
                cumulative += h.counts[i]
                sample("claimscrub_http_request_duration_seconds_bucket", [("route", route), ("le", Self.format(bound))], String(cumulative))
            }
            sample("claimscrub_http_request_duration_seconds_bucket", [("route", route), ("le", "+Inf")], String(h.count))
            sample("claimscrub_http_request_duration_seconds_sum", [("route", route)], Self.format(h.sum))
            sample("claimscrub_http_request_duration_seconds_count", [("route", route)], String(h.count))
        }

        header("claimscrub_claims_total", "counter", "Claims scrubbed, by result status.")
        for (status, n) in claims.sorted(by: { $0.key < $1.key }) {
            sample("claimscrub_claims_total", [("status", status)], String(n))
        }

        header("claimscrub_findings_total", "counter", "Findings reported, by rule id.")
        for (rule, n) in findings.sorted(by: { $0.key < $1.key }) {
            sample("claimscrub_findings_total", [("rule", rule)], String(n))
        }

        header("claimscrub_open_connections", "gauge", "Client connections currently open.")
        sample("claimscrub_open_connections", [], String(connections))
        return out
    }

    static func escapeLabel(_ value: String) -> String {
        var out = ""
        for c in value {
            switch c {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.append(c)
            }
        }
        return out
    }

    /// Plain decimal where Swift would print an exponent, which some scrapers dislike.
    static func format(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        let text = String(value)
        guard text.contains("e") else { return text }
        return String(format: "%.9f", value)
    }
}
