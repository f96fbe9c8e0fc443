import Dispatch
import Foundation
import Testing
import ZlibStream

@testable import HTTPServer

#if canImport(Glibc)
import Glibc
#endif

/// What the streaming test handlers saw, for the tests to poll instead of timing anything.
final class StreamProbe: @unchecked Sendable {
    private let lock = NSLock()
    private var _reader: HTTPBodyReader?
    private var _writer: HTTPResponseWriter?
    private var _errors: [HTTPStreamError] = []
    private var _finished = 0

    func attach(_ reader: HTTPBodyReader, _ writer: HTTPResponseWriter) { lock.withLock { (_reader, _writer) = (reader, writer) } }
    func fail(_ error: HTTPStreamError) { lock.withLock { _errors.append(error) } }
    func finish() { lock.withLock { _finished += 1 } }
    var reader: HTTPBodyReader? { lock.withLock { _reader } }
    var writer: HTTPResponseWriter? { lock.withLock { _writer } }
    var errors: [HTTPStreamError] { lock.withLock { _errors } }
    var finished: Int { lock.withLock { _finished } }
}

/// `/upper` streams the body back upper-cased; `/produce?bytes=N` writes N bytes (0: until the
/// client is gone) without reading; `/reject` answers 415 before reading; `/forget` returns
/// without answering; anything else is an ordinary buffered request.
struct StreamTestHandler: HTTPHandler {
    let probe = StreamProbe()

    func handle(_ request: HTTPRequest) -> HTTPResponse {
        HTTPResponse(status: 200, body: Array("buffered \(request.body.count)".utf8))
    }

    func streamingHandler(for head: HTTPRequest) -> (any HTTPStreamingHandler)? {
        switch head.path {
        case "/upper": Upper(probe: probe)
        case "/produce": Producer(probe: probe, bytes: Int(head.query?.split(separator: "=").last ?? "0") ?? 0)
        case "/reject": Reject()
        case "/forget": Forget()
        default: nil
        }
    }

    struct Upper: HTTPStreamingHandler {
        let probe: StreamProbe
        func handle(head: HTTPRequest, body: HTTPBodyReader, response: HTTPResponseWriter) {
            probe.attach(body, response)
            do throws(HTTPStreamError) {
                var headers = HTTPHeaders()
                headers.add("Content-Type", "text/plain")
                headers.add("X-Seen-Encoding", head.headers["content-encoding"] ?? "none")
                try response.writeHead(status: 200, headers: headers)
                while let chunk = try body.read() {
                    try response.write(chunk.map { $0 >= 0x61 && $0 <= 0x7A ? $0 - 0x20 : $0 })
                }
                try response.finish()
                probe.finish()
            } catch {
                probe.fail(error)
            }
        }
    }

    struct Producer: HTTPStreamingHandler {
        let probe: StreamProbe
        let bytes: Int
        func handle(head: HTTPRequest, body: HTTPBodyReader, response: HTTPResponseWriter) {
            probe.attach(body, response)
            let piece = [UInt8](repeating: 0x7A, count: 16 * 1024)
            var written = 0
            do throws(HTTPStreamError) {
                while bytes == 0 || written < bytes {
                    let n = bytes == 0 ? piece.count : min(piece.count, bytes - written)
                    try response.write(Array(piece[..<n]))
                    written += n
                }
                try response.finish()
                probe.finish()
            } catch {
                probe.fail(error)
            }
        }
    }

    struct Reject: HTTPStreamingHandler {
        func handle(head: HTTPRequest, body: HTTPBodyReader, response: HTTPResponseWriter) {
            try? response.respond(HTTPResponse.problem(status: 415, detail: "Not this type."))
        }
    }

    struct Forget: HTTPStreamingHandler {
        func handle(head: HTTPRequest, body: HTTPBodyReader, response: HTTPResponseWriter) {}
    }
}

func streamingConfiguration(maxRequests: Int = 4, bufferBytes: Int = 64 * 1024) -> HTTPServerConfiguration {
    var configuration = testConfiguration()
    configuration.streaming = HTTPStreamingConfiguration(maxRequests: maxRequests, maxBodyBytes: 64 << 20, bufferBytes: bufferBytes)
    return configuration
}

