import Foundation

/// Opt-in streaming for long requests (a batch of claims): the handler reads the body as it
/// arrives and writes the response as it goes, on a thread of its own, with bounded buffers
/// both ways so neither a fast sender nor a slow reader can grow the server's memory.
///
/// ```swift
/// struct Upper: HTTPStreamingHandler {
///     func handle(head: HTTPRequest, body: HTTPBodyReader, response: HTTPResponseWriter) {
///         do {
///             try response.writeHead(status: 200, headers: HTTPHeaders([("Content-Type", "text/plain")]))
///             while let chunk = try body.read() { try response.write(chunk.map { $0 & 0xDF }) }
///             try response.finish()
///         } catch { /* the client is gone: stop */ }
///     }
/// }
/// ```
public protocol HTTPStreamingHandler: Sendable {
    /// Runs on a dedicated thread. `head.body` is empty: the body comes from `body`, already
    /// de-chunked and decoded from its Content-Encoding. If it returns without finishing,
    /// the server finishes the response (a 500 problem when nothing was written).
    func handle(head: HTTPRequest, body: HTTPBodyReader, response: HTTPResponseWriter)
}

extension HTTPHandler {
    /// No streaming routes unless a handler says so.
    public func streamingHandler(for head: HTTPRequest) -> (any HTTPStreamingHandler)? { nil }
}

/// Limits of the streaming path (`HTTPServerConfiguration.streaming`).
public struct HTTPStreamingConfiguration: Sendable, Equatable {
    /// Streaming requests served at once, server-wide; one more is answered 503.
    public var maxRequests: Int
    /// A streaming request's body limit (after decoding too), instead of `limits.maxBodyBytes`.
    public var maxBodyBytes: Int
    /// Decoded body bytes held for the handler before the connection stops reading, and
    /// response bytes written but not yet sent before `write` blocks. Either may be exceeded
    /// by one read (or one write) at most.
    public var bufferBytes: Int

    public init(maxRequests: Int = 4, maxBodyBytes: Int = 1 << 30, bufferBytes: Int = 256 * 1024) {
        self.maxRequests = maxRequests
        self.maxBodyBytes = maxBodyBytes
        self.bufferBytes = bufferBytes
    }
}

public enum HTTPStreamError: Error, Sendable, Equatable {
    /// The connection is closed (client gone, timed out, or the server forced a drain).
    case connectionClosed
    /// `writeHead` or `respond` after the response already started.
    case responseAlreadyStarted
    /// `write` or `finish` after `finish` or `respond`.
    case responseFinished
}

/// The decoded request body, chunk by chunk. Reading frees room in the bounded buffer,
/// which lets the connection read on.
public final class HTTPBodyReader: Sendable {
    let exchange: StreamExchange

    init(_ exchange: StreamExchange) { self.exchange = exchange }

    /// The next part of the body (never empty), or nil at its end. Blocks until one is there.
    public func read() throws(HTTPStreamError) -> [UInt8]? { try exchange.readBody() }

    /// True when `read` would return at once (a part, the end, or an error) instead of waiting.
    public var hasBufferedData: Bool { exchange.bodyReady }

    /// The most body bytes ever held for the handler at once.
    public var maxBufferedBytes: Int { exchange.statistics.bodyHighWater }
    /// Times the connection stopped reading because the handler had not taken the body yet.
    public var readPauses: Int { exchange.statistics.readPauses }
}

/// The response of a streaming request: a head, then parts sent with chunked encoding
/// (plain bytes then close for an HTTP/1.0 client). `write` blocks while more than the
/// buffer bound is waiting to be sent. Use from one thread at a time.
public final class HTTPResponseWriter: Sendable {
    let exchange: StreamExchange

    init(_ exchange: StreamExchange) { self.exchange = exchange }

    /// Sends the status and header fields; `Content-Length`, `Transfer-Encoding` and
    /// `Connection` are the server's.
    public func writeHead(status: Int = 200, headers: HTTPHeaders = HTTPHeaders()) throws(HTTPStreamError) {
        try exchange.start(.head(status: status, headers: headers))
    }

    /// Sends one part of the body (after a `200` head if none was written).
    public func write(_ bytes: [UInt8]) throws(HTTPStreamError) { try exchange.writeBody(bytes) }

    /// Ends the response.
    public func finish() throws(HTTPStreamError) { try exchange.finish() }

