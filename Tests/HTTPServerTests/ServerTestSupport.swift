import Dispatch
import Foundation
import HTTPServer
import Logging
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The handler behind the loopback tests: `/echo` returns the body, `/slow?ms=N` sleeps
/// first, `/large?bytes=N` returns N bytes, anything else returns `hello`.
struct TestHandler: HTTPHandler {
    let started = Counter()

    func handle(_ request: HTTPRequest) -> HTTPResponse {
        started.increment()
        let query = request.query.map { parseQuery($0) } ?? [:]
        var headers = HTTPHeaders()
        headers.add("Content-Type", "text/plain")
        headers.add("X-Target", request.target)
        switch request.path {
        case "/echo":
            headers.add("X-Method", request.method)
            return HTTPResponse(status: 200, headers: headers, body: request.body)
        case "/slow":
            usleep(UInt32(Int(query["ms"] ?? "100") ?? 100) * 1000)
            return HTTPResponse(status: 200, headers: headers, body: Array("slow \(request.target)".utf8))
        case "/large":
            return HTTPResponse(status: 200, headers: headers, body: [UInt8](repeating: 0x61, count: Int(query["bytes"] ?? "0") ?? 0))
        case "/close":
            headers.add("Connection", "close")
            return HTTPResponse(status: 200, headers: headers, body: Array("bye".utf8))
        default:
            return HTTPResponse(status: 200, headers: headers, body: Array("hello \(request.target)".utf8))
        }
    }

    private func parseQuery(_ query: String) -> [String: String] {
        var result: [String: String] = [:]
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            result[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
        }
        return result
    }
}

/// The same routes answered on the connection's event loop (`runsInline`), except `/slow`.
struct InlineTestHandler: HTTPHandler {
    let inner = TestHandler()
    func handle(_ request: HTTPRequest) -> HTTPResponse { inner.handle(request) }
    func runsInline(_ request: HTTPRequest) -> Bool { request.path != "/slow" }
}

final class Counter: @unchecked Sendable {
    private var value = 0
    private let lock = NSLock()
    func increment() { lock.withLock { value += 1 } }
    var count: Int { lock.withLock { value } }
}

final class RecordLog: @unchecked Sendable {
    private var records: [HTTPExchangeRecord] = []
    private let lock = NSLock()
    func append(_ record: HTTPExchangeRecord) { lock.withLock { records.append(record) } }
    var all: [HTTPExchangeRecord] { lock.withLock { records } }
}

/// Short timeouts so every timing path finishes in well under a second.
func testConfiguration(host: String = "127.0.0.1") -> HTTPServerConfiguration {
    HTTPServerConfiguration(
        host: host, port: 0, maxConnections: 512,
        limits: HTTPParserLimits(maxRequestLineBytes: 8 * 1024, maxHeaderSectionBytes: 16 * 1024, maxBodyBytes: 64 * 1024),
        headerTimeout: .seconds(2), bodyIdleTimeout: .seconds(2), keepAliveIdleTimeout: .seconds(5),
        writeTimeout: .seconds(2), drainDeadline: .seconds(5), lingerTimeout: .milliseconds(500))
}

let quietLogger: Logger = {
    var logger = Logger(label: "HTTPServerTests")
    logger.logLevel = .error
    return logger
}()

/// Starts a server on an ephemeral port, runs `body`, then shuts it down and waits for it.
func withServer<T>(
    _ configuration: HTTPServerConfiguration = testConfiguration(),
    handler: any HTTPHandler = TestHandler(),
    log: RecordLog? = nil,
    _ body: (HTTPServer) async throws -> T
) async throws -> T {
    var onResponse: (@Sendable (HTTPExchangeRecord) -> Void)?
    if let log { onResponse = { log.append($0) } }
    let server = HTTPServer(configuration: configuration, handler: handler, logger: quietLogger, onResponse: onResponse)
    try server.start()
    do {
        let result = try await body(server)
        await server.shutdown(deadline: .milliseconds(500))
        return result
    } catch {
        await server.shutdown(deadline: .milliseconds(500))
        throw error
    }
}

/// Waits (bounded) until `condition` holds; returns whether it did.
func eventually(within seconds: Double = 5, _ condition: () -> Bool) async -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return condition()
}

struct ClientError: Error, CustomStringConvertible {
    var description: String
}

struct RawResponse {
    var status: Int
    var headers: [(String, String)]
    var body: [UInt8]
    var bodyText: String { String(decoding: body, as: UTF8.self) }

    func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }
}

/// A blocking loopback client speaking raw bytes, with a receive timeout so no test hangs.
final class RawClient {
    let fd: Int32
    private var pending: [UInt8] = []
    /// Set by `startTLS`: from then on bytes go through it.
    var tls: TestTLSClient?

