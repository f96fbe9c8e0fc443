#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public enum HTTPServerError: Error, Sendable, Equatable {
    case addressResolution(host: String, port: Int, message: String)
    case socket(operation: String, errno: Int32)
    case alreadyStarted
    /// The TLS certificate, key or CA file could not be used (the reason says which and why).
    case tls(String)
}

extension HTTPServerError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .addressResolution(let host, let port, let message): "cannot resolve \(host):\(port): \(message)"
        case .socket(let operation, let code): "\(operation) failed: \(String(cString: strerror(code)))"
        case .alreadyStarted: "the server was already started"
        case .tls(let message): "TLS: \(message)"
        }
    }
}

/// Thin wrappers over the BSD socket calls the server needs, nothing more.
enum Socket {
    /// A bound, listening, non-blocking socket and the port it got.
    static func listen(host: String, port: Int, backlog: Int32) throws(HTTPServerError) -> (fd: Int32, port: Int) {
        var hints = addrinfo()
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = socketStream
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &list)
        guard rc == 0, let first = list else {
            throw .addressResolution(host: host, port: port, message: String(cString: gai_strerror(rc)))
        }
        defer { freeaddrinfo(list) }
        let family = first.pointee.ai_family
        let fd = socket(family, socketStream | socketFlags, 0)
        guard fd >= 0 else { throw .socket(operation: "socket", errno: errno) }
        var on: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
        if family == AF_INET6 {
            // `::` means every address, IPv4-mapped included, whatever the sysctl default.
            var off: Int32 = 0
            setsockopt(fd, Int32(IPPROTO_IPV6), IPV6_V6ONLY, &off, socklen_t(MemoryLayout<Int32>.size))
        }
        guard bind(fd, first.pointee.ai_addr, first.pointee.ai_addrlen) == 0 else {
            let e = errno
            Glibc.close(fd)
            throw .socket(operation: "bind", errno: e)
        }
        guard Glibc.listen(fd, backlog) == 0 else {
            let e = errno
            Glibc.close(fd)
            throw .socket(operation: "listen", errno: e)
        }
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return (fd, describe(storage).port)
    }

    /// Accepts one pending connection: the non-blocking fd and the peer as `host:port`,
    /// or the errno (EAGAIN when none is pending).
    static func accept(_ listener: Int32) -> Result<(fd: Int32, peer: String), SocketErrno> {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let fd = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.accept(listener, $0, &length) }
        }
        guard fd >= 0 else { return .failure(SocketErrno(code: errno)) }
        // Accepted sockets do not inherit O_NONBLOCK on Linux (and Glibc's module lacks accept4).
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        var on: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &on, socklen_t(MemoryLayout<Int32>.size))
        let (address, port) = describe(storage)
        return .success((fd, storage.ss_family == sa_family_t(AF_INET6) ? "[\(address)]:\(port)" : "\(address):\(port)"))
    }

    static func describe(_ storage: sockaddr_storage) -> (address: String, port: Int) {
        var storage = storage
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        switch Int32(storage.ss_family) {
        case AF_INET:
            return withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { sin in
                    var addr = sin.pointee.sin_addr
                    inet_ntop(AF_INET, &addr, &buffer, socklen_t(buffer.count))
                    return (cText(buffer), Int(UInt16(bigEndian: sin.pointee.sin_port)))
                }
            }
        case AF_INET6:
            return withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { sin6 in
                    var addr = sin6.pointee.sin6_addr
                    inet_ntop(AF_INET6, &addr, &buffer, socklen_t(buffer.count))
                    return (cText(buffer), Int(UInt16(bigEndian: sin6.pointee.sin6_port)))
                }
            }
        default:
            return ("?", 0)
        }
    }
}

private func cText(_ chars: [CChar]) -> String {
    String(decoding: chars.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

struct SocketErrno: Error {
    var code: Int32
}

#if canImport(Glibc)
let socketStream = Int32(SOCK_STREAM.rawValue)
let socketFlags = Int32(SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue)
#endif