    /// Answers with a complete response instead of a stream (a 415 before reading a byte).
    public func respond(_ response: HTTPResponse) throws(HTTPStreamError) { try exchange.start(.complete(response)) }

    /// True once a head or a complete response has been sent.
    public var hasStarted: Bool { exchange.statistics.started }
    /// The most response bytes ever waiting to be sent at once.
    public var maxPendingBytes: Int { exchange.statistics.outboundHighWater }
    /// Times `write` had to wait for the client to read.
    public var waits: Int { exchange.statistics.writerWaits }
}

/// What a streaming handler hands to its connection.
enum StreamOutput: Sendable {
    case head(status: Int, headers: HTTPHeaders)
    /// Body bytes already framed (chunk size line and CRLF included when chunked).
    case bytes([UInt8])
    case end
    case complete(HTTPResponse)
}

/// The state a streaming handler's thread and its connection share, under one lock.
final class StreamExchange: @unchecked Sendable {
    // @unchecked: every `var` is guarded by `condition`.
    struct Statistics: Sendable {
        var bodyHighWater = 0
        var readPauses = 0
        var outboundHighWater = 0
        var writerWaits = 0
        var started = false
    }

    let bufferBytes: Int
    /// Chunked transfer coding (HTTP/1.1) or plain bytes until close (HTTP/1.0).
    let chunked: Bool
    private weak var connection: HTTPConnection?
    private let condition = NSCondition()
    private var chunks: [[UInt8]] = []
    private var chunkHead = 0
    private var buffered = 0
    private var bodyEnded = false
    private var readPaused = false
    private var inFlight = 0
    private var closed = false
    private var finished = false
    private var stats = Statistics()

    init(connection: HTTPConnection, bufferBytes: Int, chunked: Bool) {
        self.connection = connection
        self.bufferBytes = max(1, bufferBytes)
        self.chunked = chunked
    }

    var statistics: Statistics { locked { stats } }

    var bodyReady: Bool { locked { chunkHead < chunks.count || bodyEnded || closed } }

    private func locked<T>(_ body: () throws(HTTPStreamError) -> T) throws(HTTPStreamError) -> T {
        condition.lock()
        defer { condition.unlock() }
        return try body()
    }

    private func locked<T>(_ body: () -> T) -> T {
        condition.lock()
        defer { condition.unlock() }
        return body()
    }

    // MARK: Connection side (on the connection's event loop)

    func pushBody(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        locked {
            chunks.append(bytes)
            buffered += bytes.count
            stats.bodyHighWater = max(stats.bodyHighWater, buffered)
            condition.broadcast()
        }
    }

    func endBody() {
        locked {
            bodyEnded = true
            condition.broadcast()
        }
    }

    /// True (and the reader will call back once it has made room) when the body buffer is full.
    func pauseIfFull() -> Bool {
        locked {
            guard buffered >= bufferBytes else { return false }
            if !readPaused { stats.readPauses += 1 }
            readPaused = true
            return true
        }
    }

    /// `count` of the handler's bytes have been sent.
    func acknowledge(_ count: Int) {
        guard count > 0 else { return }
        locked {
            inFlight -= count
            condition.broadcast()
        }
    }

    /// The connection is gone: every wait ends and every later call throws.
    func abort() {
        locked {
            closed = true
            condition.broadcast()
        }
    }

    // MARK: Handler side

    /// Runs `handler` on a thread of its own (not the handler pool, which serves the short
    /// requests), then finishes what it left open and frees its slot.
    func run(_ handler: any HTTPStreamingHandler, request: HTTPRequest, slots: StreamSlots) {
        let thread = Thread { [self] in
            nameCurrentThread("http-stream")
            handler.handle(head: request, body: HTTPBodyReader(self), response: HTTPResponseWriter(self))
            complete()
            slots.release()
        }
        thread.start()
    }

    func readBody() throws(HTTPStreamError) -> [UInt8]? {
        let (chunk, resume) = try locked { () throws(HTTPStreamError) -> ([UInt8]?, Bool) in
            while chunkHead == chunks.count && !bodyEnded && !closed { condition.wait() }
            if closed { throw .connectionClosed }
            guard chunkHead < chunks.count else { return (nil, false) }
            let chunk = chunks[chunkHead]
            chunkHead += 1
            if chunkHead == chunks.count {
                chunks.removeAll(keepingCapacity: true)
                chunkHead = 0
            }
            buffered -= chunk.count
            // Resume at half full, so the connection is not woken for every small read.
            let resume = readPaused && buffered <= bufferBytes / 2
            if resume { readPaused = false }
            return (chunk, resume)
        }
        if resume { connection?.streamBodyDrained(self) }
        return chunk
    }

