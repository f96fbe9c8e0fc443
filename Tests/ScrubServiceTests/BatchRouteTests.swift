import ClaimScrub
import Foundation
import HTTPServer
import Logging
import Testing
@testable import ScrubService

#if canImport(Glibc)
import Glibc
#endif

/// `POST /v1/scrub/batch` against a live server over the real engine: the route only
/// streams when the HTTP server runs it.
@Suite(.serialized) struct BatchRouteTests {
    static let goodClaim = #"{"claimId":"C-1","diagnoses":["M54.5"],"billingProvider":{"npi":"1234567893"},"serviceLines":[{"procedureCode":"97110","units":1,"serviceDate":"2026-05-04","diagnosisPointers":[1]}]}"#
    static let wrongTypeClaim = sensitiveClaim.replacingOccurrences(of: #""units":2"#, with: #""units":"two""#)

    struct Live {
        let server: HTTPServer
        let metrics: ServiceMetrics
        let logs: LogCapture
        let service: ClaimScrubService
    }

    func withLiveService<T>(_ body: (Live) throws -> T) async throws -> T {
        let logs = LogCapture()
        let sink = logs.sink
        let s = EngineScrubberTests.scrubber
        let metrics = ServiceMetrics(buildInfo: .init(version: "t", rulesVersion: s.rulesVersion, codeSet: s.codeSetVersion))
        let service = ClaimScrubService(
            engine: s, metrics: metrics, logger: Logger(label: "t") { JSONLogHandler(label: $0, sink: sink) })
        let server = HTTPServer(
            configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0, drainDeadline: .milliseconds(500)),
            handler: service, logger: Logger(label: "live") { _ in SwiftLogNoOpLogHandler() })
        try server.start()
        defer { server.shutdown(deadline: .milliseconds(200)) }
        return try body(Live(server: server, metrics: metrics, logs: logs, service: service))
    }