/// Sends `bytes` on a thread of its own through a blocking socket (it blocks while the server
/// does not read), so the test thread stays free to watch and then to read.
func sendInBackground(_ fd: Int32, _ bytes: [UInt8]) -> DispatchSemaphore {
    let done = DispatchSemaphore(value: 0)
    Thread {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { break }
            offset += n
        }
        done.signal()
    }.start()
    return done
}

func chunked(_ parts: [[UInt8]]) -> [UInt8] {
    var out: [UInt8] = []
    for part in parts where !part.isEmpty { out += Array("\(String(part.count, radix: 16))\r\n".utf8) + part + [13, 10] }
    return out + Array("0\r\n\r\n".utf8)
}

@Suite(.serialized) struct StreamingTests {
    @Test func linesComeBackUpperCasedAsAChunkedStreamAndTheConnectionIsReused() async throws {
        let handler = StreamTestHandler()
        let log = RecordLog()
        try await withServer(streamingConfiguration(), handler: handler, log: log) { server in
            let client = try RawClient(port: server.port)
            let body = chunked([Array("one\n".utf8), Array("two\nthree\n".utf8)])
            try client.send("POST /upper HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nX-Request-Id: s1\r\n\r\n")
            try client.send(body)
            let response = try client.readResponse()
            #expect(response.status == 200)
            #expect(response.header("Transfer-Encoding") == "chunked")
            #expect(response.header("Content-Length") == nil)
            #expect(response.header("Connection") == nil)
            #expect(String(decoding: try client.readChunkedBody(), as: UTF8.self) == "ONE\nTWO\nTHREE\n")
            // The same connection then serves an ordinary request.
            try client.send("POST /plain HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc")
            #expect(try client.readResponse().bodyText == "buffered 3")
            #expect(await eventually { log.all.count == 2 })
            let record = try #require(log.all.first)
            #expect(record.path == "/upper" && record.status == 200 && record.requestID == "s1" && !record.rejectedByServer)
        }
    }

    @Test func aStreamingRouteHasItsOwnBodyLimit() async throws {
        try await withServer(streamingConfiguration(), handler: StreamTestHandler()) { server in
            // 64 KiB is the buffered limit in the test configuration; the stream takes 1 MiB.
            let body = [UInt8](repeating: 0x62, count: 1 << 20)
            let client = try RawClient(port: server.port)
            try client.send("POST /upper HTTP/1.1\r\nHost: x\r\nContent-Length: \(body.count)\r\n\r\n")
            let sending = sendInBackground(client.fd, body)
            #expect(try client.readResponse().status == 200)
            #expect(try client.readChunkedBody() == [UInt8](repeating: 0x42, count: 1 << 20))
            sending.wait()

            let buffered = try RawClient(port: server.port)
            try buffered.send("POST /plain HTTP/1.1\r\nHost: x\r\nContent-Length: \(body.count)\r\n\r\n")
            #expect(try buffered.readResponse().status == 413)
        }
    }

