import Foundation
import HTTPServer
import Logging
import Synchronization
import Testing
@testable import ScrubService

@Suite struct RequestLogTests {
    @Test func oneJSONLinePerRequestWithTheFieldsOperatorsNeed() throws {
        let h = ServiceHarness()
        var request = HTTPRequest(method: "POST", target: "/v1/scrub", body: Array(sensitiveClaim.utf8), remoteAddress: "10.1.2.3:5555", clientSubject: "CN=gateway")
        request.headers.add("Content-Type", "application/json")
        request.headers.add("X-Request-Id", "req-42.a_b")
        let response = h.client.execute(request)
        #expect(h.logs.all.count == 1)
        let line = try #require(h.logs.objects.first)
        #expect(line["timestamp"] as? String == "1970-01-01T00:00:00.000Z")
        #expect(line["level"] as? String == "info")
        #expect(line["message"] as? String == "request")
        #expect(line["requestId"] as? String == "req-42.a_b")
        #expect(line["method"] as? String == "POST")
        #expect(line["route"] as? String == "/v1/scrub")
        #expect(line["status"] as? String == "200")
        #expect(line["durationMs"] as? String == "2.000")
        #expect(line["bytesIn"] as? String == String(sensitiveClaim.utf8.count))
        #expect(line["bytesOut"] as? String == String(response.body.count))
        #expect(line["clientSubject"] as? String == "CN=gateway")
        #expect(line["remote"] as? String == "10.1.2.3:5555")
    }

    @Test(arguments: ["/v1/scrub", "/scrub"])
    func scrubLogLinesCarryNoPartOfTheClaim(path: String) throws {
        let h = ServiceHarness()
        _ = h.client.post(path, body: sensitiveClaim)
        _ = h.client.post(path, body: sensitiveClaim + "garbage")
        _ = h.client.post(path, body: sensitiveClaim, contentType: "text/plain")
        #expect(h.logs.all.count == 3)
        for line in h.logs.all {
            for fragment in sensitiveFragments + ["CLM-TEST-1", "M54.9", "97110"] {
                #expect(!line.contains(fragment), "log line contains \(fragment)")
            }
        }
    }

    @Test func problemBodiesCarryNoClaimData() {
        let h = ServiceHarness()
        let responses = [
            h.client.post("/v1/scrub", body: sensitiveClaim + "}"),
            h.client.post("/v1/scrub", body: sensitiveClaim, contentType: "text/plain"),
            h.client.post("/v1/rules", body: sensitiveClaim),
            h.client.post("/v1/nope", body: sensitiveClaim),
        ]
        for r in responses {
            #expect(r.status >= 400)
            #expect(r.object != nil)
            for fragment in sensitiveFragments { #expect(!r.text.contains(fragment)) }
        }
    }
}

/// The request line is written straight into bytes when the handler allows it; it must be
/// the very line swift-log's path writes for the same fields.
@Suite struct DirectRequestLineTests {
    static let lines: [RequestLogLine] = [
        RequestLogLine(
            requestID: "req-1", method: "POST", route: "/v1/scrub", status: 200, durationSeconds: 0.0123456,
            bytesIn: 1234, bytesOut: 987, remote: "127.0.0.1:5555"),
        RequestLogLine(
            requestID: nil, method: "-", route: "rejected", status: 400, durationSeconds: 0, bytesIn: 0, bytesOut: 0,
            remote: ""),
        RequestLogLine(
            requestID: "r", method: "GET", route: "/v1/codes/{code}", status: 404, durationSeconds: 12.5,
            bytesIn: 5, bytesOut: 77, remote: "[::1]:80", apiKey: "ops \"key\"\n", clientSubject: "CN=gé\\t,O=\u{1}x"),
        // Longer than the direct path's stack buffer: written by the JSONWriter path instead.
        RequestLogLine(
            requestID: "r", method: "GET", route: "/healthz", status: 200, durationSeconds: 0.001, bytesIn: 0, bytesOut: 2,
            remote: "10.0.0.1:1", clientSubject: "CN=" + String(repeating: "long\"name ", count: 80)),
    ]

