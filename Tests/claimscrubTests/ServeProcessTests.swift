import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `claimscrub serve` as an operator runs it: a real process, a real port, real signals.
@Suite(.serialized) struct ServeProcessTests {
    /// A started `claimscrub serve --port 0` and the port its `ready` line names.
    final class Server {
        let process = Process()
        let port: UInt16
        private let output = Pipe()

        init() throws {
            let exe = try #require(ExecutableTests.executable, "claimscrub executable not found beside the tests")
            process.executableURL = exe
            process.arguments = ["serve", "--port", "0", "--config-directory", ScrubRunTests.configDirectory]
            process.standardOutput = output
            process.standardError = output
            try process.run()
            // The JSON log's `ready` line carries "listen":"127.0.0.1:PORT".
            var seen = ""
            var port: UInt16?
            let handle = output.fileHandleForReading
            while port == nil {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                seen += String(decoding: chunk, as: UTF8.self)
                for line in seen.split(separator: "\n") where line.contains(#""message":"ready""#) {
                    if let r = line.range(of: #""listen":"127.0.0.1:"#) {
                        port = UInt16(line[r.upperBound...].prefix { $0.isNumber })
                    }
                }
            }
            self.port = try #require(port, "no ready line; output: \(seen)")
        }

        func terminate() { kill(process.processIdentifier, SIGTERM) }

        deinit { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
    }

    /// A blocking loopback TCP connection with a read timeout.
    final class Connection {
        let fd: Int32

        init?(port: UInt16) {
            fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var addr = sockaddr_in()
            addr.sin_family = sa_family_t(AF_INET)
            addr.sin_port = port.bigEndian
            addr.sin_addr.s_addr = inet_addr("127.0.0.1")
            var timeout = timeval(tv_sec: 10, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            let ok = withUnsafePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            if ok != 0 {
                close(fd)
                return nil
            }
        }

        func send(_ text: String) {
            let bytes = Array(text.utf8)
            var sent = 0
            while sent < bytes.count {
                let n = bytes[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                if n <= 0 { return }
                sent += n
            }
        }

        /// Reads one response whose body length is given by Content-Length.
        func readResponse() -> String {
            var data: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 16_384)
            while true {
                let text = String(decoding: data, as: UTF8.self)
                if let end = text.range(of: "\r\n\r\n") {
                    let head = text[..<end.lowerBound].lowercased()
                    let length = head.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
                        .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
                    if text.utf8.count - text[..<end.upperBound].utf8.count >= length { return text }
                }
                let n = recv(fd, &buffer, buffer.count, 0)
                if n <= 0 { return String(decoding: data, as: UTF8.self) }
                data += buffer[0..<n]
            }
        }

        deinit { close(fd) }
    }

    static let claim: String = {
        let path = ScrubRunTests.configDirectory + "/../Tests/ClaimScrubTests/Fixtures/examples/clean-thoracic-therapy.claim.json"
        return (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    }()

    @Test func sigtermDrainsEveryRequestInFlightAndExitsZero() throws {
        #expect(!Self.claim.isEmpty)
        let server = try Server()
        let connections = (0..<20).compactMap { _ in Connection(port: server.port) }
        #expect(connections.count == 20)
        // Each connection is served once, so each is accepted and known to the server ...
        for c in connections {
            c.send("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(c.readResponse().hasPrefix("HTTP/1.1 200"))
        }
        // ... then starts a scrub whose body is still arriving when SIGTERM comes.
        let body = Array(Self.claim.utf8)
        let cut = body.count - 10
        for c in connections {
            c.send("POST /v1/scrub HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\n\r\n")
            c.send(String(decoding: body[..<cut], as: UTF8.self))
        }
        server.terminate()
        // The listener closes at once: a new client is refused while the old ones finish.
        var refused = false
        for _ in 0..<100 where !refused {
            if Connection(port: server.port) == nil { refused = true } else { usleep(20_000) }
        }
        #expect(refused)
        for c in connections {
            c.send(String(decoding: body[cut...], as: UTF8.self))
            let response = c.readResponse()
            #expect(response.hasPrefix("HTTP/1.1 200"))
            #expect(response.lowercased().contains("connection: close"))
            #expect(response.contains(#""claimId":"EX-001""#))
        }
        server.process.waitUntilExit()
        #expect(server.process.terminationReason == .exit)
        #expect(server.process.terminationStatus == 0)
    }

    @Test func sigintAlsoStopsCleanly() throws {
        let server = try Server()
        let c = try #require(Connection(port: server.port))
        c.send("GET /readyz HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(c.readResponse().hasPrefix("HTTP/1.1 200"))
        kill(server.process.processIdentifier, SIGINT)
        server.process.waitUntilExit()
        #expect(server.process.terminationStatus == 0)
    }

    @Test func urlSessionScrubsAndReadsTheCatalog() async throws {
        let server = try Server()
        defer { server.terminate() }
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(server.port)/v1/scrub")!)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(Self.claim.utf8)
        let (data, response) = try await URLSession.shared.data(for: request)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        let result = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(result["status"] as? String == "pass")
        #expect((response as? HTTPURLResponse)?.value(forHTTPHeaderField: "X-Request-Id")?.isEmpty == false)

        let (catalog, catalogResponse) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(server.port)/v1/rules")!)
        #expect((catalogResponse as? HTTPURLResponse)?.statusCode == 200)
        #expect(String(decoding: catalog, as: UTF8.self).contains("DX_NOT_BILLABLE"))
    }
}
