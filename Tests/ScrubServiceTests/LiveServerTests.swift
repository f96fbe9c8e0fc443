import Foundation
import HTTPServer
import Logging
import Testing
@testable import ScrubService

/// The in-memory tests' requests, sent to the real HTTP server with the service as its
/// handler: the answers must be the same (Hummingbird's router-vs-live idea).
@Suite struct LiveServerTests {
    static let requests: [HTTPRequest] = {
        func json(_ target: String, _ body: String, _ type: String = "application/json") -> HTTPRequest {
            HTTPRequest(method: "POST", target: target, headers: HTTPHeaders([(name: "Content-Type", value: type)]), body: Array(body.utf8))
        }
        return [
            HTTPRequest(method: "GET", target: "/healthz"),
            HTTPRequest(method: "GET", target: "/readyz"),
            HTTPRequest(method: "GET", target: "/v1/rules"),
            HTTPRequest(method: "GET", target: "/openapi.json"),
            HTTPRequest(method: "GET", target: "/v1/codes/icd10cm/m546?date=2026-05-04"),
            HTTPRequest(method: "GET", target: "/v1/codes/icd10cm/M99.99"),
            HTTPRequest(method: "GET", target: "/v1/codes/icd10cm/M54.6?date=2026-02-30"),
            HTTPRequest(method: "GET", target: "/nowhere"),
            HTTPRequest(method: "DELETE", target: "/v1/scrub"),
            json("/v1/scrub", sensitiveClaim),
            json("/scrub", sensitiveClaim + "}"),
            json("/v1/scrub", sensitiveClaim, "text/plain"),
        ]
    }()

    @Test func liveAnswersMatchInMemoryAnswers() async throws {
        let harness = ServiceHarness()
        let server = HTTPServer(
            configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0, drainDeadline: .milliseconds(500)),
            handler: harness.service, logger: Logger(label: "live") { _ in SwiftLogNoOpLogHandler() })
        try server.start()
        defer { server.shutdown(deadline: .milliseconds(200)) }
        let live = LiveClient(port: UInt16(server.port))
        for request in Self.requests {
            let expected = harness.client.execute(request)
            let got = try live.send(request)
            #expect(got.status == expected.status, "\(request.method) \(request.target)")
            #expect(got.headers["Content-Type"] == expected.headers["Content-Type"], "\(request.method) \(request.target)")
            #expect(got.headers["Allow"] == expected.headers["Allow"])
            #expect(got.body == expected.body, "\(request.method) \(request.target)")
            #expect(got.headers["X-Request-Id"].map(RequestID.isAcceptable) == true)
        }
    }

    @Test func serverRejectionsAreCountedAndLogged() async throws {
        let harness = ServiceHarness()
        let service = harness.service
        let server = HTTPServer(
            configuration: HTTPServerConfiguration(
                host: "127.0.0.1", port: 0, limits: HTTPParserLimits(maxBodyBytes: 64), drainDeadline: .milliseconds(500)),
            handler: service, logger: Logger(label: "live") { _ in SwiftLogNoOpLogHandler() },
            onResponse: { service.recordServerRejection($0) })
        try server.start()
        defer { server.shutdown(deadline: .milliseconds(200)) }
        let r = try LiveClient(port: UInt16(server.port)).send(HTTPRequest(
            method: "POST", target: "/v1/scrub", headers: HTTPHeaders([(name: "Content-Type", value: "application/json")]),
            body: Array(sensitiveClaim.utf8)))
        #expect(r.status == 413)
        let (samples, _) = try parseExposition(harness.metrics.exposition())
        #expect(samples.contains {
            $0.name == "claimscrub_http_requests_total" && $0.labels["route"] == "rejected" && $0.labels["status"] == "413" && $0.value == 1
        })
        let line = try #require(harness.logs.objects.last)
        #expect(line["status"] as? String == "413")
        #expect(line["route"] as? String == "rejected")
        for fragment in sensitiveFragments { #expect(!harness.logs.all.joined().contains(fragment)) }
    }

    @Test func builtInDefaultsAreTheServersDefaults() {
        let ours = ServiceConfiguration().serverConfiguration
        let server = HTTPServerConfiguration()
        #expect(ours.host == server.host && ours.port == server.port && ours.backlog == server.backlog)
        #expect(ours.maxConnections == server.maxConnections && ours.limits == server.limits)
        #expect(ours.headerTimeout == server.headerTimeout && ours.bodyIdleTimeout == server.bodyIdleTimeout)
        #expect(ours.bodyTimeout == server.bodyTimeout && ours.keepAliveIdleTimeout == server.keepAliveIdleTimeout)
        #expect(ours.writeTimeout == server.writeTimeout && ours.drainDeadline == server.drainDeadline)
        #expect(ours.eventLoops == server.eventLoops)
    }

    @Test func eventLoopsComeFromTheSettingElseOnePerCPU() throws {
        let set = try ServiceConfiguration.load(flags: .init(), environment: ["CLAIMSCRUB_EVENT_LOOPS": "3"])
        #expect(set.serverConfiguration.eventLoops == 3)
        let unset = try ServiceConfiguration.load(flags: .init(), environment: ["CLAIMSCRUB_EVENT_LOOPS": "0"])
        #expect(unset.serverConfiguration.eventLoops == HTTPServerConfiguration().eventLoops)
        #expect(throws: (any Error).self) {
            try ServiceConfiguration.load(flags: .init(), environment: ["CLAIMSCRUB_EVENT_LOOPS": "-1"])
        }
    }

    @Test func serverConfigurationCarriesTheSettings() throws {
        var settings = ServiceConfiguration()
        settings.host = "0.0.0.0"
        settings.port = 9000
        settings.maxBodyBytes = 4096
        settings.maxHeaderBytes = 2048
        settings.bodyTimeout = .seconds(3)
        settings.bodyIdleTimeout = .seconds(2)
        settings.idleTimeout = .seconds(4)
        settings.drainDeadline = .seconds(5)
        let c = settings.serverConfiguration
        #expect(c.host == "0.0.0.0")
        #expect(c.port == 9000)
        #expect(c.limits.maxBodyBytes == 4096)
        #expect(c.limits.maxHeaderSectionBytes == 2048)
        #expect(c.bodyTimeout == .seconds(3))
        #expect(c.bodyIdleTimeout == .seconds(2))
        #expect(c.keepAliveIdleTimeout == .seconds(4))
        #expect(c.drainDeadline == .seconds(5))
        #expect(c.maxConnections == settings.maxConnections)
        #expect(c.backlog == 511)
    }
}

/// Which requests run on the connection's event loop: short claims only, so no request
/// holds a loop (and every other connection on it) for long.
@Suite struct InlineHandlingTests {
    @Test(arguments: [
        ("POST", "/v1/scrub", 1_300, true),
        ("POST", "/v1/scrub", 16 * 1024, true),
        ("POST", "/v1/scrub", 16 * 1024 + 1, false),
        ("POST", "/v1/scrub", 64 * 1024, false),
        ("GET", "/openapi.json", 0, false),
        ("POST", "/v1/scrub/batch", 100, false),
        ("GET", "/healthz", 0, true),
    ])
    func onlyShortRequestsRunInline(method: String, path: String, bodyBytes: Int, inline: Bool) {
        let service = ServiceHarness().service
        let request = HTTPRequest(method: method, target: path, body: [UInt8](repeating: 0x20, count: bodyBytes))
        #expect(service.runsInline(request) == inline)
    }
}