    @Test func aBadLineGetsAnErrorInItsPlaceAndTheOthersAreScrubbed() async throws {
        try await withLiveService { live in
            let body = Self.goodClaim + "\n\n" + Self.wrongTypeClaim + "\n" + "{\"claimId\": \n" + Self.goodClaim + "\n"
            let r = try BatchClient(port: live.server.port).post(Array(body.utf8))
            #expect(r.status == 200)
            #expect(r.headers["content-type"] == "application/x-ndjson")
            #expect(r.headers["transfer-encoding"] == "chunked")
            #expect(r.headers["cache-control"] == "no-store")
            let lines = try r.lines()
            // The blank line 2 gets no output but still counts.
            #expect(lines.map { $0["line"] as? Int } == [1, 3, 4, 5])
            #expect((lines[0]["result"] as? [String: Any])?["claimId"] as? String == "C-1")
            #expect((lines[3]["result"] as? [String: Any])?["status"] as? String == "fail")
            let typeError = try #require(lines[1]["error"] as? [String: Any])
            #expect(typeError["type"] as? String == "https://claimscrub.dev/problems/invalid-claim")
            #expect((typeError["errors"] as? [[String: Any]])?.first?["pointer"] as? String == "/serviceLines/0/units")
            let syntaxError = try #require(lines[2]["error"] as? [String: Any])
            #expect(syntaxError["type"] as? String == "https://claimscrub.dev/problems/malformed-json")
            #expect(syntaxError["byteOffset"] is Int)
            #expect(lines[1]["result"] == nil && lines[2]["result"] == nil)
            // The bad lines are never echoed.
            for fragment in sensitiveFragments { #expect(!r.text.contains(fragment), "\(fragment)") }
        }
    }

    @Test func claimsAreCountedAndTheLogLineHasTheCount() async throws {
        try await withLiveService { live in
            let body = [Self.goodClaim, "nope", Self.goodClaim].joined(separator: "\n")
            let r = try BatchClient(port: live.server.port).post(Array(body.utf8), requestID: "batch-1")
            #expect(try r.lines().count == 3)
            #expect(r.headers["x-request-id"] == "batch-1")
            // The request is counted and logged once the handler returns, just after the last chunk.
            let line = try #require(Self.poll { live.logs.objects.first { $0["requestId"] as? String == "batch-1" } })
            let exposition = live.metrics.exposition()
            #expect(exposition.contains("claimscrub_claims_total{status=\"fail\"} 2"))
            #expect(exposition.contains("claimscrub_http_requests_total{route=\"/v1/scrub/batch\",method=\"POST\",status=\"200\"} 1"))
            #expect(line["claims"] as? String == "2")
            #expect(line["badLines"] as? String == "1")
            #expect(line["route"] as? String == "/v1/scrub/batch")
        }
    }

    /// `value()` once it is non-nil, polling for up to 5 s.
    static func poll<T>(_ value: () -> T?) -> T? {
        for _ in 0..<500 {
            if let v = value() { return v }
            usleep(10_000)
        }
        return value()
    }

    @Test func tenThousandLinesComeBackInOrder() async throws {
        try await withLiveService { live in
            let count = 10_000
            let body = Array((0..<count).map { i in
                Self.goodClaim.replacingOccurrences(of: "C-1", with: "C-\(i)") + "\n"
            }.joined().utf8)
            // Sent in chunks while the answer streams back.
            let r = try BatchClient(port: live.server.port).post(body, chunked: true)
            let lines = try r.lines()
            #expect(lines.count == count)
            #expect(lines.compactMap { $0["line"] as? Int } == Array(1...count))
            #expect(lines.compactMap { ($0["result"] as? [String: Any])?["claimId"] as? String } == (0..<count).map { "C-\($0)" })
        }
    }

    @Test func aGzipBodyIsDecodedBeforeItsLinesAreRead() async throws {
        try await withLiveService { live in
            let body = Array((Self.goodClaim + "\n" + Self.goodClaim + "\n").utf8)
            let r = try BatchClient(port: live.server.port).post(try Gzip.gzip(body), extraHeaders: ["Content-Encoding: gzip"])
            #expect(try r.lines().compactMap { $0["line"] as? Int } == [1, 2])
        }
    }

    @Test(arguments: ["text/plain", "application/json"])
    func anotherContentTypeIs415(contentType: String) async throws {
        try await withLiveService { live in
            let r = try BatchClient(port: live.server.port).post(Array(Self.goodClaim.utf8), contentType: contentType)
            #expect(r.status == 415)
            #expect(r.headers["accept-post"] == "application/x-ndjson, application/jsonl")
            #expect(r.headers["content-type"] == "application/problem+json")
        }
    }

    /// A client that follows the refusal's `Accept-Post` with any type it names gets the batch scrubbed.
    @Test func everyTypeTheRefusalNamesIsAccepted() async throws {
        try await withLiveService { live in
            let client = BatchClient(port: live.server.port)
            let refusal = try client.post(Array(Self.goodClaim.utf8), contentType: "text/plain")
            let named = (refusal.headers["accept-post"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            #expect(named.count == 2)
            for type in named {
                let r = try client.post(Array((Self.goodClaim + "\n").utf8), contentType: type)
                #expect(r.status == 200, "Accept-Post named \(type)")
                #expect(try r.lines().compactMap { $0["line"] as? Int } == [1])
            }
        }
    }

    @Test func theWholeBodyAnswerInMemoryIsTheStreamedOne() async throws {
        try await withLiveService { live in
            let body = Self.goodClaim + "\n\n{oops\n" + Self.goodClaim
            let streamed = try BatchClient(port: live.server.port).post(Array(body.utf8))
            let whole = InMemoryClient(handler: live.service).post("/v1/scrub/batch", body: body, contentType: "application/x-ndjson")
            #expect(whole.status == 200)
            #expect(whole.headers["Content-Type"] == "application/x-ndjson")
            #expect(whole.body == streamed.body)
        }
    }

    @Test func aScrubberWithoutBatchSupportAnswers501() {
        let r = ServiceHarness().client.post("/v1/scrub/batch", body: "{}", contentType: "application/x-ndjson")
        #expect(r.status == 501)
    }
}

/// A blocking client for one streamed exchange: sends on a thread of its own while it reads,
/// so a large body and its streamed answer can cross.
struct BatchClient {
    let port: Int

    struct Response {
        var status: Int
        /// Lower-cased names.
        var headers: [String: String]
        var body: [UInt8]
        var text: String { String(decoding: body, as: UTF8.self) }

        func lines() throws -> [[String: Any]] {
            try text.split(separator: "\n").map { line in
                try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            }
        }
    }


    func post(
        _ body: [UInt8], contentType: String = "application/x-ndjson", chunked: Bool = false, requestID: String? = nil,
        extraHeaders: [String] = []
    ) throws -> Response {
        let fd = try connectToLoopback(port: port, receiveTimeoutSeconds: 10)
        defer { close(fd) }

        var head = "POST /v1/scrub/batch HTTP/1.1\r\nHost: test\r\nConnection: close\r\nContent-Type: \(contentType)\r\n"
        if let requestID { head += "X-Request-Id: \(requestID)\r\n" }
        for header in extraHeaders { head += header + "\r\n" }
        var message = Array(head.utf8)
        if chunked {
            message += Array("Transfer-Encoding: chunked\r\n\r\n".utf8)
            var offset = 0
            while offset < body.count {
                let n = min(7_777, body.count - offset)
                message += Array("\(String(n, radix: 16))\r\n".utf8) + body[offset..<(offset + n)] + [13, 10]
                offset += n
            }
            message += Array("0\r\n\r\n".utf8)
        } else {
            message += Array("Content-Length: \(body.count)\r\n\r\n".utf8) + body
        }
        let sent = DispatchSemaphore(value: 0)
        let toSend = message
        Thread {
            var offset = 0
            while offset < toSend.count {
                let n = toSend.withUnsafeBytes { send(fd, $0.baseAddress! + offset, toSend.count - offset, Int32(MSG_NOSIGNAL)) }
                if n <= 0 { break }
                offset += n
            }
            sent.signal()
        }.start()

        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress!, $0.count, 0) }
            if n <= 0 { break }
            received += chunk[..<n]
        }
        sent.wait()
        return try Self.parse(received)
    }

