import Dispatch
import Foundation
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// An HTTP/1.1 server on non-blocking sockets driven by one epoll event loop per core.
///
/// ```swift
/// let server = HTTPServer(configuration: .init(host: "::", port: 8080), handler: routes)
/// try server.start()
/// server.installSignalHandlers { exit(0) }   // SIGTERM/SIGINT → graceful drain
/// ```
/// Each accepted connection is given to one of `configuration.eventLoops` loops (round-robin)
/// and lives on that loop's thread; handlers run there when `runsInline` says so, else on
/// the handler pool's threads. Each connection answers its requests in order.
/// While draining (`isDraining`, for `/readyz`), the listener is closed, idle connections
/// are closed, requests in flight are answered with `Connection: close`, and the
/// completion runs once the last connection is gone (or the drain deadline forced it).
///
/// With `configuration.tls` the listener speaks HTTPS only (handshakes are non-blocking and
/// time-limited; `reloadTLS()`/SIGHUP swaps the certificate). Request bodies with a gzip or
/// deflate `Content-Encoding` reach the handler decoded; responses are gzip-compressed when
/// the client accepts it (`configuration.compression`).
public final class HTTPServer: @unchecked Sendable {
    // @unchecked: mutable state lives in `state`, guarded by its lock.

    public let configuration: HTTPServerConfiguration
    private let handler: any HTTPHandler
    private let logger: Logger
    private let onResponse: (@Sendable (HTTPExchangeRecord) -> Void)?
    /// Internal (not private) so a test can hold it and leave connections in the kernel backlog.
    let acceptQueue = DispatchQueue(label: "HTTPServer.accept")
    private let handlerPool: HandlerPool
    /// Internal so tests can reach the loops.
    let loops: EventLoopGroup
    private let streamSlots: StreamSlots
    private let state = Locked(State())
    private let listenerClosed = DispatchSemaphore(value: 0)

    /// Connections over the limit still get their 503 written; beyond this many such
    /// answers in flight the server just closes the socket.
    private static let maxRejectionsInFlight = 64

    private struct State {
        var started = false
        var listenerFD: Int32 = -1
        var listenerSource: DispatchSourceRead?
        var acceptPaused = false
        var port = 0
        var connections: [ObjectIdentifier: HTTPConnection] = [:]
        var served = 0
        var rejecting = 0
        var draining = false
        var stopped = false
        var stopWaiters: [@Sendable () -> Void] = []
        var signalSources: [DispatchSourceSignal] = []
        /// The context new TLS connections use; replaced by `reloadTLS()`.
        var tlsContext: TLSContext?
    }

    public init(
        configuration: HTTPServerConfiguration,
        handler: any HTTPHandler,
        logger: Logger = Logger(label: "HTTPServer"),
        onResponse: (@Sendable (HTTPExchangeRecord) -> Void)? = nil
    ) {
        self.configuration = configuration
        self.handler = handler
        self.logger = logger
        self.onResponse = onResponse
        self.handlerPool = HandlerPool(threads: configuration.handlerThreads, name: "http-handler")
        self.loops = EventLoopGroup(count: configuration.eventLoops, name: "http-loop")
        self.streamSlots = StreamSlots(limit: configuration.streaming.maxRequests)
    }

    deinit {
        handlerPool.stop()
        loops.stop()
    }

    /// The bound port (the ephemeral one when configured with 0). Valid after `start()`.
    public var port: Int { state.withLock { $0.port } }

    /// True from the moment `shutdown` is called: the service answers `/readyz` with 503.
    public var isDraining: Bool { state.withLock { $0.draining } }

    /// Connections being served (not counting 503 answers to connections over the limit).
    public var connectionCount: Int { state.withLock { $0.served } }

