#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import HTTPServer
@testable import ScrubService

/// A blocking HTTP/1.1 client over a plain TCP socket, one request per connection
/// (`Connection: close`), for running the in-memory tests' requests against a live server.
struct LiveClient: TestClient {
    let port: UInt16

    func execute(_ request: HTTPRequest) -> HTTPResponse {
        (try? send(request)) ?? HTTPResponse(status: 0)
    }

    func send(_ request: HTTPRequest) throws -> HTTPResponse {
        let fd = try connectToLoopback(port: Int(port), receiveTimeoutSeconds: 5)
        defer { close(fd) }

        var head = "\(request.method) \(request.target) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        for (name, value) in request.headers { head += "\(name): \(value)\r\n" }
        if !request.body.isEmpty || request.method == "POST" { head += "Content-Length: \(request.body.count)\r\n" }
        let bytes = Array((head + "\r\n").utf8) + request.body
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            guard n > 0 else { throw Failure(what: "write") }
            sent += n
        }

        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16384)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            received += buffer[0..<n]
        }
        return try Self.parse(received, head: request.method == "HEAD")
    }

    /// Status line, headers, then a Content-Length body (the server under test never chunks these).
    static func parse(_ bytes: [UInt8], head: Bool) throws -> HTTPResponse {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard let end = (0...(max(0, bytes.count - 4))).first(where: { Array(bytes[$0..<min($0 + 4, bytes.count)]) == separator })
        else { throw Failure(what: "no header end") }
        let lines = String(decoding: bytes[..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = lines[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { throw Failure(what: "status line") }
        var headers = HTTPHeaders()
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers.add(String(line[..<colon]), line[line.index(after: colon)...].trimmingWhitespace())
        }
        return HTTPResponse(status: status, headers: headers, body: head ? [] : Array(bytes[(end + 4)...]))
    }
}

struct Failure: Error { var what: String }

/// A blocking TCP socket connected to 127.0.0.1:`port`, whose reads give up after
/// `receiveTimeoutSeconds` (no test may hang on a server that never answers).
func connectToLoopback(port: Int, receiveTimeoutSeconds: Int) throws -> Int32 {
    #if canImport(Glibc)
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    #else
    let fd = socket(AF_INET, SOCK_STREAM, 0)
    #endif
    guard fd >= 0 else { throw Failure(what: "socket") }
    var timeout = timeval(tv_sec: receiveTimeoutSeconds, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = UInt16(port).bigEndian
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard connected == 0 else {
        close(fd)
        throw Failure(what: "connect")
    }
    return fd
}
