import Dispatch
import Foundation

/// Everything an operator may tune. Defaults are production values; tests shrink the timeouts.
public struct HTTPServerConfiguration: Sendable {
    /// Numeric address or host name to bind: `127.0.0.1`, `0.0.0.0`, `::1`, `::` (dual-stack).
    public var host: String
    /// 0 binds an ephemeral port; read `HTTPServer.port` after `start()`.
    public var port: Int
    public var backlog: Int32
    /// Open connections served at once; one more gets a 503 problem and is closed.
    public var maxConnections: Int
    public var limits: HTTPParserLimits
    /// The whole header section must arrive within this, counted from the request's first byte
    /// (from accept for a new connection); else 408 and close.
    public var headerTimeout: Duration
    /// Longest pause between two reads of a body; else 408 and close.
    public var bodyIdleTimeout: Duration
    /// The whole body must arrive within this after the head, however steadily it dribbles
    /// (a slow-POST client cannot hold a connection indefinitely); else 408 and close.
    public var bodyTimeout: Duration
    /// An idle keep-alive connection is closed silently after this.
    public var keepAliveIdleTimeout: Duration
    /// Longest time a response write may make no progress (client not reading); then close.
    public var writeTimeout: Duration
    /// `shutdown()` waits this long for requests in flight before closing what is left.
    public var drainDeadline: Duration
    /// After a closing response the server half-closes and discards input this long, so the
    /// client reads the response instead of a reset.
    public var lingerTimeout: Duration
    /// One buffer of this size per connection, reused for every read.
    public var readBufferSize: Int
    /// Threads that run handlers (CPU-bound work); I/O never waits for them.
    public var handlerThreads: Int
    /// Event-loop threads, each running `epoll_wait` over its share of the connections
    /// (and the inline handlers of those connections). One per core by default.
    public var eventLoops: Int
    /// HTTPS on this listener when set, plain HTTP when nil. (For both, run two servers.)
    public var tls: TLSConfiguration?
    /// Request-body decoding limits and response compression.
    public var compression: HTTPCompressionConfiguration
    /// Limits of streaming requests (`HTTPHandler.streamingHandler(for:)`).
    public var streaming: HTTPStreamingConfiguration

    public init(
        host: String = "127.0.0.1",
        port: Int = 8080,
        backlog: Int32 = 511,
        maxConnections: Int = 1024,
        limits: HTTPParserLimits = HTTPParserLimits(),
        headerTimeout: Duration = .seconds(10),
        bodyIdleTimeout: Duration = .seconds(10),
        bodyTimeout: Duration = .seconds(60),
        keepAliveIdleTimeout: Duration = .seconds(60),
        writeTimeout: Duration = .seconds(10),
        drainDeadline: Duration = .seconds(25),
        lingerTimeout: Duration = .seconds(2),
        readBufferSize: Int = 16 * 1024,
        handlerThreads: Int = ProcessInfo.processInfo.activeProcessorCount,
        eventLoops: Int = ProcessInfo.processInfo.activeProcessorCount,
        tls: TLSConfiguration? = nil,
        compression: HTTPCompressionConfiguration = HTTPCompressionConfiguration(),
        streaming: HTTPStreamingConfiguration = HTTPStreamingConfiguration()
    ) {
        self.host = host
        self.port = port
        self.backlog = backlog
        self.maxConnections = maxConnections
        self.limits = limits
        self.headerTimeout = headerTimeout
        self.bodyIdleTimeout = bodyIdleTimeout
        self.bodyTimeout = bodyTimeout
        self.keepAliveIdleTimeout = keepAliveIdleTimeout
        self.writeTimeout = writeTimeout
        self.drainDeadline = drainDeadline
        self.lingerTimeout = lingerTimeout
        self.readBufferSize = readBufferSize
        self.handlerThreads = handlerThreads
        self.eventLoops = eventLoops
        self.tls = tls
        self.compression = compression
        self.streaming = streaming
    }
}

/// One answered exchange, for request logs and metrics. Carries no body and no header but
/// the request id, so logging it cannot leak claim data.
public struct HTTPExchangeRecord: Sendable {
    /// nil when the request was rejected before its request line was understood.
    public var method: String?
    /// The target's path (no query); nil like `method`.
    public var path: String?
    public var status: Int
    /// From the request's first byte to the response being queued for writing.
    public var duration: Duration
    /// Request bytes consumed (head and body framing).
    public var bytesIn: Int
    /// Response bytes (head and body).
    public var bytesOut: Int
    /// `X-Request-Id` of the request, else of the response.
    public var requestID: String?
    public var remoteAddress: String
    /// True for answers the server produced itself (parse errors, limits, timeouts, overload).
    public var rejectedByServer: Bool
    /// The verified client-certificate subject (RFC 2253) under mTLS, else nil.
    public var clientSubject: String?
    /// For a body with a `Content-Encoding`: the bytes it decoded to (when refused, as far as it got).
    public var decodedBodyBytes: Int?
}

extension Duration {
    var dispatchInterval: DispatchTimeInterval {
        let (seconds, attoseconds) = components
        return .nanoseconds(Int(min(seconds, Int64(Int.max / 1_000_000_000 - 1))) * 1_000_000_000 + Int(attoseconds / 1_000_000_000))
    }
}