    init(port: Int, ipv6: Bool = false, receiveBuffer: Int32? = nil, timeoutSeconds: Int = 5) throws {
        fd = socket(ipv6 ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ClientError(description: "socket: \(errno)") }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        if var size = receiveBuffer {
            setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        let rc: Int32
        if ipv6 {
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = UInt16(port).bigEndian
            address.sin6_addr = in6addr_loopback
            rc = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
            }
        } else {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = UInt16(port).bigEndian
            address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
            rc = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        }
        guard rc == 0 else {
            let e = errno
            Glibc.close(fd)
            throw ClientError(description: "connect: \(e)")
        }
    }

    deinit { Glibc.close(fd) }

    func send(_ text: String) throws { try send(Array(text.utf8)) }

    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { raw in
                if let tls { return tls.write(raw.baseAddress! + offset, count: bytes.count - offset) }
                return Glibc.send(fd, raw.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
            }
            guard n > 0 else { throw ClientError(description: "send: \(errno)") }
            offset += n
        }
    }

    /// Reads more bytes; false on EOF (or reset), throws on timeout.
    private func fill() throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = chunk.withUnsafeMutableBytes { raw in
            if let tls { return tls.read(raw.baseAddress!, count: raw.count) }
            return recv(fd, raw.baseAddress!, raw.count, 0)
        }
        if n > 0 {
            pending += chunk[..<n]
            return true
        }
        if n == 0 || errno == ECONNRESET { return false }
        throw ClientError(description: "recv: \(errno)")
    }

    /// Reads one response. `bodyless` for answers to HEAD and for 100 Continue.
    func readResponse(bodyless: Bool = false) throws -> RawResponse {
        while true {
            if let end = findHeaderEnd() {
                let headText = String(decoding: pending[..<end], as: UTF8.self)
                var lines = headText.components(separatedBy: "\r\n")
                let statusLine = lines.removeFirst().split(separator: " ")
                guard statusLine.count >= 2, statusLine[0] == "HTTP/1.1", let status = Int(statusLine[1]) else {
                    throw ClientError(description: "bad status line \(headText)")
                }
                let headers = lines.map { line -> (String, String) in
                    let colon = line.firstIndex(of: ":")!
                    return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
                }
                pending.removeFirst(end + 4)
                var response = RawResponse(status: status, headers: headers, body: [])
                let length = bodyless || status < 200 ? 0 : Int(response.header("Content-Length") ?? "0") ?? 0
                while pending.count < length {
                    guard try fill() else { throw ClientError(description: "EOF in body") }
                }
                response.body = Array(pending[..<length])
                pending.removeFirst(length)
                return response
            }
            guard try fill() else { throw ClientError(description: "EOF before response (\(pending.count) bytes)") }
        }
    }

    private func findHeaderEnd() -> Int? {
        guard pending.count >= 4 else { return nil }
        for i in 0...(pending.count - 4)
        where pending[i] == 13 && pending[i + 1] == 10 && pending[i + 2] == 13 && pending[i + 3] == 10 {
            return i
        }
        return nil
    }

    /// True when the server has closed: EOF with no further bytes.
    func readsEOF() throws -> Bool {
        if !pending.isEmpty { return false }
        return try !fill() && pending.isEmpty
    }

    var bufferedByteCount: Int { pending.count }

    /// The body of a `Transfer-Encoding: chunked` response whose head `readResponse` read.
    func readChunkedBody() throws -> [UInt8] {
        var body: [UInt8] = []
        while true {
            let sizeLine = try readLine()
            guard let size = Int(sizeLine.split(separator: ";")[0], radix: 16) else {
                throw ClientError(description: "bad chunk size line \(sizeLine)")
            }
            if size == 0 {
                while try !readLine().isEmpty {}
                return body
            }
            while pending.count < size + 2 {
                guard try fill() else { throw ClientError(description: "EOF in chunk") }
            }
            body += pending[..<size]
            pending.removeFirst(size + 2)
        }
    }

    /// Everything until the server closes (an HTTP/1.0 streamed body).
    func readToEOF() throws -> [UInt8] {
        while try fill() {}
        defer { pending = [] }
        return pending
    }

    private func readLine() throws -> String {
        while true {
            if let lf = pending.firstIndex(of: 10), lf > 0, pending[lf - 1] == 13 {
                defer { pending.removeFirst(lf + 1) }
                return String(decoding: pending[..<(lf - 1)], as: UTF8.self)
            }
            guard try fill() else { throw ClientError(description: "EOF before line end") }
        }
    }
}

extension RawResponse {
    /// The problem body parsed, checked to be RFC 9457-shaped.
    func problem() throws -> [String: Any] {
        #expect(header("Content-Type") == "application/problem+json")
        let object = try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] ?? [:]
        #expect(object["type"] as? String == "about:blank")
        #expect(object["status"] as? Int == status)
        #expect(object["title"] is String)
        #expect(object["detail"] is String)
        return object
    }
}