    func start(_ output: StreamOutput) throws(HTTPStreamError) {
        try locked { () throws(HTTPStreamError) in
            if closed { throw .connectionClosed }
            if stats.started { throw .responseAlreadyStarted }
            stats.started = true
            if case .complete = output { finished = true }
        }
        try send(output)
    }

    func writeBody(_ bytes: [UInt8]) throws(HTTPStreamError) {
        if !statistics.started { try start(.head(status: 200, headers: HTTPHeaders())) }
        guard !bytes.isEmpty else { return }
        var framed: [UInt8]
        if chunked {
            framed = Array(String(bytes.count, radix: 16).utf8) + [13, 10]
            framed.reserveCapacity(framed.count + bytes.count + 2)
            framed += bytes
            framed += [13, 10]
        } else {
            framed = bytes
        }
        try locked { () throws(HTTPStreamError) in
            if finished { throw .responseFinished }
            var waited = false
            // One write larger than the bound still goes through once nothing else is pending.
            while !closed && inFlight > 0 && inFlight + framed.count > bufferBytes {
                if !waited { stats.writerWaits += 1 }
                waited = true
                condition.wait()
            }
            if closed { throw .connectionClosed }
            inFlight += framed.count
            stats.outboundHighWater = max(stats.outboundHighWater, inFlight)
        }
        try send(.bytes(framed))
    }

    func finish() throws(HTTPStreamError) {
        if !statistics.started { try start(.head(status: 200, headers: HTTPHeaders())) }
        try locked { () throws(HTTPStreamError) in
            if closed { throw .connectionClosed }
            if finished { throw .responseFinished }
            finished = true
        }
        try send(.end)
    }

    /// After the handler returned: end what it left open.
    func complete() {
        let (started, done) = locked { (stats.started, finished || closed) }
        if done { return }
        if started {
            try? finish()
        } else {
            try? start(.complete(.problem(status: 500, detail: "The request could not be completed.")))
        }
    }

    private func send(_ output: StreamOutput) throws(HTTPStreamError) {
        guard let connection else { throw .connectionClosed }
        connection.streamOutput(output, from: self)
    }
}

/// Streaming requests in progress, server-wide.
final class StreamSlots: Sendable {
    private let inUse = Locked(0)
    let limit: Int

    init(limit: Int) { self.limit = limit }

    func acquire() -> Bool {
        inUse.withLock { n in
            guard n < limit else { return false }
            n += 1
            return true
        }
    }

    func release() { inUse.withLock { $0 -= 1 } }
}

/// What a connection keeps about its streaming exchange besides the shared `StreamExchange`.
struct StreamConnectionState {
    /// The handler chosen while the head was checked, before the `.head` event.
    var pendingHandler: (any HTTPStreamingHandler)?
    /// Response bytes of the handler's in `output`, not yet sent (they are its tail).
    var bytesInOutput = 0
    var bytesOut = 0
    var status = 0
    var requestID: String?
    var closeAfter = false
    var lastRead = DispatchTime.now()
    var lastWrite = DispatchTime.now()
}

extension ResponseSerializer {
    /// The head of a streamed response: chunked for HTTP/1.1, else plain bytes ended by close.
    static func streamingHead(status: Int, headers: HTTPHeaders, chunked: Bool, close: Bool) -> [UInt8] {
        var bytes: [UInt8] = []
        appendStatusAndFields(status: status, headers: headers, to: &bytes)
        if chunked { bytes += "Transfer-Encoding: chunked\r\n".utf8 }
        if close { bytes += "Connection: close\r\n".utf8 }
        bytes += "\r\n".utf8
        return bytes
    }

    static let lastChunk: [UInt8] = Array("0\r\n\r\n".utf8)
}

extension HTTPHeaders {
    /// `Connection: close` among the fields.
    var asksToClose: Bool {
        values("connection").contains { value in
            value.split(separator: ",").contains { $0.trimmingOWS.lowercased() == "close" }
        }
    }
}