    /// Binds, listens and starts accepting. Throws if the address cannot be bound.
    public func start() throws(HTTPServerError) {
        // A peer that vanishes must cost an EPIPE, never the process (MSG_NOSIGNAL covers
        // our own sends; this covers anything else in the process that writes to a socket).
        signal(SIGPIPE, SIG_IGN)
        let alreadyStarted = state.withLock { s in
            defer { s.started = true }
            return s.started
        }
        if alreadyStarted { throw .alreadyStarted }
        if let tls = configuration.tls {
            let context = try TLSContext(tls)
            if context.certificateExpired {
                logger.warning("the TLS certificate has expired; clients will refuse it", metadata: ["file": "\(tls.certificateChainFile)"])
            }
            state.withLock { $0.tlsContext = context }
        }
        let (fd, port) = try Socket.listen(host: configuration.host, port: configuration.port, backlog: configuration.backlog)
        let source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: acceptQueue)
        source.setEventHandler { [self] in acceptPending() }
        let closed = listenerClosed
        source.setCancelHandler {
            Glibc.close(fd)
            closed.signal()
        }
        state.withLock { s in
            s.listenerFD = fd
            s.listenerSource = source
            s.port = port
        }
        source.resume()
        logger.info("listening", metadata: ["host": "\(configuration.host)", "port": "\(port)"])
    }

    private func acceptPending() {
        guard let listener = state.withLock({ $0.draining ? nil : $0.listenerFD }) else { return }
        while true {
            switch Socket.accept(listener) {
            case .failure(let error):
                switch error.code {
                case EAGAIN, EWOULDBLOCK:
                    return
                case EINTR, ECONNABORTED:
                    continue
                default:
                    // Out of descriptors (EMFILE/ENFILE) or worse: the listener stays readable, so back off
                    // briefly instead of spinning.
                    logger.warning("accept failed", metadata: ["errno": "\(error.code)"])
                    pauseAccepting(for: .milliseconds(100))
                    return
                }
            case .success(let (fd, peer)):
                admit(fd: fd, peer: peer)
            }
        }
    }

    private func admit(fd: Int32, peer: String) {
        enum Admission { case serve, reject, drop }
        let admission = state.withLock { s -> Admission in
            if s.draining { return .drop }
            if s.served < configuration.maxConnections {
                s.served += 1
                return .serve
            }
            if s.rejecting < Self.maxRejectionsInFlight {
                s.rejecting += 1
                return .reject
            }
            return .drop
        }
        if admission == .drop {
            Glibc.close(fd)
            return
        }
        if admission == .reject { logger.debug("connection limit reached", metadata: ["limit": "\(configuration.maxConnections)"]) }
        var session: TLSSession?
        if let tlsContext = state.withLock({ $0.tlsContext }) {
            session = TLSSession(context: tlsContext, fd: fd)
            if session == nil {
                logger.warning("cannot create a TLS session", metadata: ["reason": "\(tlsErrorText())"])
                Glibc.close(fd)
                connectionClosed(nil, rejected: admission == .reject)
                return
            }
        }
        let context = ConnectionContext(
            configuration: configuration, handler: handler, handlerPool: handlerPool, streamSlots: streamSlots,
            logger: logger, onResponse: onResponse,
            connectionClosed: { [self] connection in connectionClosed(connection, rejected: admission == .reject) })
        // Round-robin rather than every loop accepting on the shared listener: the loops stay
        // evenly loaded whichever wakes first, and the backlog drain at shutdown stays in one place.
        let connection = HTTPConnection(
            fd: fd, remoteAddress: peer, context: context, loop: loops.next(), tls: session,
            overloadRejection: admission == .reject)
        state.withLock { $0.connections[ObjectIdentifier(connection)] = connection }
        connection.start()
    }

    private func pauseAccepting(for interval: Duration) {
        let source = state.withLock { s -> DispatchSourceRead? in
            guard !s.acceptPaused, !s.draining, let source = s.listenerSource else { return nil }
            s.acceptPaused = true
            return source
        }
        guard let source else { return }
        source.suspend()
        acceptQueue.asyncAfter(deadline: .now() + interval.dispatchInterval) { [self] in
            let paused = state.withLock { s -> DispatchSourceRead? in
                defer { s.acceptPaused = false }
                return s.acceptPaused ? s.listenerSource : nil
            }
            paused?.resume()
        }
    }

    private func connectionClosed(_ connection: HTTPConnection?, rejected: Bool) {
        let waiters = state.withLock { s -> [@Sendable () -> Void] in
            if let connection { s.connections[ObjectIdentifier(connection)] = nil }
            if rejected { s.rejecting -= 1 } else { s.served -= 1 }
            return takeWaitersIfStopped(&s)
        }
        waiters.forEach { $0() }
    }

    private func takeWaitersIfStopped(_ s: inout State) -> [@Sendable () -> Void] {
        guard s.draining, s.connections.isEmpty, !s.stopped else { return [] }
        s.stopped = true
        handlerPool.stop()
        loops.stop()
        defer { s.stopWaiters = [] }
        return s.stopWaiters
    }

    /// Graceful shutdown: stop accepting, let requests in flight finish (responses carry
    /// `Connection: close`), close idle connections; after `deadline` (default
    /// `configuration.drainDeadline`) close whatever is left. `completion` runs once every
    /// connection is gone. Calling it again only adds a completion.
    public func shutdown(deadline: Duration? = nil, completion: (@Sendable () -> Void)? = nil) {
        // Connections the kernel has completed but we have not accepted yet would be reset
        // when the listener closes, losing requests their clients already sent: take them
        // in first, so the drain serves them like any other connection.
        if state.withLock({ !$0.draining && $0.listenerSource != nil }) {
            acceptQueue.sync { acceptPending() }
        }
        let (firstCall, listener, connections) = state.withLock { s in
            let first = !s.draining
            s.draining = true
            if let completion {
                if s.stopped { DispatchQueue.global().async(execute: completion) } else { s.stopWaiters.append(completion) }
            }
            let listener = first ? s.listenerSource : nil
            if first {
                s.listenerSource = nil
                if s.acceptPaused {
                    s.acceptPaused = false
                    listener?.resume()
                }
            }
            return (first, listener, Array(s.connections.values))
        }
        guard firstCall else { return }
        logger.info("draining", metadata: ["connections": "\(connections.count)"])
        if let listener {
            // Close the listener before returning so new connects are refused from now on.
            listener.cancel()
            if listenerClosed.wait(timeout: .now() + 1) == .timedOut {
                logger.warning("listener did not close within 1 s")
            }
        }
        connections.forEach { $0.beginDrain() }
        let deadline = deadline ?? configuration.drainDeadline
        DispatchQueue.global().asyncAfter(deadline: .now() + deadline.dispatchInterval) { [self] in
            let remaining = state.withLock { Array($0.connections.values) }
            if !remaining.isEmpty {
                logger.warning("drain deadline passed; closing connections", metadata: ["connections": "\(remaining.count)"])
            }
            remaining.forEach { $0.forceClose() }
        }
        let waiters = state.withLock { takeWaitersIfStopped(&$0) }
        waiters.forEach { $0() }
    }

    /// `shutdown(deadline:)` that returns once every connection is gone.
    public func shutdown(deadline: Duration? = nil) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            shutdown(deadline: deadline) { continuation.resume() }
        }
    }

    /// Reads the TLS certificate chain and key (and client CA file) again, for connections
    /// accepted from now on; open connections keep theirs. A file that cannot be used, or a
    /// certificate already expired, leaves the old context in place and throws (logged too).
    public func reloadTLS() throws(HTTPServerError) {
        guard let tls = configuration.tls else { throw .tls("this server is not configured for TLS") }
        do throws(HTTPServerError) {
            let context = try TLSContext(tls)
            if context.certificateExpired { throw HTTPServerError.tls("certificate \(tls.certificateChainFile) has expired") }
            state.withLock { $0.tlsContext = context }
            logger.info("TLS certificate reloaded", metadata: ["file": "\(tls.certificateChainFile)"])
        } catch {
            logger.error("TLS reload failed; keeping the previous certificate", metadata: ["reason": "\(error)"])
            throw error
        }
    }

    /// Turns SIGTERM and SIGINT (or the given signals) into `shutdown()`; `onStopped` runs
    /// once draining is complete (typically `exit(0)`). A second signal closes everything now.
    /// With TLS configured, `reloadSignal` (SIGHUP) runs `reloadTLS()`.
    public func installSignalHandlers(
        _ signals: [Int32] = [SIGTERM, SIGINT], reloadSignal: Int32? = SIGHUP, onStopped: @escaping @Sendable () -> Void
    ) {
        if let reloadSignal, configuration.tls != nil {
            #if canImport(Darwin)
            signal(reloadSignal, SIG_IGN)
            #endif
            let source = DispatchSource.makeSignalSource(signal: reloadSignal, queue: .global())
            source.setEventHandler { [self] in try? reloadTLS() }
            source.resume()
            state.withLock { $0.signalSources.append(source) }
        }
        for number in signals {
            #if canImport(Darwin)
            // Darwin delivers through kqueue only if the default action is out of the way; on Linux
            // libdispatch installs its own handler and an ignored signal would never arrive.
            signal(number, SIG_IGN)
            #endif
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [self] in
                if isDraining {
                    logger.warning("second signal; closing every connection now")
                    state.withLock { Array($0.connections.values) }.forEach { $0.forceClose() }
                } else {
                    logger.info("signal received; draining", metadata: ["signal": "\(number)"])
                    shutdown(completion: onStopped)
                }
            }
            source.resume()
            state.withLock { $0.signalSources.append(source) }
        }
    }
}

/// A value behind a lock; the lock is never held while calling out.
final class Locked<Value>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()

    init(_ value: Value) { self.value = value }

    func withLock<T>(_ body: (inout Value) throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