    @Test(arguments: lines)
    func directLineEqualsTheSwiftLogLine(line: RequestLogLine) {
        let logs = LogCapture()
        let sink = logs.sink
        let handler = JSONLogHandler(label: "claimscrub", sink: sink, now: { 1_764_434_101.25 })
        #expect(handler.writesRequestLinesDirectly)
        handler.logRequest(line)
        Logger(label: "claimscrub") { _ in handler }.info("request", metadata: line.metadata)
        #expect(logs.all.count == 2)
        #expect(logs.all.first == logs.all.last)
    }

    @Test func theServiceLineKeepsItsFormat() {
        let h = ServiceHarness()
        var request = HTTPRequest(method: "POST", target: "/v1/scrub", body: Array(sensitiveClaim.utf8), remoteAddress: "10.1.2.3:5555")
        request.headers.add("Content-Type", "application/json")
        request.headers.add("X-Request-Id", "req-42")
        let response = h.client.execute(request)
        #expect(h.logs.all == [
            #"{"timestamp":"1970-01-01T00:00:00.000Z","level":"info","message":"request","label":"claimscrub.test","#
                + #""bytesIn":"\#(sensitiveClaim.utf8.count)","bytesOut":"\#(response.body.count)","durationMs":"2.000","#
                + #""method":"POST","remote":"10.1.2.3:5555","requestId":"req-42","route":"/v1/scrub","status":"200"}"#,
        ])
    }

    /// A handler with metadata of its own goes through swift-log, so that metadata is kept.
    @Test func handlerMetadataStillReachesTheLine() throws {
        let logs = LogCapture()
        let sink = logs.sink
        var logger = Logger(label: "t") { JSONLogHandler(label: $0, sink: sink, now: { 0 }) }
        logger[metadataKey: "pod"] = "api-7"
        let service = ClaimScrubService(
            engine: FakeEngine(), metrics: ServiceMetrics(buildInfo: .init(version: "0", rulesVersion: "r", codeSet: "c")),
            logger: logger, clock: SteppingClock().read)
        _ = service.handle(HTTPRequest(method: "GET", target: "/healthz"))
        let line = try #require(logs.objects.first)
        #expect(line["pod"] as? String == "api-7")
        #expect(line["route"] as? String == "/healthz")
    }

    @Test(arguments: [(0.0, "0.000"), (0.002, "2.000"), (0.0123456, "12.346"), (0.0009995, "1.000"),
                      (1.5, "1500.000"), (0.0000004, "0.000"), (123_456.789, "123456789.000")])
    func durations(seconds: Double, expected: String) {
        #expect(ClaimScrubService.milliseconds(seconds) == expected)
    }
}

@Suite struct RequestIDTests {
    @Test(arguments: ["abc", "A-Z.0_9", String(repeating: "x", count: 128)])
    func saneIdsAreHonouredAndReturned(id: String) {
        let r = ServiceHarness().client.get("/healthz", headers: [("X-Request-Id", id)])
        #expect(r.headers["X-Request-Id"] == id)
    }

    @Test(arguments: [nil, "", String(repeating: "x", count: 129), "has space", "quote\"", "ünïcode", "a/b", "a\u{7F}"])
    func otherIdsAreReplacedByAGeneratedOne(id: String?) throws {
        let r = ServiceHarness().client.get("/healthz", headers: id.map { [("X-Request-Id", $0)] } ?? [])
        let returned = try #require(r.headers["X-Request-Id"])
        #expect(returned != id)
        #expect(returned.count == 32)
        #expect(RequestID.isAcceptable(returned))
    }

    @Test func errorsAndAuthFailuresCarryTheIdToo() throws {
        let keys = APIKeyStore(entries: [.init(name: "k", digest: SHA256.hash("key".utf8))])
        let h = ServiceHarness(apiKeys: keys)
        #expect(h.client.get("/v1/rules", headers: [("X-Request-Id", "r1")]).headers["X-Request-Id"] == "r1")
        #expect(h.client.get("/nowhere", headers: [("X-Request-Id", "r2")]).headers["X-Request-Id"] == "r2")
    }

