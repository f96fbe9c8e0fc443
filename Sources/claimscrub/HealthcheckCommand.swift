#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser
import ScrubService

/// `claimscrub healthcheck`: asks the local server's `/readyz` over a plain socket, so a
/// container image needs no curl. Exit 0 when it answers 200, 1 otherwise.
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
        switch Probe.status(host: target, port: settings.port, path: path, timeoutMs: Int32(clamping: Int(min(max(0.05, timeout), 3600) * 1000))) {
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

/// One HTTP/1.1 GET on a blocking-free socket, bounded by one deadline.
enum Probe {
    struct Failure: Error { var message: String }

    static func status(host: String, port: Int, path: String, timeoutMs: Int32) -> Result<Int, Failure> {
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

        var deadline = timespec()
        clock_gettime(CLOCK_MONOTONIC, &deadline)
        let end = Int64(deadline.tv_sec) * 1000 + Int64(deadline.tv_nsec) / 1_000_000 + Int64(timeoutMs)
        func remaining() -> Int32 {
            var now = timespec()
            clock_gettime(CLOCK_MONOTONIC, &now)
            return Int32(clamping: max(0, end - (Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000)))
        }
        func wait(_ events: Int16) -> Bool {
            var p = pollfd(fd: fd, events: events, revents: 0)
            while true {
                let n = poll(&p, 1, remaining())
                if n < 0 && errno == EINTR { continue }
                return n > 0
            }
        }

        if connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) != 0 {
            guard errno == EINPROGRESS, wait(Int16(POLLOUT)) else {
                return .failure(Failure(message: "connect failed or timed out"))
            }
            var error: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
            guard error == 0 else { return .failure(Failure(message: "connect: " + String(cString: strerror(error)))) }
        }

        // An IPv6 literal goes in brackets in Host (RFC 9110 §7.2).
        let authority = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        let request = Array("GET \(path) HTTP/1.1\r\nHost: \(authority)\r\nUser-Agent: claimscrub-healthcheck\r\nConnection: close\r\n\r\n".utf8)
        var sent = 0
        while sent < request.count {
            let n = request.withUnsafeBytes { send(fd, $0.baseAddress! + sent, request.count - sent, Int32(MSG_NOSIGNAL)) }
            if n > 0 { sent += n; continue }
            guard n < 0, errno == EAGAIN || errno == EINTR, wait(Int16(POLLOUT)) else {
                return .failure(Failure(message: "send failed or timed out"))
            }
        }

        // The status line is all we need: `HTTP/1.1 200 OK`.
        var head: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 512)
        while !head.contains(UInt8(ascii: "\n")) && head.count < 4096 {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress!, $0.count, 0) }
            if n > 0 { head += buffer[0..<n]; continue }
            if n == 0 { break }
            guard errno == EAGAIN || errno == EINTR, wait(Int16(POLLIN)) else {
                return .failure(Failure(message: "no answer in time"))
            }
        }
        let line = String(decoding: head.prefix { $0 != UInt8(ascii: "\r") && $0 != UInt8(ascii: "\n") }, as: UTF8.self)
        let parts = line.split(separator: " ")
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let status = Int(parts[1]) else {
            return .failure(Failure(message: "not an HTTP answer"))
        }
        return .success(status)
    }
}
