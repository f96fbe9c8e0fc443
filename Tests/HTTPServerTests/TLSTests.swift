import Foundation
import HTTPServer
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// HTTPS against the openssl and curl command lines and an in-process OpenSSL client, with a
/// throwaway PKI made at test time. Serialized like the plain loopback tests (short timeouts).
@Suite(.serialized, .enabled(if: haveTLSTools)) struct TLSTests {
    func curl(_ pki: TestPKI, _ arguments: [String]) throws -> ToolResult {
        try runTool(curlPath, ["-sS", "-v", "--max-time", "5", "--cacert", pki.pem("ca")] + arguments)
    }

    @Test(arguments: ["1.2", "1.3"])
    func curlGets200OverTLS(version: String) async throws {
        let pki = try testPKI()
        try await withServer(tlsConfiguration(pki)) { server in
            let result = try curl(pki, ["--tlsv\(version)", "--tls-max", version, "https://127.0.0.1:\(server.port)/over-tls"])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout == "hello /over-tls")
            #expect(result.stderr.contains("SSL connection using TLSv\(version)"))
        }
    }

    @Test func tls11IsRefusedWhileTLS12IsAccepted() async throws {
        let pki = try testPKI()
        try await withServer(tlsConfiguration(pki)) { server in
            // SECLEVEL=0 lets this client offer TLS 1.1 at all, so the refusal is the server's.
            let old = try runTool(
                opensslPath, ["s_client", "-connect", "127.0.0.1:\(server.port)", "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0"])
            #expect(old.status != 0)
            #expect((old.stdout + old.stderr).contains("protocol version"))
            let current = try runTool(
                opensslPath, ["s_client", "-connect", "127.0.0.1:\(server.port)", "-tls1_2", "-CAfile", pki.pem("ca")])
            #expect(current.status == 0)
            #expect(current.stdout.contains("Verify return code: 0 (ok)"))
        }
    }

    @Test func theServersCipherOrderWins() async throws {
        let pki = try testPKI()
        try await withServer(tlsConfiguration(pki)) { server in
            // The client prefers ChaCha20; the server's list puts AES-128-GCM first.
            let result = try runTool(
                opensslPath,
                [
                    "s_client", "-connect", "127.0.0.1:\(server.port)", "-tls1_2",
                    "-cipher", "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-ECDSA-AES128-GCM-SHA256",
                ])
            #expect(result.status == 0)
            #expect(result.stdout.contains("Cipher is ECDHE-ECDSA-AES128-GCM-SHA256"))
        }
    }

    @Test func requiredClientCertificateIsVerifiedAndLogged() async throws {
        let pki = try testPKI()
        let log = RecordLog()
        try await withServer(tlsConfiguration(pki, clientAuthentication: .required), handler: SubjectHandler(), log: log) { server in
            let url = "https://127.0.0.1:\(server.port)/who"
            let anonymous = try curl(pki, [url])
            #expect(anonymous.status != 0)
            #expect(anonymous.stdout.isEmpty)
            let intruder = try curl(pki, ["--cert", pki.pem("intruder"), "--key", pki.key("intruder"), url])
            #expect(intruder.status != 0)
            #expect(intruder.stdout.isEmpty)
            let gateway = try curl(pki, ["--cert", pki.pem("client"), "--key", pki.key("client"), url])
            #expect(gateway.status == 0, "\(gateway.stderr)")
            #expect(gateway.stdout == "CN=gateway-1,O=Test Gateway")
            #expect(await eventually { log.all.count == 1 })
            #expect(log.all.first?.clientSubject == "CN=gateway-1,O=Test Gateway")
        }
    }

    @Test func optionalClientCertificateServesAnonymousClientsToo() async throws {
        let pki = try testPKI()
        try await withServer(tlsConfiguration(pki, clientAuthentication: .optional), handler: SubjectHandler()) { server in
            let url = "https://127.0.0.1:\(server.port)/who"
            let anonymous = try curl(pki, [url])
            #expect(anonymous.status == 0)
            #expect(anonymous.stdout == "-")
            let gateway = try curl(pki, ["--cert", pki.pem("client"), "--key", pki.key("client"), url])
            #expect(gateway.stdout == "CN=gateway-1,O=Test Gateway")
            let intruder = try curl(pki, ["--cert", pki.pem("intruder"), "--key", pki.key("intruder"), url])
            #expect(intruder.status != 0)
        }
    }

    @Test func expiredServerCertificateIsRefusedByTheClient() async throws {
        let pki = try testPKI()
        try await withServer(tlsConfiguration(pki, certificate: "expired")) { server in
            let result = try curl(pki, ["https://127.0.0.1:\(server.port)/"])
            #expect(result.status == 60)
            #expect(result.stderr.contains("expired"))
        }
    }

    @Test func silentClientIsClosedAtTheHandshakeLimitWhileOthersAreServed() async throws {
        let pki = try testPKI()
        // No other timer runs before a handshake completes, so a close within the clients'
        // 5 s receive timeout is the handshake limit's.
        try await withServer(tlsConfiguration(pki, handshakeTimeout: .seconds(1))) { server in
            let silent = try RawClient(port: server.port)
            let halfHello = try RawClient(port: server.port)
            try halfHello.send([0x16, 0x03, 0x01, 0x02, 0x00, 0x01])  // a ClientHello record that never completes
            let served = try curl(pki, ["https://127.0.0.1:\(server.port)/meanwhile"])
            #expect(served.stdout == "hello /meanwhile")
            #expect(try silent.readsEOF())
            #expect(try halfHello.readsEOF())
            #expect(await eventually { server.connectionCount == 0 })
        }
    }

    @Test func pipelinedRequestsAndALargeResponseOverTLS() async throws {
        let pki = try testPKI()
        try await withServer(tlsConfiguration(pki)) { server in
            let client = try RawClient(port: server.port)
            try client.startTLS(caFile: pki.pem("ca"))
            try client.send((1...3).map { "GET /p\($0) HTTP/1.1\r\nHost: x\r\n\r\n" }.joined())
            for i in 1...3 { #expect(try client.readResponse().bodyText == "hello /p\(i)") }
            try client.send("GET /large?bytes=3000000 HTTP/1.1\r\nHost: x\r\n\r\n")
            let large = try client.readResponse()
            #expect(large.body.count == 3_000_000 && large.body.allSatisfy { $0 == 0x61 })
        }
    }

    @Test func reloadServesTheNewCertificateAndKeepsOpenConnections() async throws {
        let pki = try testPKI()
        try pki.copy("server", as: "reload")
        try await withServer(tlsConfiguration(pki, certificate: "reload")) { server in
            let open = try RawClient(port: server.port)
            try open.startTLS(caFile: pki.pem("ca"))
            try open.send("GET /before HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try open.readResponse().status == 200)
            #expect(open.tls?.peerSubject == "/O=First/CN=localhost")

            try pki.copy("server2", as: "reload")
            try server.reloadTLS()
            let fresh = try RawClient(port: server.port)
            try fresh.startTLS(caFile: pki.pem("ca"))
            #expect(fresh.tls?.peerSubject == "/O=Second/CN=localhost")
            try open.send("GET /after HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try open.readResponse().bodyText == "hello /after")

            // A broken certificate file and then an expired certificate: the previous one stays.
            try "not a certificate".write(toFile: pki.pem("reload"), atomically: true, encoding: .utf8)
            #expect(throws: HTTPServerError.self) { try server.reloadTLS() }
            try pki.copy("expired", as: "reload")
            #expect(throws: HTTPServerError.self) { try server.reloadTLS() }
            let after = try RawClient(port: server.port)
            try after.startTLS(caFile: pki.pem("ca"))
            #expect(after.tls?.peerSubject == "/O=Second/CN=localhost")
        }
    }

    @Test func reloadSignalReloads() async throws {
        let pki = try testPKI()
        try pki.copy("server", as: "signalled")
        try await withServer(tlsConfiguration(pki, certificate: "signalled")) { server in
            // SIGUSR1 stands in for SIGHUP; ignored until libdispatch's catcher is in place.
            signal(SIGUSR1, SIG_IGN)
            server.installSignalHandlers([], reloadSignal: SIGUSR1) {}
            try pki.copy("server2", as: "signalled")
            #expect(
                await eventually {
                    kill(getpid(), SIGUSR1)
                    let client = try? RawClient(port: server.port)
                    try? client?.startTLS(caFile: pki.pem("ca"))
                    return client?.tls?.peerSubject == "/O=Second/CN=localhost"
                })
        }
    }

    @Test func unusableCertificateFilesStopStart() throws {
        let pki = try testPKI()
        var missing = tlsConfiguration(pki)
        missing.tls?.certificateChainFile = pki.directory + "/absent.pem"
        var mismatched = tlsConfiguration(pki)
        mismatched.tls?.privateKeyFile = pki.key("client")
        var noCA = tlsConfiguration(pki, clientAuthentication: .required)
        noCA.tls?.clientCAFile = nil
        for configuration in [missing, mismatched, noCA] {
            let server = HTTPServer(configuration: configuration, handler: TestHandler(), logger: quietLogger)
            #expect(throws: HTTPServerError.self) { try server.start() }
        }
    }
}
