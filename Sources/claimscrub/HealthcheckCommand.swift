#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser
import COpenSSL
import ScrubService

/// `claimscrub healthcheck`: asks the local server's `/readyz` over a plain socket (TLS when
/// the settings give the server a certificate), so a container image needs no curl. Exit 0
/// when it answers 200, 1 otherwise.
struct HealthcheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "healthcheck",
        abstract: "Exit 0 when the local server answers GET /readyz with 200, else 1.",
        discussion: """
            The address comes from the same settings as `serve` (--config FILE, CLAIMSCRUB_* \
            variables, --host, --port). A wildcard listen address (0.0.0.0, ::) is asked on loopback.
            """
    )

    @Option(name: .customLong("config"), help: "Server settings file (server.yaml); default: built-in settings.")
    var configFile: String?

    @Option(help: "Address the server listens on (default 127.0.0.1).")
    var host: String?

    @Option(help: "Port the server listens on (default 8080).")
    var port: Int?

    @Option(help: "Path to ask.")
    var path = "/readyz"

    @Option(help: "Seconds to wait for connect and answer together.")
    var timeout: Double = 2

    func run() throws {
        let settings: ServiceConfiguration
        do {
            settings = try ServiceConfiguration.load(flags: .init(configFile: configFile, host: host, port: port))
        } catch {
            printError("claimscrub: configuration: \(error)")
            throw ExitCode(2)
        }
        let target = Self.probeHost(settings.host)
        let timeoutMs = Int32(clamping: Int(min(max(0.05, timeout), 3600) * 1000))
        switch Probe.status(host: target, port: settings.port, path: path, tls: settings.tls.enabled, timeoutMs: timeoutMs) {
        case .success(200):
            return
        case .success(let status):
            printError("claimscrub: healthcheck: \(path) answered \(status)")
            throw ExitCode(1)
        case .failure(let reason):
            printError("claimscrub: healthcheck: \(target):\(settings.port): \(reason.message)")
            throw ExitCode(1)
        }
    }

    /// A server bound to every address is reachable on loopback.
    static func probeHost(_ host: String) -> String {
        switch host {
        case "0.0.0.0", "": "127.0.0.1"
        case "::", "[::]": "::1"
        default: host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        }
    }
}

/// One HTTP/1.1 GET on a non-blocking socket, over TLS when asked, bounded by one deadline.
enum Probe {
    struct Failure: Error { var message: String }

    /// - Parameter tls: speak TLS. The server's certificate is not verified: the probe asks
    ///   the local server whether it is ready, it does not send it anything worth protecting.
    static func status(host: String, port: Int, path: String, tls: Bool = false, timeoutMs: Int32) -> Result<Int, Failure> {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
        hints.ai_socktype = SOCK_STREAM
        #endif
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &list) == 0, let info = list else {
            return .failure(Failure(message: "cannot resolve the address"))
        }
        defer { freeaddrinfo(list) }

        let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype, info.pointee.ai_protocol)
        guard fd >= 0 else { return .failure(Failure(message: "socket: " + String(cString: strerror(errno)))) }
        defer { close(fd) }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        let clock = Deadline(milliseconds: timeoutMs)

        if connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) != 0 {
            guard errno == EINPROGRESS, clock.wait(fd, Int16(POLLOUT)) else {
                return .failure(Failure(message: "connect failed or timed out"))
            }
            var error: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
            guard error == 0 else { return .failure(Failure(message: "connect: " + String(cString: strerror(error)))) }
        }

        let channel: any ProbeChannel
        if tls {
            guard let session = TLSProbeChannel(fd: fd, clock: clock) else {
                return .failure(Failure(message: "TLS handshake failed or timed out"))
            }
            channel = session
        } else {
            channel = PlainProbeChannel(fd: fd, clock: clock)
        }

        // An IPv6 literal goes in brackets in Host (RFC 9110 §7.2).
        let authority = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        let request = Array("GET \(path) HTTP/1.1\r\nHost: \(authority)\r\nUser-Agent: claimscrub-healthcheck\r\nConnection: close\r\n\r\n".utf8)
        guard channel.writeAll(request) else { return .failure(Failure(message: "send failed or timed out")) }

        // The status line is all we need: `HTTP/1.1 200 OK`.
        var head: [UInt8] = []
        while !head.contains(UInt8(ascii: "\n")) && head.count < 4096 {
            guard let chunk = channel.read(), !chunk.isEmpty else { break }
            head += chunk
        }
        let line = String(decoding: head.prefix { $0 != UInt8(ascii: "\r") && $0 != UInt8(ascii: "\n") }, as: UTF8.self)
        let parts = line.split(separator: " ")
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let status = Int(parts[1]) else {
            return .failure(Failure(message: head.isEmpty ? "no answer in time" : "not an HTTP answer"))
        }
        return .success(status)
    }
}

