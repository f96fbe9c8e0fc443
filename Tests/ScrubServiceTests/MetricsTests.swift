import Dispatch
import HTTPServer
import Testing
@testable import ScrubService

/// One sample line of the text exposition, parsed back.
struct Sample: Equatable {
    var name: String
    var labels: [String: String]
    var value: Double
}

/// A strict reader of the 0.0.4 text format: every line is a comment or a sample, label
/// values are quoted with `\\`, `\"`, `\n` escapes, values are floats or `+Inf`.
func parseExposition(_ text: String) throws -> (samples: [Sample], types: [String: String]) {
    struct Malformed: Error { var line: String }
    var samples: [Sample] = []
    var types: [String: String] = [:]
    #expect(text.hasSuffix("\n"))
    for line in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
        if line.hasPrefix("# TYPE ") {
            let parts = line.split(separator: " ")
            guard parts.count == 4 else { throw Malformed(line: String(line)) }
            types[String(parts[2])] = String(parts[3])
            continue
        }
        if line.hasPrefix("# HELP ") { continue }
        var chars = Array(line)
        var i = 0
        var name = ""
        while i < chars.count, chars[i].isLetter || chars[i].isNumber || chars[i] == "_" || chars[i] == ":" {
            name.append(chars[i])
            i += 1
        }
        guard !name.isEmpty else { throw Malformed(line: String(line)) }
        var labels: [String: String] = [:]
        if i < chars.count, chars[i] == "{" {
            i += 1
            while chars[i] != "}" {
                var key = ""
                while chars[i] != "=" { key.append(chars[i]); i += 1 }
                i += 1
                guard chars[i] == "\"" else { throw Malformed(line: String(line)) }
                i += 1
                var value = ""
                while chars[i] != "\"" {
                    if chars[i] == "\\" {
                        i += 1
                        value.append(chars[i] == "n" ? "\n" : chars[i])
                    } else {
                        value.append(chars[i])
                    }
                    i += 1
                }
                i += 1
                labels[key] = value
                if chars[i] == "," { i += 1 }
            }
            i += 1
        }
        guard i < chars.count, chars[i] == " " else { throw Malformed(line: String(line)) }
        chars.removeFirst(i + 1)
        let valueText = String(chars)
        guard let value = valueText == "+Inf" ? Double.infinity : Double(valueText) else {
            throw Malformed(line: String(line))
        }
        samples.append(Sample(name: name, labels: labels, value: value))
    }
    return (samples, types)
}

@Suite struct MetricsTests {
    func registry(connections: Int = 0) -> ServiceMetrics {
        ServiceMetrics(buildInfo: .init(version: "1.2.3", rulesVersion: "r\"1", codeSet: "2026-04-01"), openConnections: { connections })
    }