    @Test func generatedIdsDiffer() {
        #expect(RequestID.generate() != RequestID.generate())
    }

    /// Ids from many threads at once never repeat, whole or in either half.
    @Test func generatedIdsAreUniqueAcrossThreads() {
        let perThread = 20_000, threads = 4
        let batches = Mutex([[String]]())
        DispatchQueue.concurrentPerform(iterations: threads) { _ in
            let ids = (0..<perThread).map { _ in RequestID.generate() }
            batches.withLock { $0.append(ids) }
        }
        let all = batches.withLock { $0 }.flatMap { $0 }
        #expect(Set(all).count == perThread * threads)
        #expect(Set(all.map { $0.prefix(16) }).count == perThread * threads)
        #expect(Set(all.map { $0.suffix(16) }).count == perThread * threads)
    }

    @Test func generatedIdsAre32LowercaseHexDigits() {
        let ids = (0..<200).map { _ in RequestID.generate() }
        for id in ids {
            #expect(id.utf8.count == 32)
            #expect(id.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) })
        }
        // Every digit position takes several values: no half of the id is stuck at zero.
        for position in 0..<32 {
            let digits = Set(ids.map { $0.utf8[$0.utf8.index($0.utf8.startIndex, offsetBy: position)] })
            #expect(digits.count > 4)
        }
    }
}

@Suite struct JSONLogHandlerTests {
    @Test func flattensNestedMetadataAndEscapes() throws {
        let logs = LogCapture()
        let sink = logs.sink
        var logger = Logger(label: "t") { JSONLogHandler(label: $0, sink: sink, now: { 1_764_434_101.5 }) }
        logger[metadataKey: "service"] = "claimscrub"
        logger.warning("listening \"here\"\n", metadata: ["listen": ["host": "0.0.0.0", "port": "8080"], "startupMs": "12"])
        logger.debug("hidden at info level")
        #expect(logs.all.count == 1)
        #expect(!logs.all[0].contains("\n"))
        let o = try #require(logs.objects.first)
        #expect(o["timestamp"] as? String == "2025-11-29T16:35:01.500Z")
        #expect(o["level"] as? String == "warning")
        #expect(o["message"] as? String == "listening \"here\"\n")
        #expect(o["listen.host"] as? String == "0.0.0.0")
        #expect(o["listen.port"] as? String == "8080")
        #expect(o["service"] as? String == "claimscrub")
        #expect(o["label"] as? String == "t")
    }

    @Test func writesWholeLinesToAFileDescriptor() throws {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        defer { close(fds[0]) }
        var logger = Logger(label: "t") { JSONLogHandler(label: $0, fileDescriptor: fds[1], now: { 0 }) }
        logger.logLevel = .info
        logger.info("request", metadata: ["status": "200", "route": "/v1/scrub", "bytesIn": .stringConvertible(12)])
        logger.notice("second")
        close(fds[1])
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while case let n = read(fds[0], &chunk, chunk.count), n > 0 { bytes += chunk[0..<n] }
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 3 && lines[2].isEmpty)
        #expect(lines[0] == #"{"timestamp":"1970-01-01T00:00:00.000Z","level":"info","message":"request","label":"t","bytesIn":"12","route":"/v1/scrub","status":"200"}"#)
        #expect(lines[1] == #"{"timestamp":"1970-01-01T00:00:00.000Z","level":"notice","message":"second","label":"t"}"#)
    }

    @Test(arguments: [(0.0, "1970-01-01T00:00:00.000Z"), (951_782_400.999, "2000-02-29T00:00:00.999Z"),
                      (-1.0, "1969-12-31T23:59:59.000Z"), (4_102_444_799.5, "2099-12-31T23:59:59.500Z"),
                      (86_399.5, "1970-01-01T23:59:59.500Z"), (36_000.25, "1970-01-01T10:00:00.250Z")])
    func timestamps(seconds: Double, expected: String) {
        #expect(JSONLogHandler.iso8601(seconds) == expected)
    }
}