/// Milliseconds left of one time limit, and waiting on a socket within it.
struct Deadline {
    let end: Int64

    init(milliseconds: Int32) { end = Self.now() + Int64(milliseconds) }

    static func now() -> Int64 {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Int64(t.tv_sec) * 1000 + Int64(t.tv_nsec) / 1_000_000
    }

    var remaining: Int32 { Int32(clamping: max(0, end - Self.now())) }

    /// True when `events` are ready before the deadline.
    func wait(_ fd: Int32, _ events: Int16) -> Bool {
        var p = pollfd(fd: fd, events: events, revents: 0)
        while true {
            let n = poll(&p, 1, remaining)
            if n < 0 && errno == EINTR { continue }
            return n > 0
        }
    }
}

protocol ProbeChannel {
    func writeAll(_ bytes: [UInt8]) -> Bool
    /// Some bytes, empty at end of stream, nil on error or timeout.
    func read() -> [UInt8]?
}

struct PlainProbeChannel: ProbeChannel {
    var fd: Int32
    var clock: Deadline

    func writeAll(_ bytes: [UInt8]) -> Bool {
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL)) }
            if n > 0 { sent += n; continue }
            guard n < 0, errno == EAGAIN || errno == EINTR, clock.wait(fd, Int16(POLLOUT)) else { return false }
        }
        return true
    }

    func read() -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: 512)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress!, $0.count, 0) }
            if n >= 0 { return Array(buffer[0..<n]) }
            guard errno == EAGAIN || errno == EINTR, clock.wait(fd, Int16(POLLIN)) else { return nil }
        }
    }
}

final class TLSProbeChannel: ProbeChannel {
    private let context: OpaquePointer
    private let ssl: OpaquePointer
    private let fd: Int32
    private let clock: Deadline

    init?(fd: Int32, clock: Deadline) {
        guard let context = SSL_CTX_new(TLS_client_method()) else { return nil }
        guard let ssl = SSL_new(context) else { SSL_CTX_free(context); return nil }
        self.context = context
        self.ssl = ssl
        self.fd = fd
        self.clock = clock
        SSL_set_verify(ssl, SSL_VERIFY_NONE, nil)
        SSL_set_fd(ssl, fd)
        SSL_set_connect_state(ssl)
        guard retry({ SSL_do_handshake(ssl) }) != nil else { return nil }
    }

    deinit {
        SSL_free(ssl)
        SSL_CTX_free(context)
    }

    /// Runs an OpenSSL call until it stops asking to wait for the socket; nil on failure.
    private func retry(_ call: () -> Int32) -> Int32? {
        while true {
            let n = call()
            if n > 0 { return n }
            switch SSL_get_error(ssl, n) {
            case SSL_ERROR_WANT_READ: guard clock.wait(fd, Int16(POLLIN)) else { return nil }
            case SSL_ERROR_WANT_WRITE: guard clock.wait(fd, Int16(POLLOUT)) else { return nil }
            case SSL_ERROR_ZERO_RETURN: return 0
            default: return nil
            }
        }
    }

    func writeAll(_ bytes: [UInt8]) -> Bool {
        var sent = 0
        while sent < bytes.count {
            guard let n = retry({ bytes.withUnsafeBytes { SSL_write(ssl, $0.baseAddress! + sent, Int32(bytes.count - sent)) } }),
                  n > 0 else { return false }
            sent += Int(n)
        }
        return true
    }

    func read() -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: 512)
        guard let n = retry({ buffer.withUnsafeMutableBytes { SSL_read(ssl, $0.baseAddress!, Int32($0.count)) } }) else { return nil }
        return Array(buffer[0..<Int(n)])
    }
}