    static func parse(_ bytes: [UInt8]) throws -> Response {
        guard let end = (0..<max(0, bytes.count - 3)).first(where: { bytes[$0] == 13 && bytes[$0 + 1] == 10 && bytes[$0 + 2] == 13 && bytes[$0 + 3] == 10 })
        else { throw Failure(what: "no head in \(bytes.count) bytes") }
        var lines = String(decoding: bytes[..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let status = Int(lines.removeFirst().split(separator: " ")[1]) ?? 0
        var headers: [String: String] = [:]
        for line in lines {
            let colon = line.firstIndex(of: ":")!
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var rest = Array(bytes[(end + 4)...])
        guard headers["transfer-encoding"] == "chunked" else { return Response(status: status, headers: headers, body: rest) }
        var body: [UInt8] = []
        var i = 0
        while true {
            guard let lf = rest[i...].firstIndex(of: 10) else { throw Failure(what: "truncated chunked body") }
            let size = Int(String(decoding: rest[i..<(lf - 1)], as: UTF8.self), radix: 16) ?? -1
            guard size >= 0 else { throw Failure(what: "bad chunk size") }
            if size == 0 { break }
            body += rest[(lf + 1)..<(lf + 1 + size)]
            i = lf + 1 + size + 2
        }
        rest = []
        return Response(status: status, headers: headers, body: body)
    }
}