    @Test func everyLineParsesAndEverySampleHasADeclaredType() throws {
        let m = registry(connections: 3)
        m.recordRequest(route: "/v1/scrub", method: "POST", status: 200, durationSeconds: 0.004)
        m.recordClaim(status: "review", findingRules: ["DX_UNSPECIFIED"])
        let (samples, types) = try parseExposition(m.exposition())
        for s in samples {
            let family = ["_bucket", "_sum", "_count"].reduce(s.name) { name, suffix in
                types[name] == nil && name.hasSuffix(suffix) ? String(name.dropLast(suffix.count)) : name
            }
            #expect(types[family] != nil, "no TYPE for \(s.name)")
        }
        #expect(types["claimscrub_http_request_duration_seconds"] == "histogram")
        #expect(types["claimscrub_http_requests_total"] == "counter")
        #expect(types["claimscrub_open_connections"] == "gauge")
        #expect(samples.contains(Sample(name: "claimscrub_open_connections", labels: [:], value: 3)))
        #expect(samples.contains(Sample(
            name: "claimscrub_build_info", labels: ["version": "1.2.3", "rules_version": "r\"1", "codeset": "2026-04-01"], value: 1)))
        #expect(samples.contains(Sample(name: "claimscrub_claims_total", labels: ["status": "review"], value: 1)))
        #expect(samples.contains(Sample(name: "claimscrub_findings_total", labels: ["rule": "DX_UNSPECIFIED"], value: 1)))
    }

    @Test func histogramBucketsAreCumulativeAndInfEqualsCount() throws {
        let m = registry()
        for d in [0.0005, 0.003, 0.003, 0.2, 7.0, 30.0] {
            m.recordRequest(route: "/v1/scrub", method: "POST", status: 200, durationSeconds: d)
        }
        let (samples, _) = try parseExposition(m.exposition())
        let buckets = samples.filter { $0.name == "claimscrub_http_request_duration_seconds_bucket" && $0.labels["route"] == "/v1/scrub" }
        #expect(buckets.count == ServiceMetrics.durationBuckets.count + 1)
        let bounds = buckets.map { $0.labels["le"] == "+Inf" ? Double.infinity : Double($0.labels["le"]!)! }
        #expect(bounds == bounds.sorted())
        #expect(zip(buckets, buckets.dropFirst()).allSatisfy { $0.value <= $1.value })
        let count = samples.first { $0.name == "claimscrub_http_request_duration_seconds_count" }?.value
        #expect(buckets.last?.value == count)
        #expect(count == 6)
        #expect(buckets.first { $0.labels["le"] == "0.001" }?.value == 1)
        #expect(buckets.first { $0.labels["le"] == "0.005" }?.value == 3)
        #expect(buckets.first { $0.labels["le"] == "10" }?.value == 5)
        let sum = try #require(samples.first { $0.name == "claimscrub_http_request_duration_seconds_sum" }?.value)
        #expect(abs(sum - 37.2065) < 1e-9)
    }

    @Test func requestsAreCountedByTemplateNotRawPath() throws {
        let h = ServiceHarness()
        _ = h.client.get("/v1/codes/icd10cm/M54.6")
        _ = h.client.get("/v1/codes/icd10cm/M54.50")
        _ = h.client.get("/v1/codes/icd10cm/Z99.99")
        _ = h.client.get("/no/such/thing")
        _ = h.client.execute(HTTPRequest(method: "BREW", target: "/healthz"))
        let (samples, _) = try parseExposition(h.metrics.exposition())
        let requests = samples.filter { $0.name == "claimscrub_http_requests_total" }
        #expect(requests.contains(Sample(
            name: "claimscrub_http_requests_total", labels: ["route": "/v1/codes/icd10cm/{code}", "method": "GET", "status": "200"], value: 2)))
        #expect(requests.contains(Sample(
            name: "claimscrub_http_requests_total", labels: ["route": "/v1/codes/icd10cm/{code}", "method": "GET", "status": "404"], value: 1)))
        #expect(requests.contains(Sample(
            name: "claimscrub_http_requests_total", labels: ["route": "unmatched", "method": "GET", "status": "404"], value: 1)))
        #expect(requests.contains(Sample(
            name: "claimscrub_http_requests_total", labels: ["route": "/healthz", "method": "other", "status": "405"], value: 1)))
        #expect(!requests.contains { $0.labels["route"]?.contains("M54") == true })
    }

    @Test func openConnectionsSourceCanBeBoundLater() throws {
        let m = registry(connections: 1)
        m.setOpenConnectionsSource { 42 }
        let (samples, _) = try parseExposition(m.exposition())
        #expect(samples.contains(Sample(name: "claimscrub_open_connections", labels: [:], value: 42)))
    }

    @Test func concurrentRequestsAreAllCounted() throws {
        let h = ServiceHarness()
        DispatchQueue.concurrentPerform(iterations: 400) { i in
            _ = i % 2 == 0 ? h.client.get("/healthz") : h.client.post("/v1/scrub", body: sensitiveClaim)
        }
        let (samples, _) = try parseExposition(h.metrics.exposition())
        let total = samples.filter { $0.name == "claimscrub_http_requests_total" }.reduce(0) { $0 + $1.value }
        #expect(total == 400)
        #expect(samples.contains(Sample(name: "claimscrub_claims_total", labels: ["status": "fail"], value: 200)))
        #expect(h.logs.all.count == 400)
    }

    @Test func labelValuesAreEscaped() {
        #expect(ServiceMetrics.escapeLabel("a\"b\\c\nd") == #"a\"b\\c\nd"#)
    }
}
