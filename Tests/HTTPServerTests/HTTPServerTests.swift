import Dispatch
import Foundation
import Testing

@testable import HTTPServer

#if canImport(Glibc)
import Glibc
#endif

/// Loopback tests against a real server on an ephemeral port. Serialized: several rely on
/// short timeouts, which stay reliable when the tests do not compete for two cores.
@Suite(.serialized) struct HTTPServerTests {
    @Test func keepAliveServesSeveralRequestsOnOneConnection() async throws {
        let log = RecordLog()
        try await withServer(log: log) { server in
            let client = try RawClient(port: server.port)
            for i in 1...3 {
                try client.send("GET /n\(i) HTTP/1.1\r\nHost: x\r\nX-Request-Id: r\(i)\r\n\r\n")
                let response = try client.readResponse()
                #expect(response.status == 200)
                #expect(response.bodyText == "hello /n\(i)")
                #expect(response.header("Content-Length") == "\(response.body.count)")
                #expect(response.header("Date")?.hasSuffix(" GMT") == true)
                #expect(response.header("Connection") == nil)
            }
            #expect(await eventually { log.all.count == 3 })
            let first = try #require(log.all.first)
            #expect(first.method == "GET" && first.path == "/n1" && first.status == 200 && first.requestID == "r1")
            #expect(first.bytesIn == "GET /n1 HTTP/1.1\r\nHost: x\r\nX-Request-Id: r1\r\n\r\n".utf8.count)
            #expect(first.bytesOut > first.bytesIn / 2 && !first.rejectedByServer)
        }
    }

