import Foundation
import HTTPServer
import Logging
import Testing
@testable import claimscrub

/// `claimscrub healthcheck` is the container's HEALTHCHECK: it must tell a ready server
/// from one that answers 503 or does not answer at all.
@Suite struct HealthcheckCommandTests {
    struct Fixed: HTTPHandler {
        var status: Int
        func handle(_ request: HTTPRequest) -> HTTPResponse {
            HTTPResponse(status: request.path == "/readyz" ? status : 404, headers: HTTPHeaders(), body: Array("{}".utf8))
        }
    }

    func withServer(answering status: Int, tls: TLSConfiguration? = nil, _ body: (Int) throws -> Void) throws {
        let server = HTTPServer(
            configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0, drainDeadline: .milliseconds(200), tls: tls),
            handler: Fixed(status: status), logger: Logger(label: "healthcheck") { _ in SwiftLogNoOpLogHandler() })
        try server.start()
        defer { server.shutdown(deadline: .milliseconds(100)) }
        try body(server.port)
    }

    @Test func aReadyServerPasses() throws {
        try withServer(answering: 200) { port in
            let command = try HealthcheckCommand.parse(["--port", String(port)])
            try command.run()
        }
    }

    @Test func aServerAnswering503Fails() throws {
        try withServer(answering: 503) { port in
            #expect(Probe.status(host: "127.0.0.1", port: port, path: "/readyz", timeoutMs: 2000).result == 503)
            let command = try HealthcheckCommand.parse(["--port", String(port)])
            #expect(throws: (any Error).self) { try command.run() }
        }
    }

    @Test func nothingListeningFails() throws {
        // Take a free port, then let it go: nothing listens there.
        var port = 0
        try withServer(answering: 200) { port = $0 }
        #expect(Probe.status(host: "127.0.0.1", port: port, path: "/readyz", timeoutMs: 500).result == nil)
    }

    /// A server with a certificate speaks only TLS: the probe must too.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl")))
    func aTLSServerIsAskedOverTLS() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("claimscrub-hc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let key = dir.appendingPathComponent("server.key").path
        let certificate = dir.appendingPathComponent("server.crt").path
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        openssl.arguments = ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                             "-keyout", key, "-out", certificate, "-days", "1", "-subj", "/CN=localhost"]
        openssl.standardOutput = FileHandle.nullDevice
        openssl.standardError = FileHandle.nullDevice
        try openssl.run()
        openssl.waitUntilExit()
        try #require(openssl.terminationStatus == 0)

        try withServer(answering: 200, tls: TLSConfiguration(certificateChainFile: certificate, privateKeyFile: key)) { port in
            #expect(Probe.status(host: "127.0.0.1", port: port, path: "/readyz", tls: true, timeoutMs: 3000).result == 200)
            #expect(Probe.status(host: "127.0.0.1", port: port, path: "/readyz", tls: false, timeoutMs: 3000).result == nil)
        }
    }

    @Test(arguments: [("0.0.0.0", "127.0.0.1"), ("::", "::1"), ("[::1]", "::1"), ("10.1.2.3", "10.1.2.3")])
    func aWildcardListenAddressIsAskedOnLoopback(listen: String, asked: String) {
        #expect(HealthcheckCommand.probeHost(listen) == asked)
    }
}

extension Result<Int, Probe.Failure> {
    var result: Int? { if case .success(let s) = self { s } else { nil } }
}