    @Test func aClientThatSendsButDoesNotReadCannotGrowTheServersBuffers() async throws {
        let handler = StreamTestHandler()
        let bound = 64 * 1024
        var configuration = streamingConfiguration(bufferBytes: bound)
        // The client pauses on purpose; on a loaded machine the pause may outlast the
        // 2 s test timeouts, and this test is about buffers, not time limits.
        configuration.writeTimeout = .seconds(60)
        configuration.bodyIdleTimeout = .seconds(60)
        try await withServer(configuration, handler: handler) { server in
            let body = (0..<(8 << 20)).map { UInt8(0x61 + $0 % 26) }
            // A small receive buffer, so the kernel cannot absorb the whole echo either.
            let client = try RawClient(port: server.port, receiveBuffer: 16 * 1024, timeoutSeconds: 20)
            try client.send("POST /upper HTTP/1.1\r\nHost: x\r\nContent-Length: \(body.count)\r\n\r\n")
            let sending = sendInBackground(client.fd, body)
            // Not reading: the handler's writes block, so it stops taking the body, so the
            // connection stops reading. Both show up in the counters.
            #expect(await eventually(within: 30) {
                (handler.probe.writer?.waits ?? 0) > 0 && (handler.probe.reader?.readPauses ?? 0) > 0
            })
            #expect(try client.readResponse().status == 200)
            let echoed = try client.readChunkedBody()
            sending.wait()
            #expect(echoed.count == body.count)
            #expect(echoed == body.map { $0 - 0x20 })
            let reader = try #require(handler.probe.reader)
            let writer = try #require(handler.probe.writer)
            // Each bound may be passed by one read (16 KiB buffer) or one write (one body part, framed).
            #expect(reader.maxBufferedBytes <= bound + 16 * 1024)
            #expect(writer.maxPendingBytes <= bound + 16 * 1024 + 16)
        }
    }

    @Test func aSlowReaderGetsEveryByteWhileTheWriterWaits() async throws {
        let handler = StreamTestHandler()
        try await withServer(streamingConfiguration(), handler: handler) { server in
            let total = 4 << 20
            let client = try RawClient(port: server.port, receiveBuffer: 16 * 1024)
            try client.send("GET /produce?bytes=\(total) HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(await eventually(within: 20) { (handler.probe.writer?.waits ?? 0) > 0 })
            #expect(try client.readResponse().status == 200)
            #expect(try client.readChunkedBody().count == total)
            #expect(await eventually { handler.probe.finished == 1 })
            #expect(try #require(handler.probe.writer).maxPendingBytes <= 64 * 1024 + 16 * 1024 + 16)
        }
    }

    @Test func aClientThatDisconnectsMidBodyStopsTheHandlersRead() async throws {
        let handler = StreamTestHandler()
        try await withServer(streamingConfiguration(), handler: handler) { server in
            do {
                let client = try RawClient(port: server.port)
                try client.send("POST /upper HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n")
                #expect(try client.readResponse().status == 200)
                #expect(await eventually { handler.probe.reader != nil })
            }  // closed here, mid-body
            #expect(await eventually { handler.probe.errors == [.connectionClosed] })
        }
    }

    @Test func aClientThatStopsReadingAndLeavesStopsTheHandlersWrites() async throws {
        let handler = StreamTestHandler()
        try await withServer(streamingConfiguration(), handler: handler) { server in
            do {
                let client = try RawClient(port: server.port)
                try client.send("GET /produce?bytes=0 HTTP/1.1\r\nHost: x\r\n\r\n")
                #expect(try client.readResponse().status == 200)
            }
            #expect(await eventually { handler.probe.errors == [.connectionClosed] })
        }
    }

    @Test func aClientThatStaysButNeverReadsIsCutOffByTheWriteTimeout() async throws {
        let handler = StreamTestHandler()
        try await withServer(streamingConfiguration(), handler: handler) { server in
            let client = try RawClient(port: server.port, receiveBuffer: 16 * 1024)
            try client.send("GET /produce?bytes=0 HTTP/1.1\r\nHost: x\r\n\r\n")
            // The producer never ends; only the write timeout (2 s here) can stop it.
            #expect(await eventually(within: 20) { handler.probe.errors == [.connectionClosed] })
            #expect(try #require(handler.probe.writer).maxPendingBytes <= 64 * 1024 + 16 * 1024 + 16)
            _ = client
        }
    }

    @Test func beyondMaxStreamingRequestsTheAnswerIs503AndShortRequestsStillWork() async throws {
        let handler = StreamTestHandler()
        try await withServer(streamingConfiguration(maxRequests: 1), handler: handler) { server in
            let first = try RawClient(port: server.port)
            try first.send("POST /upper HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
            #expect(try first.readResponse().status == 200)

            let second = try RawClient(port: server.port)
            try second.send("POST /upper HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
            let refused = try second.readResponse()
            #expect(refused.status == 503)
            #expect(refused.header("Retry-After") == "1")
            _ = try refused.problem()

            let short = try RawClient(port: server.port)
            try short.send("GET /plain HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try short.readResponse().bodyText == "buffered 0")

            try first.send("2\r\nok\r\n0\r\n\r\n")
            #expect(try first.readChunkedBody() == Array("OK".utf8))
            // The slot is free again.
            #expect(await eventually {
                guard let third = try? RawClient(port: server.port) else { return false }
                try? third.send("POST /upper HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\nq")
                return (try? third.readResponse().status) == 200
            })
        }
    }

    @Test func drainLetsAStreamInFlightFinish() async throws {
        let handler = StreamTestHandler()
        let server = HTTPServer(configuration: streamingConfiguration(), handler: handler, logger: quietLogger)
        try server.start()
        let client = try RawClient(port: server.port)
        try client.send("POST /upper HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n")
        #expect(try client.readResponse().status == 200)
        let stopped = Counter()
        server.shutdown(deadline: .seconds(10)) { stopped.increment() }
        #expect(server.isDraining)
        try client.send("3\r\ndef\r\n0\r\n\r\n")
        #expect(try client.readChunkedBody() == Array("ABCDEF".utf8))
        #expect(try client.readsEOF())
        #expect(await eventually { stopped.count == 1 })
        #expect(handler.probe.finished == 1 && handler.probe.errors.isEmpty)
    }

    @Test func aHandlerMayAnswerWithAWholeResponseOrNotAtAll() async throws {
        try await withServer(streamingConfiguration(), handler: StreamTestHandler()) { server in
            let client = try RawClient(port: server.port)
            try client.send("POST /reject HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\n")
            let rejected = try client.readResponse()
            #expect(rejected.status == 415)
            // The body was never read: the connection cannot be reused.
            #expect(rejected.header("Connection") == "close")

            let other = try RawClient(port: server.port)
            try other.send("POST /forget HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
            #expect(try other.readResponse().status == 500)
        }
    }

    @Test func aGzipBodyReachesTheStreamingHandlerDecoded() async throws {
        try await withServer(streamingConfiguration(), handler: StreamTestHandler()) { server in
            let plain = (0..<20_000).flatMap { Array("claim line \($0 * 7919 % 10007)\n".utf8) }
            let gzipped = try compress(plain, .gzip)
            let client = try RawClient(port: server.port)
            try client.send("POST /upper HTTP/1.1\r\nHost: x\r\nContent-Encoding: gzip\r\nContent-Length: \(gzipped.count)\r\n\r\n")
            try client.send(gzipped)
            let response = try client.readResponse()
            #expect(response.header("X-Seen-Encoding") == "none")
            #expect(try client.readChunkedBody() == plain.map { $0 >= 0x61 && $0 <= 0x7A ? $0 - 0x20 : $0 })
        }
    }

    @Test func anHTTP10ClientGetsPlainBytesEndedByClose() async throws {
        try await withServer(streamingConfiguration(), handler: StreamTestHandler()) { server in
            let client = try RawClient(port: server.port)
            try client.send("POST /upper HTTP/1.0\r\nContent-Length: 3\r\n\r\nxyz")
            let response = try client.readResponse(bodyless: true)
            #expect(response.header("Transfer-Encoding") == nil)
            #expect(response.header("Connection") == "close")
            #expect(try client.readToEOF() == Array("XYZ".utf8))
        }
    }
}

@Suite(.serialized) struct StreamingFailureTests {
    @Test func aCorruptGzipBodyAfterTheResponseStartedClosesTheConnection() async throws {
        let handler = StreamTestHandler()
        try await withServer(streamingConfiguration(), handler: handler) { server in
            let plain = (0..<2_000).flatMap { Array("line \($0)\n".utf8) }
            var gzipped = try compress(plain, .gzip)
            gzipped[gzipped.count / 2] ^= 0xFF
            let client = try RawClient(port: server.port)
            try client.send("POST /upper HTTP/1.1\r\nHost: x\r\nContent-Encoding: gzip\r\nContent-Length: \(gzipped.count)\r\n\r\n")
            #expect(try client.readResponse().status == 200)
            try client.send(gzipped)
            // No problem document spliced into the chunked stream: the stream is cut short.
            #expect(throws: ClientError.self) { try client.readChunkedBody() }
            #expect(await eventually { handler.probe.errors == [.connectionClosed] })
        }
    }
}

@Suite(.serialized) struct StreamingOverTLSTests {
    @Test func aStreamedExchangeWorksOverTLS() async throws {
        let pki = try testPKI()
        var configuration = tlsConfiguration(pki)
        configuration.streaming = streamingConfiguration().streaming
        try await withServer(configuration, handler: StreamTestHandler()) { server in
            let client = try RawClient(port: server.port)
            try client.startTLS(caFile: pki.pem("ca"))
            // Small enough for the socket buffers: a blocking TLS client cannot send and read at once.
            let body = (0..<200_000).map { UInt8(0x61 + $0 % 26) }
            try client.send("POST /upper HTTP/1.1\r\nHost: x\r\nContent-Length: \(body.count)\r\n\r\n")
            try client.send(body)
            #expect(try client.readResponse().header("Transfer-Encoding") == "chunked")
            #expect(try client.readChunkedBody() == body.map { $0 - 0x20 })
            try client.send("GET /plain HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try client.readResponse().bodyText == "buffered 0")
        }
    }
}