    @Test func http10ClosesUnlessKeepAliveIsAsked() async throws {
        try await withServer { server in
            let plain = try RawClient(port: server.port)
            try plain.send("GET / HTTP/1.0\r\n\r\n")
            let response = try plain.readResponse()
            #expect(response.status == 200)
            #expect(response.header("Connection") == "close")
            #expect(try plain.readsEOF())

            let kept = try RawClient(port: server.port)
            try kept.send("GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            #expect(try kept.readResponse().header("Connection") == "keep-alive")
            try kept.send("GET /b HTTP/1.0\r\n\r\n")
            #expect(try kept.readResponse().bodyText == "hello /b")
        }
    }

    @Test func connectionCloseIsHonoured() async throws {
        try await withServer { server in
            let client = try RawClient(port: server.port)
            try client.send("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            #expect(try client.readResponse().header("Connection") == "close")
            #expect(try client.readsEOF())
            let other = try RawClient(port: server.port)
            try other.send("GET /close HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try other.readResponse().header("Connection") == "close")
            #expect(try other.readsEOF())
        }
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() async throws {
        try await withServer { server in
            let client = try RawClient(port: server.port)
            // The first is the slowest: answers must still come back in request order.
            try client.send(
                "GET /slow?ms=200 HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\n\r\nsecond"
                    + "GET /third HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try client.readResponse().bodyText == "slow /slow?ms=200")
            #expect(try client.readResponse().bodyText == "second")
            #expect(try client.readResponse().bodyText == "hello /third")
        }
    }

    @Test func largeResponseArrivesWhole() async throws {
        try await withServer { server in
            let client = try RawClient(port: server.port, receiveBuffer: 8192)
            try client.send("GET /large?bytes=6000000 HTTP/1.1\r\nHost: x\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.body.count == 6_000_000)
            #expect(response.body.allSatisfy { $0 == 0x61 })
            try client.send("GET /next HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try client.readResponse().bodyText == "hello /next")
        }
    }

    @Test func pipelineFloodIsAnsweredInOrderUnderBackPressure() async throws {
        try await withServer { server in
            let client = try RawClient(port: server.port)
            // 1500 requests whose answers (about 3 MB) cannot all sit in socket buffers: the server
            // must stop reading while it cannot write, then carry on where it stopped.
            let count = 1500
            var flood = ""
            for i in 0..<count { flood += "GET /large?bytes=2000&i=\(i) HTTP/1.1\r\nHost: x\r\n\r\n" }
            try client.send(flood)
            for i in 0..<count {
                let response = try client.readResponse()
                #expect(response.header("X-Target") == "/large?bytes=2000&i=\(i)")
                #expect(response.body.count == 2000)
            }
            try client.send("GET /last HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try client.readResponse().bodyText == "hello /last")
        }
    }

    @Test func inlineHandlersAnswerPipelinedRequestsInOrder() async throws {
        try await withServer(handler: InlineTestHandler()) { server in
            let client = try RawClient(port: server.port)
            // A slow pooled request first, then inline ones queued behind it.
            try client.send(
                "GET /slow?ms=100 HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\n\r\nsecond"
                    + "GET /third HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try client.readResponse().bodyText == "slow /slow?ms=100")
            #expect(try client.readResponse().bodyText == "second")
            #expect(try client.readResponse().bodyText == "hello /third")
        }
    }

    @Test(arguments: [2, 2000])
    func inlineHandlersServeAPipelineFlood(bytes: Int) async throws {
        try await withServer(handler: InlineTestHandler()) { server in
            let client = try RawClient(port: server.port)
            // Thousands of tiny requests arrive in one read: each is answered in turn (none
            // skipped, none out of order), and large answers still apply back-pressure.
            let count = 3000
            var flood = ""
            for i in 0..<count { flood += "GET /large?bytes=\(bytes)&i=\(i) HTTP/1.1\r\nHost: x\r\n\r\n" }
            try client.send(flood)
            for i in 0..<count {
                let response = try client.readResponse()
                #expect(response.header("X-Target") == "/large?bytes=\(bytes)&i=\(i)")
                #expect(response.body.count == bytes)
            }
            try client.send("GET /last HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try client.readResponse().bodyText == "hello /last")
        }
    }

    @Test func headCarriesTheGetLengthButNoBody() async throws {
        try await withServer { server in
            let client = try RawClient(port: server.port)
            try client.send("HEAD /large?bytes=1234 HTTP/1.1\r\nHost: x\r\n\r\n")
            let head = try client.readResponse(bodyless: true)
            #expect(head.status == 200)
            #expect(head.header("Content-Length") == "1234")
            // Had any body byte been sent, this next response would not parse.
            try client.send("GET /after HTTP/1.1\r\nHost: x\r\n\r\n")
            let next = try client.readResponse()
            #expect(next.bodyText == "hello /after")
            #expect(client.bufferedByteCount == 0)
        }
    }

    @Test func chunkedRequestBodyReachesTheHandler() async throws {
        try await withServer { server in
            let client = try RawClient(port: server.port)
            try client.send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n4;x=y\r\nabcd\r\n3\r\nefg\r\n0\r\nT: 1\r\n\r\n")
            #expect(try client.readResponse().bodyText == "abcdefg")
        }
    }

    @Test func expectContinueGetsAnInterimResponseBeforeTheBody() async throws {
        try await withServer { server in
            let client = try RawClient(port: server.port)
            try client.send("POST /echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n")
            let interim = try client.readResponse()
            #expect(interim.status == 100)
            try client.send("hello")
            let final = try client.readResponse()
            #expect(final.status == 200)
            #expect(final.bodyText == "hello")
        }
    }

    @Test func oversizedBodyWithExpectationGets413WithoutContinue() async throws {
        try await withServer { server in
            let client = try RawClient(port: server.port)
            try client.send("POST /echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 10000000\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.status == 413)
            #expect(response.header("Connection") == "close")
            _ = try response.problem()
            #expect(try client.readsEOF())
        }
    }

    @Test func oversizedBodyIsRefusedBeforeItIsSent() async throws {
        try await withServer { server in
            let client = try RawClient(port: server.port)
            // Only the head is sent: the 413 must not wait for 10 MB that never come.
            try client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.status == 413)
            #expect(try client.readsEOF())
        }
    }

    @Test func chunkedBodyOverTheLimitIs413AsSoonAsExceeded() async throws {
        try await withServer { server in
            let client = try RawClient(port: server.port)
            try client.send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n8000\r\n")
            try client.send([UInt8](repeating: 0x61, count: 0x8000) + Array("\r\n8001\r\n".utf8))
            #expect(try client.readResponse().status == 413)
            #expect(try client.readsEOF())
        }
    }

    static let rejectedOverTheWire: [(String, String, Int)] = [
        ("417", "POST /echo HTTP/1.1\r\nHost: x\r\nExpect: 200-ok\r\nContent-Length: 1\r\n\r\nx", 417),
        ("414", "GET /" + String(repeating: "a", count: 9000) + " HTTP/1.1\r\nHost: x\r\n\r\n", 414),
        ("431", "GET / HTTP/1.1\r\nHost: x\r\n" + String(repeating: "X-Filler: 01234567890123456789012345678901234567890123456789\r\n", count: 400) + "\r\n", 431),
        ("505", "GET / HTTP/2.0\r\nHost: x\r\n\r\n", 505),
        ("411", "POST /echo HTTP/1.1\r\nHost: x\r\n\r\n", 411),
        ("501", "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", 501),
        ("CL+TE", "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        ("CL 4, 4", "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4, 4\r\n\r\nabcd", 400),
        ("bare LF", "GET / HTTP/1.1\nHost: x\n\n", 400),
        ("TLS hello on the plain port", "\u{16}\u{03}\u{01}\u{02}\u{00}\u{01}\u{00}\u{01}\u{fc}\u{03}\u{03}", 400),
    ]

    @Test(arguments: rejectedOverTheWire)
    func rejectionsAnswerAProblemAndClose(name: String, request: String, status: Int) async throws {
        let log = RecordLog()
        try await withServer(log: log) { server in
            let client = try RawClient(port: server.port)
            try client.send(request)
            let response = try client.readResponse()
            #expect(response.status == status, "\(name)")
            #expect(response.header("Connection") == "close")
            let problem = try response.problem()
            #expect((problem["detail"] as? String).map { !$0.contains("smuggled") && !$0.contains("aaaa") } == true)
            #expect(try client.readsEOF())
            #expect(await eventually { log.all.count == 1 })
            #expect(log.all.first?.status == status && log.all.first?.rejectedByServer == true)
            // The server keeps serving everyone else.
            let other = try RawClient(port: server.port)
            try other.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try other.readResponse().status == 200)
        }
    }

    @Test func headerSectionMustArriveInTime() async throws {
        var configuration = testConfiguration()
        configuration.headerTimeout = .milliseconds(300)
        try await withServer(configuration) { server in
            let client = try RawClient(port: server.port)
            try client.send("GET / HTTP/1.1\r\nHost: x\r\n")
            let response = try client.readResponse()
            #expect(response.status == 408)
            _ = try response.problem()
            #expect(try client.readsEOF())
        }
    }

    @Test func bodyThatStopsArrivingTimesOut() async throws {
        var configuration = testConfiguration()
        configuration.bodyIdleTimeout = .milliseconds(300)
        try await withServer(configuration) { server in
            let client = try RawClient(port: server.port)
            try client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc")
            #expect(try client.readResponse().status == 408)
            #expect(try client.readsEOF())
        }
    }

    @Test func bodyDribbledForeverHitsTheBodyDeadline() async throws {
        var configuration = testConfiguration()
        configuration.bodyTimeout = .milliseconds(300)
        try await withServer(configuration) { server in
            let client = try RawClient(port: server.port)
            try client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n")
            // Each byte comes well within the 2 s idle limit; the whole body never does.
            for _ in 0..<40 {
                guard (try? client.send("a")) != nil else { break }
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(try client.readResponse().status == 408)
            #expect(try client.readsEOF())
        }
    }

    @Test func slowlorisIsCutOffWhileOthersAreServed() async throws {
        var configuration = testConfiguration()
        configuration.headerTimeout = .milliseconds(400)
        try await withServer(configuration) { server in
            let slow = try RawClient(port: server.port)
            let request = Array("GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ".utf8) + [UInt8](repeating: 0x62, count: 200)
            var sent = 0
            var served = 0
            // Each byte resets nothing: the header clock runs from the first byte.
            while sent < request.count {
                guard (try? slow.send([request[sent]])) != nil else { break }
                sent += 1
                if sent % 5 == 0 {
                    let other = try RawClient(port: server.port)
                    try other.send("GET /other HTTP/1.1\r\nHost: x\r\n\r\n")
                    if try other.readResponse().status == 200 { served += 1 }
                }
                try await Task.sleep(for: .milliseconds(20))
                if sent > 60 { break }
            }
            let response = try slow.readResponse()
            #expect(response.status == 408)
            #expect(try slow.readsEOF())
            #expect(served > 0)
        }
    }

    @Test func idleKeepAliveConnectionIsClosedSilently() async throws {
        var configuration = testConfiguration()
        configuration.keepAliveIdleTimeout = .milliseconds(200)
        try await withServer(configuration) { server in
            let client = try RawClient(port: server.port)
            try client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try client.readResponse().status == 200)
            // No 408 for an idle keep-alive connection: just EOF.
            #expect(try client.readsEOF())
            #expect(await eventually { server.connectionCount == 0 })
        }
    }

    @Test func connectionsOverTheLimitGet503() async throws {
        var configuration = testConfiguration()
        configuration.maxConnections = 2
        try await withServer(configuration) { server in
            let first = try RawClient(port: server.port)
            let second = try RawClient(port: server.port)
            for client in [first, second] {
                try client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
                #expect(try client.readResponse().status == 200)
            }
            let third = try RawClient(port: server.port)
            try third.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            let response = try third.readResponse()
            #expect(response.status == 503)
            #expect(response.header("Connection") == "close")
            #expect(response.header("Retry-After") == "1")
            _ = try response.problem()
            #expect(try third.readsEOF())
            // The admitted ones are unaffected.
            try first.send("GET /still HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try first.readResponse().bodyText == "hello /still")
        }
    }

    @Test func clientThatNeverReadsIsDroppedByTheWriteTimeout() async throws {
        var configuration = testConfiguration()
        configuration.writeTimeout = .milliseconds(300)
        configuration.limits.maxBodyBytes = 1024
        try await withServer(configuration) { server in
            let client = try RawClient(port: server.port, receiveBuffer: 4096)
            try client.send("GET /large?bytes=16000000 HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(await eventually { server.connectionCount == 1 })
            // The response cannot fit in socket buffers; nobody reads it; the server lets go.
            #expect(await eventually(within: 10) { server.connectionCount == 0 })
        }
    }

    @Test func manyConcurrentKeepAliveConnections() async throws {
        try await withServer { server in
            let clients = try (0..<200).map { _ in try RawClient(port: server.port) }
            for round in 0..<3 {
                for (i, client) in clients.enumerated() {
                    try client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: \("c\(i)r\(round)".utf8.count)\r\n\r\nc\(i)r\(round)")
                }
                for (i, client) in clients.enumerated() {
                    #expect(try client.readResponse().bodyText == "c\(i)r\(round)")
                }
            }
            #expect(server.connectionCount == 200)
        }
    }

    @Test func aPortInUseIsReportedNotIgnored() async throws {
        try await withServer { server in
            var configuration = testConfiguration()
            configuration.port = server.port
            let second = HTTPServer(configuration: configuration, handler: TestHandler(), logger: quietLogger)
            #expect(throws: HTTPServerError.socket(operation: "bind", errno: EADDRINUSE)) { try second.start() }
            #expect(throws: HTTPServerError.alreadyStarted) { try server.start() }
        }
    }

    @Test func ipv6Loopback() async throws {
        try await withServer(testConfiguration(host: "::1")) { server in
            let client = try RawClient(port: server.port, ipv6: true)
            try client.send("GET /six HTTP/1.1\r\nHost: [::1]\r\n\r\n")
            #expect(try client.readResponse().bodyText == "hello /six")
        }
    }

    @Test func anyIPv4AddressBindServesLoopback() async throws {
        try await withServer(testConfiguration(host: "0.0.0.0")) { server in
            let client = try RawClient(port: server.port)
            try client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try client.readResponse().status == 200)
        }
    }

    @Test func dualStackBindServesIPv4AndIPv6() async throws {
        try await withServer(testConfiguration(host: "::")) { server in
            for ipv6 in [false, true] {
                let client = try RawClient(port: server.port, ipv6: ipv6)
                try client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
                #expect(try client.readResponse().status == 200)
            }
        }
    }

    @Test func gracefulShutdownAnswersEverythingInFlight() async throws {
        let handler = TestHandler()
        let server = HTTPServer(configuration: testConfiguration(), handler: handler, logger: quietLogger)
        try server.start()
        let port = server.port
        let idle = try RawClient(port: port)
        try idle.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try idle.readResponse().status == 200)
        let busy = try (0..<3).map { _ in try RawClient(port: port) }
        for client in busy { try client.send("GET /slow?ms=400 HTTP/1.1\r\nHost: x\r\n\r\n") }
        // Handlers run at most one per core, so wait only until the first slow one is running.
        #expect(await eventually { handler.started.count >= 2 })

        let stopped = Counter()
        server.shutdown(deadline: .seconds(5)) { stopped.increment() }
        #expect(server.isDraining)
        #expect(throws: ClientError.self) { try RawClient(port: port) }
        // The idle keep-alive connection is closed at once; in-flight ones get their answer.
        #expect(try idle.readsEOF())
        for client in busy {
            let response = try client.readResponse()
            #expect(response.status == 200)
            #expect(response.header("Connection") == "close")
            #expect(try client.readsEOF())
        }
        #expect(await eventually { stopped.count == 1 })
        #expect(server.connectionCount == 0)
    }

    /// Clients whose connections the kernel completed but the server had not accepted yet
    /// when the drain began: their requests are already sent, so they are answered too.
    @Test func connectionsStillInTheBacklogWhenTheDrainStartsAreAnswered() async throws {
        let server = HTTPServer(configuration: testConfiguration(), handler: TestHandler(), logger: quietLogger)
        try server.start()
        let port = server.port
        // Hold the accept queue: new connections stay in the listen backlog.
        let hold = DispatchSemaphore(value: 0)
        server.acceptQueue.async { hold.wait() }
        let waiting = try (0..<3).map { _ in try RawClient(port: port) }
        for client in waiting { try client.send("GET /queued HTTP/1.1\r\nHost: x\r\n\r\n") }
        #expect(server.connectionCount == 0)
        let stopped = Counter()
        Thread { server.shutdown(deadline: .seconds(5)) { stopped.increment() } }.start()
        // Give shutdown the chance to close the listener before the queue is let go.
        _ = await eventually(within: 0.3) { server.isDraining }
        hold.signal()
        // Accepted a moment before or after the drain flag reaches it, each is answered
        // (with or without `Connection: close`) and then closed.
        for client in waiting {
            #expect(try client.readResponse().status == 200)
            #expect(try client.readsEOF())
        }
        #expect(await eventually { stopped.count == 1 })
    }

    @Test func signalStartsTheDrain() async throws {
        let server = HTTPServer(configuration: testConfiguration(), handler: TestHandler(), logger: quietLogger)
        try server.start()
        let stopped = Counter()
        // SIGUSR2 stands in for SIGTERM. libdispatch installs its catcher when the source
        // registers, asynchronously: until then keep the signal ignored (not fatal) and resend.
        signal(SIGUSR2, SIG_IGN)
        server.installSignalHandlers([SIGUSR2]) { stopped.increment() }
        #expect(
            await eventually {
                if stopped.count == 0 { kill(getpid(), SIGUSR2) }
                return stopped.count == 1
            })
        #expect(server.isDraining)
        #expect(throws: ClientError.self) { try RawClient(port: server.port) }
    }

    @Test func requestHalfReceivedWhenDrainStartsIsStillAnswered() async throws {
        let server = HTTPServer(configuration: testConfiguration(), handler: TestHandler(), logger: quietLogger)
        try server.start()
        let client = try RawClient(port: server.port)
        try client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Le")
        #expect(await eventually { server.connectionCount == 1 })
        let stopped = Counter()
        server.shutdown(deadline: .seconds(5)) { stopped.increment() }
        try client.send("ngth: 4\r\n\r\nlate")
        let response = try client.readResponse()
        #expect(response.bodyText == "late")
        #expect(response.header("Connection") == "close")
        #expect(await eventually { stopped.count == 1 })
    }

    @Test func drainDeadlineClosesWhatIsLeft() async throws {
        let server = HTTPServer(configuration: testConfiguration(), handler: TestHandler(), logger: quietLogger)
        try server.start()
        let client = try RawClient(port: server.port)
        try client.send("GET / HTTP/1.1\r\nHost: x\r\nX-Partial: ")
        #expect(await eventually { server.connectionCount == 1 })
        let start = ContinuousClock.now
        await server.shutdown(deadline: .milliseconds(200))
        #expect(server.connectionCount == 0)
        #expect(ContinuousClock.now - start < .seconds(2))
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/curl")))
    func curlTalksToTheServer() async throws {
        try await withServer { server in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
            process.arguments = [
                "-sS", "--max-time", "5", "-i", "-H", "Content-Type: text/plain", "--data-binary", "from curl",
                "http://127.0.0.1:\(server.port)/echo", "http://127.0.0.1:\(server.port)/second",
            ]
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
            #expect(output.hasPrefix("HTTP/1.1 200 OK\r\n"))
            #expect(output.contains("\r\n\r\nfrom curl"))
            #expect(output.contains("X-Method: POST"))
        }
    }
}
