import Dispatch
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// What every connection shares with the server: immutable, so freely Sendable.
struct ConnectionContext: Sendable {
    let configuration: HTTPServerConfiguration
    let handler: any HTTPHandler
    let handlerPool: HandlerPool
    let streamSlots: StreamSlots
    let logger: Logger
    let onResponse: (@Sendable (HTTPExchangeRecord) -> Void)?
    let connectionClosed: @Sendable (HTTPConnection) -> Void
}

/// One client connection, driven by the event loop it was given at accept: readiness,
/// its one timer and every hop back from other threads (`loop.execute`) run on that loop's
/// thread.
///
/// Design: one thread per core runs `epoll_wait` over its share of the connections
/// (`EventLoop`), so a readiness event is handled on the thread that waited for it (no
/// wake-up of another thread), and confining a connection to its loop makes its state
/// lock-free, as a serial queue per connection did before. Inline handlers run right here;
/// the rest go to the handler pool and come back through `execute`.
/// Exactly one request is in progress per connection: reading stops at a request's end and
/// resumes after its response is flushed, so pipelined requests are answered in order and
/// a pipelining flood cannot grow memory beyond the one read buffer.
final class HTTPConnection: EventLoopChannel, @unchecked Sendable {
    // @unchecked: every `var` below is read and written only on `loop`'s thread.

    private enum Phase {
        /// TLS only: before the handshake completes; nothing HTTP happens yet.
        case handshaking
        /// Between requests: nothing of the next request read yet.
        case idle
        case head
        case body
        /// The handler is running; reading is paused.
        case handling
        /// A streaming handler is running and has the whole body; its response may be flowing.
        case streaming
        case writing
        /// Response flushed with `Connection: close`; write side shut, input discarded.
        case lingering
        case closed
    }

    private enum TimerKind {
        case none, handshake, header, bodyIdle, keepAlive, write, linger, stream
    }

    let loop: EventLoop
    private let fd: Int32
    private let remoteAddress: String
    private let context: ConnectionContext
    /// Set on the loop by `start()`; nil before (nothing can happen then) and after `close()`.
    private var watch: EventLoopWatch?
    private let buffer: UnsafeMutableRawBufferPointer
    private let overloadRejection: Bool
    private let tls: TLSSession?

    private var phase = Phase.idle
    private var readActive = false
    private var writeActive = false
    private var timerKind = TimerKind.none
    private var timerDeadline = DispatchTime.distantFuture
    private var bodyDeadline = DispatchTime.distantFuture
    private var bufferStart = 0
    private var bufferEnd = 0
    private var parser: HTTPRequestParser
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []
    /// Undoes the current request body's Content-Encoding; nil for a plain body.
    private var bodyDecoder: BodyDecoder?
    private var isFirstRequest = true
    private var requestStart = ContinuousClock.now
    private var exchangeBytesIn = 0
    private var lingerBytes = 0
    private var output: [UInt8] = []
    private var outputOffset = 0
    private var closeAfterWrite = false
    private var draining = false
    /// The verified client-certificate subject, once the TLS handshake is done.
    private var clientSubject: String?
    /// TLS may need the other direction's readiness to make progress (a read needing a write, …).
    private var readWantsWrite = false
    private var writeWantsRead = false
    /// A streaming request's exchange with its handler thread (streaming section below).
    private var stream: StreamExchange?
    private var streamState = StreamConnectionState()
    /// `process()` is on the stack; a nested call only asks it to loop again.
    private var processing = false
    private var processAgain = false
    private var inlineAnswersTotal = 0

    init(
        fd: Int32, remoteAddress: String, context: ConnectionContext, loop: EventLoop, tls: TLSSession?, overloadRejection: Bool
    ) {
        self.fd = fd
        self.remoteAddress = remoteAddress
        self.context = context
        self.overloadRejection = overloadRejection
        self.tls = tls
        self.loop = loop
        self.buffer = .allocate(byteCount: max(1024, context.configuration.readBufferSize), alignment: 16)
        self.parser = HTTPRequestParser(limits: context.configuration.limits)
    }

    /// Begins serving (or, for a connection over the limit, answers 503 and closes).
    func start() {
        loop.execute { [self] in
            // Closed before it started: `forceClose()` raced the accept.
            guard phase != .closed else { return }
            watch = loop.watch(fd: fd, channel: self)
            parser.bodyLimitOverride = { [unowned self] request in streamingBodyLimit(for: request) }
            if tls != nil {
                // The client speaks first; the 503 for an overloaded server also waits for the handshake.
                phase = .handshaking
                arm(.handshake, after: context.configuration.tls?.handshakeTimeout ?? .seconds(10))
                resumeReading()
            } else {
                beginHTTP()
            }
            // A drain that began before this task ran left the connection to us.
            if draining { drainIfIdle() }
        }
    }

    /// The connection is ready for HTTP: on a plain socket at once, under TLS after the handshake.
    private func beginHTTP() {
        if overloadRejection {
            var problem = HTTPResponse.problem(status: 503, detail: "The server is at its connection limit; retry shortly.")
            problem.headers.add("Retry-After", "1")
            requestStart = .now
            sendServerAnswer(problem, method: nil, path: nil)
            return
        }
        arm(.header, after: context.configuration.headerTimeout)
        resumeReading()
    }

    private func continueHandshake() {
        guard let tls, phase == .handshaking else { return }
        switch tls.handshake() {
        case .done:
            clientSubject = tls.verifiedPeerSubject
            phase = .idle
            pauseWriting()
            if draining {
                close()
                return
            }
            beginHTTP()
            // A request sent right behind the client's Finished may already sit in OpenSSL.
            kickIfTLSBuffered()
        case .wantRead:
            pauseWriting()
            resumeReading()
        case .wantWrite:
            pauseReading()
            resumeWriting()
        case .closed:
            close()
        case .failed(let reason):
            // OpenSSL's reason only (protocol version, unknown CA, …): nothing the client sent.
            context.logger.debug("TLS handshake failed", metadata: ["reason": "\(reason)", "peer": "\(remoteAddress)"])
            close()
        }
    }

    /// Server is draining: close now if idle, else finish the exchange in progress with
    /// `Connection: close`.
    func beginDrain() {
        loop.execute { [self] in
            draining = true
            // Not started yet (a drain racing the accept): `start()`'s task drains it when it runs.
            if watch != nil { drainIfIdle() }
        }
    }

    private func drainIfIdle() {
        if phase == .handshaking {
            close()
            return
        }
        guard phase == .idle && !parser.isMidRequest && bufferStart == bufferEnd else { return }
        // A request may already sit in the socket, unread: serve it rather than drop it.
        bufferStart = 0
        guard case .bytes(let n) = receive(into: buffer.baseAddress!, count: buffer.count) else {
            close()
            return
        }
        bufferEnd = n
        process()
    }

    func forceClose() {
        loop.execute { [self] in close() }
    }

    // MARK: Reading

    private enum ReceiveResult {
        case bytes(Int)
        case wouldBlock
        case end
    }

    /// One non-blocking read of plain bytes, through TLS when the connection has it.
    /// `end` covers EOF, close_notify and errors alike: either way the peer is gone.
    private func receive(into pointer: UnsafeMutableRawPointer, count: Int) -> ReceiveResult {
        guard let tls else {
            let n = recv(fd, pointer, count, Int32(MSG_DONTWAIT))
            if n > 0 { return .bytes(n) }
            if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) { return .wouldBlock }
            return .end
        }
        switch tls.read(into: pointer, count: count) {
        case .done(let n): return .bytes(n)
        case .wantRead: return .wouldBlock
        case .wantWrite:
            readWantsWrite = true
            resumeWriting()
            return .wouldBlock
        case .closed: return .end
        case .failed(let reason):
            context.logger.debug("TLS read failed", metadata: ["reason": "\(reason)", "peer": "\(remoteAddress)"])
            return .end
        }
    }

    private func onReadable() {
        guard phase != .closed else { return }
        if phase == .handshaking {
            continueHandshake()
            return
        }
        if phase == .lingering {
            discardInput()
            return
        }
        if writeWantsRead {
            writeWantsRead = false
            flush()
            guard phase == .idle || phase == .head || phase == .body else { return }
        }
        guard phase == .idle || phase == .head || phase == .body else {
            // Never read ahead while a response is pending.
            pauseReading()
            return
        }
        if bufferStart == bufferEnd {
            bufferStart = 0
            bufferEnd = 0
        }
        let space = buffer.count - bufferEnd
        guard space > 0 else {
            pauseReading()
            return
        }
        switch receive(into: buffer.baseAddress! + bufferEnd, count: space) {
        case .bytes(let n):
            bufferEnd += n
            if phase == .body { stream == nil ? armBodyTimer() : streamReadProgress() }
            process()
            kickIfTLSBuffered()
        case .wouldBlock:
            return
        case .end:
            // Mid-request there is no one left to answer; between requests it is a normal goodbye.
            close()
        }
    }

    /// OpenSSL may hold decrypted bytes the socket no longer signals: read them without waiting
    /// for readiness that will not come.
    private func kickIfTLSBuffered() {
        guard let tls, readActive, phase != .closed, tls.hasBufferedPlaintext else { return }
        loop.execute { [self] in
            if readActive { onReadable() }
        }
    }

    /// Runs the parser over buffered bytes until it needs more, a request is complete, or it fails.
    ///
    /// An inline handler answers inside this call, and a flushed answer asks to process the
    /// next pipelined request: that request waits for this call's loop instead of recursing
    /// (a buffer of pipelined requests would otherwise nest one call per request). After a
    /// few inline answers in a row the rest waits for the loop's next turn, so one pipelining
    /// client cannot keep the loop's other ready connections waiting.
    private func process() {
        if processing {
            processAgain = true
            return
        }
        processing = true
        defer { processing = false }
        var inlineAnswers = 0
        repeat {
            processAgain = false
            let before = inlineAnswersTotal
            processBuffered()
            inlineAnswers += inlineAnswersTotal &- before
            if processAgain && inlineAnswers >= 16 {
                processAgain = false
                loop.execute { [self] in process() }
            }
        } while processAgain
    }

    private func processBuffered() {
        while phase == .idle || phase == .head || phase == .body {
            if phase == .body, let stream, stream.pauseIfFull() {
                pauseStreamBody()
                return
            }
            let input = UnsafeRawBufferPointer(rebasing: buffer[bufferStart..<bufferEnd])
            let step: (event: HTTPParserEvent?, consumed: Int)
            do {
                step = try parser.parse(input)
            } catch {
                bufferStart = bufferEnd
                rejectRequest(error)
                return
            }
            bufferStart += step.consumed
            exchangeBytesIn += step.consumed
            if phase == .idle && step.consumed > 0 {
                phase = .head
                requestStart = .now
                // A new connection's header clock has run since accept; a reused one starts now.
                if !isFirstRequest { arm(.header, after: context.configuration.headerTimeout) }
            }
            guard let event = step.event else {
                resumeReading()
                return
            }
            switch event {
            case .head(let requestHead):
                head = requestHead
                do {
                    bodyDecoder = try BodyDecoder(headers: requestHead.headers, configuration: bodyDecodingConfiguration)
                } catch {
                    rejectBody(error)
                    return
                }
                phase = .body
                if case .contentLength(let length) = requestHead.framing, bodyDecoder == nil { body.reserveCapacity(length) }
                bodyDeadline = .now() + context.configuration.bodyTimeout.dispatchInterval
                armBodyTimer()
                if streamState.pendingHandler != nil {
                    guard startStream(requestHead) else { return }
                }
                if requestHead.expectsContinue {
                    // The head passed every limit, so the body will be accepted: invite it.
                    output += ResponseSerializer.continueLine
                    flush()
                }
            case .body(let bytes):
                if let bodyDecoder {
                    do throws(BodyDecodingError) {
                        try bodyDecoder.feed(bytes, into: &body)
                    } catch {
                        rejectBody(error)
                        return
                    }
                } else {
                    body += bytes
                }
                if let stream {
                    stream.pushBody(body)
                    body = []
                }
            case .end:
                do throws(BodyDecodingError) {
                    try bodyDecoder?.finish()
                } catch {
                    rejectBody(error)
                    return
                }
                pauseReading()
                disarm()
                if let stream {
                    endStreamBody(stream)
                    return
                }
                phase = .handling
                dispatchToHandler()
                return
            }
        }
    }

    /// Lingering reads raw socket bytes (ciphertext under TLS) only to throw them away.
    /// A body the server will not decode: answered at once and the connection closed (the
    /// rest of the body is never read).
    private func rejectBody(_ error: BodyDecodingError) {
        bufferStart = bufferEnd
        body = []
        context.logger.debug("request body rejected", metadata: ["reason": "\(error)", "peer": "\(remoteAddress)"])
        sendServerAnswer(error.problem, method: head?.method, path: nil)
    }

    private func discardInput() {
        while true {
            let n = recv(fd, buffer.baseAddress!, buffer.count, 0)
            if n > 0 {
                lingerBytes += n
                if lingerBytes > 1 << 20 {
                    close()
                    return
                }
                continue
            }
            if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) { return }
            close()
            return
        }
    }

    // MARK: Answering

    private func dispatchToHandler() {
        guard let head else { return }
        var headers = head.headers
        if bodyDecoder != nil {
            // The handler sees the plain body, described as such.
            headers.remove("content-encoding")
            if headers["content-length"] != nil { headers.set("Content-Length", "\(body.count)") }
        }
        let request = HTTPRequest(
            method: head.method, target: head.target, version: head.version, headers: headers,
            body: body, remoteAddress: remoteAddress, clientSubject: clientSubject)
        body = []
        let handler = context.handler
        let compression = context.configuration.compression
        if handler.runsInline(request) {
            // Short CPU-bound work: answered here, on the loop thread, without the two
            // thread hops (and futex wake-ups) of the handler pool.
            inlineAnswersTotal &+= 1
            respond(to: request, with: ResponseCompression.apply(handler.handle(request), to: request, configuration: compression))
            return
        }
        context.handlerPool.submit { [self] in
            // Compressing is CPU work too: done here, off the loop.
            let response = ResponseCompression.apply(handler.handle(request), to: request, configuration: compression)
            loop.execute { [self] in respond(to: request, with: response) }
        }
    }

    private func respond(to request: HTTPRequest, with response: HTTPResponse) {
        guard phase == .handling else { return }
        let keepAlive = (head?.keepAlive ?? false) && !draining && !response.headers.asksToClose
        let bytes = ResponseSerializer.serialize(
            response, isHead: request.method == "HEAD", requestVersion: request.version, close: !keepAlive)
        record(
            method: request.method, path: request.path, status: response.status, bytesOut: bytes.count,
            requestID: request.headers["x-request-id"] ?? response.headers["x-request-id"], rejected: false)
        write(bytes, thenClose: !keepAlive)
    }

    private func rejectRequest(_ error: HTTPParseError) {
        // The case name only: never bytes of the request.
        context.logger.debug("request rejected", metadata: ["reason": "\(error)", "status": "\(error.status)", "peer": "\(remoteAddress)"])
        sendServerAnswer(HTTPResponse.problem(status: error.status, detail: error.detail), method: head?.method, path: nil)
    }

    /// A problem the server answers on its own, always followed by closing the connection.
    private func sendServerAnswer(_ problem: HTTPResponse, method: String?, path: String?) {
        pauseReading()
        if let stream {
            // Mid-stream (a bad chunk, a corrupt gzip body) an answer can no longer be framed.
            if stream.statistics.started {
                close()
                return
            }
            endStream()
        }
        let bytes = ResponseSerializer.serialize(problem, isHead: false, requestVersion: .http1_1, close: true)
        record(method: method, path: path, status: problem.status, bytesOut: bytes.count, requestID: nil, rejected: true)
        phase = .handling
        write(bytes, thenClose: true)
    }

    private func record(method: String?, path: String?, status: Int, bytesOut: Int, requestID: String?, rejected: Bool) {
        guard let onResponse = context.onResponse else { return }
        onResponse(
            HTTPExchangeRecord(
                method: method, path: path, status: status, duration: ContinuousClock.now - requestStart,
                bytesIn: exchangeBytesIn, bytesOut: bytesOut, requestID: requestID, remoteAddress: remoteAddress,
                rejectedByServer: rejected, clientSubject: clientSubject, decodedBodyBytes: bodyDecoder?.decodedBytes))
    }

    private func write(_ bytes: [UInt8], thenClose: Bool) {
        phase = .writing
        closeAfterWrite = thenClose
        if output.isEmpty { output = bytes } else { output += bytes }
        arm(.write, after: context.configuration.writeTimeout)
        // Inside a batch of events, a plain socket's answer goes out with the batch's others
        // (`EventLoop.sendWithBatch`); TLS writes, which may need reads, go at once.
        if tls == nil && loop.inBatch {
            loop.sendWithBatch(self)
            return
        }
        flush()
    }

    func channelFlushDue() {
        if phase == .writing { flush() }
    }

    private func onWritable() {
        if phase == .handshaking {
            continueHandshake()
            return
        }
        let retryRead = readWantsWrite
        readWantsWrite = false
        flush()
        if retryRead { onReadable() }
    }

    private enum SendResult {
        case sent(Int)
        case wouldBlock
        case retry
        case failed
    }

    /// One non-blocking write of plain bytes, through TLS when the connection has it.
    private func transmit(_ pointer: UnsafeRawPointer, count: Int) -> SendResult {
        guard let tls else {
            let n = send(fd, pointer, count, Int32(MSG_NOSIGNAL))
            if n > 0 { return .sent(n) }
            if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { return .wouldBlock }
            if n < 0 && errno == EINTR { return .retry }
            return .failed
        }
        switch tls.write(from: pointer, count: count) {
        case .done(let n): return .sent(n)
        case .wantWrite: return .wouldBlock
        case .wantRead:
            writeWantsRead = true
            resumeReading()
            return .wouldBlock
        case .closed, .failed: return .failed
        }
    }

    private func flush() {
        guard phase != .closed else { return }
        defer { if stream != nil { streamFlushed() } }
        while outputOffset < output.count {
            let result = output.withUnsafeBytes { raw in transmit(raw.baseAddress! + outputOffset, count: raw.count - outputOffset) }
            switch result {
            case .sent(let n):
                outputOffset += n
                if phase == .writing { arm(.write, after: context.configuration.writeTimeout) }
            case .wouldBlock:
                // A TLS write waiting for the peer's bytes is resumed by the read side instead.
                if !writeWantsRead { resumeWriting() }
                return
            case .retry:
                continue
            case .failed:
                close()
                return
            }
        }
        // Keep a small buffer for the next response; give a large one back.
        output.removeAll(keepingCapacity: output.capacity <= 64 * 1024)
        outputOffset = 0
        pauseWriting()
        if phase == .writing { responseFlushed() }
    }

    private func responseFlushed() {
        if closeAfterWrite {
            beginLingering()
            return
        }
        head = nil
        bodyDecoder = nil
        isFirstRequest = false
        exchangeBytesIn = 0
        phase = .idle
        if draining {
            close()
            return
        }
        arm(.keepAlive, after: context.configuration.keepAliveIdleTimeout)
        // Bytes of a pipelined request may already be buffered.
        process()
    }

    private func beginLingering() {
        phase = .lingering
        tls?.sendCloseNotify()
        shutdown(fd, Int32(SHUT_WR))
        bufferStart = 0
        bufferEnd = 0
        arm(.linger, after: context.configuration.lingerTimeout)
        resumeReading()
    }

    // MARK: Timers

    private func arm(_ kind: TimerKind, after interval: Duration) {
        timerKind = kind
        timerDeadline = .now() + interval.dispatchInterval
        watch?.deadline = timerDeadline.uptimeNanoseconds
    }

    /// The sooner of the per-read idle limit and the whole-body deadline.
    private func armBodyTimer() {
        timerKind = .bodyIdle
        timerDeadline = min(.now() + context.configuration.bodyIdleTimeout.dispatchInterval, bodyDeadline)
        watch?.deadline = timerDeadline.uptimeNanoseconds
    }

    private func disarm() {
        timerKind = .none
        timerDeadline = .distantFuture
        watch?.deadline = .max
    }

    private func onTimer() {
        // A firing already queued before a re-arm is stale.
        guard phase != .closed, DispatchTime.now() >= timerDeadline else { return }
        switch timerKind {
        case .none:
            return
        case .handshake:
            context.logger.debug("TLS handshake timed out", metadata: ["peer": "\(remoteAddress)"])
            close()
        case .header:
            disarm()
            sendServerAnswer(
                HTTPResponse.problem(status: 408, detail: "The request header section did not arrive in time."),
                method: nil, path: nil)
        case .bodyIdle:
            disarm()
            sendServerAnswer(
                HTTPResponse.problem(status: 408, detail: "The request body stopped arriving."),
                method: head?.method, path: nil)
        case .keepAlive, .write, .linger:
            close()
        case .stream:
            context.logger.debug("stream timed out", metadata: ["peer": "\(remoteAddress)"])
            close()
        }
    }

    // MARK: Loop events and closing

    func channelReadable() { onReadable() }
    func channelWritable() { onWritable() }
    func channelDeadlinePassed() { onTimer() }

    private func resumeReading() {
        if !readActive && phase != .closed {
            readActive = true
            watch?.wantsRead = true
            kickIfTLSBuffered()
        }
    }

    private func pauseReading() {
        if readActive {
            readActive = false
            watch?.wantsRead = false
        }
    }

    private func resumeWriting() {
        if !writeActive && phase != .closed {
            writeActive = true
            watch?.wantsWrite = true
        }
    }

    private func pauseWriting() {
        if writeActive {
            writeActive = false
            watch?.wantsWrite = false
        }
    }

    private func close() {
        guard phase != .closed else { return }
        phase = .closed
        stream?.abort()
        readActive = false
        writeActive = false
        if let watch { loop.unwatch(watch) }
        watch = nil
        // The fd and buffer outlive the call that closed (its callers may still be on the
        // stack); the fd number cannot be reused before then since it is out of epoll already.
        loop.execute { [self] in finishClose() }
    }

    private func finishClose() {
        Glibc.close(fd)
        buffer.deallocate()
        output = []
        body = []
        context.connectionClosed(self)
    }

    // MARK: Streaming (opt-in per request: HTTPHandler.streamingHandler(for:))

    /// Called by the parser once a head is complete: a streaming route gets its own body limit.
    private func streamingBodyLimit(for request: HTTPRequest) -> Int? {
        var request = request
        request.remoteAddress = remoteAddress
        request.clientSubject = clientSubject
        streamState.pendingHandler = context.handler.streamingHandler(for: request)
        return streamState.pendingHandler == nil ? nil : context.configuration.streaming.maxBodyBytes
    }

    /// A streamed body may decode up to the streaming limit; others keep the compression limit.
    private var bodyDecodingConfiguration: HTTPCompressionConfiguration {
        var configuration = context.configuration.compression
        if streamState.pendingHandler != nil { configuration.maxDecompressedBodyBytes = context.configuration.streaming.maxBodyBytes }
        return configuration
    }

    /// Starts the handler's thread, or answers 503 when every streaming slot is taken.
    private func startStream(_ requestHead: HTTPRequestHead) -> Bool {
        guard let handler = streamState.pendingHandler else { return true }
        streamState = StreamConnectionState()
        // Not the whole Content-Length reserved above: a stream holds one part at a time.
        body = []
        guard context.streamSlots.acquire() else {
            var problem = HTTPResponse.problem(status: 503, detail: "The server is at its limit of streaming requests; retry shortly.")
            problem.headers.add("Retry-After", "1")
            sendServerAnswer(problem, method: requestHead.method, path: nil)
            return false
        }
        var headers = requestHead.headers
        if bodyDecoder != nil {
            // The handler reads the plain body, described as such.
            headers.remove("content-encoding")
            headers.remove("content-length")
        }
        let request = HTTPRequest(
            method: requestHead.method, target: requestHead.target, version: requestHead.version, headers: headers,
            remoteAddress: remoteAddress, clientSubject: clientSubject)
        streamState.requestID = headers["x-request-id"]
        let exchange = StreamExchange(
            connection: self, bufferBytes: context.configuration.streaming.bufferBytes, chunked: requestHead.version == .http1_1)
        stream = exchange
        // Streams have no whole-body deadline (a long batch is legitimate); the idle limit applies per read.
        bodyDeadline = .distantFuture
        streamReadProgress()
        exchange.run(handler, request: request, slots: context.streamSlots)
        return true
    }

    private func endStreamBody(_ exchange: StreamExchange) {
        exchange.endBody()
        phase = .streaming
        armStreamTimer()
    }

    private func pauseStreamBody() {
        pauseReading()
        armStreamTimer()
    }

    /// The handler made room in the body buffer: parse what is buffered, then read on.
    func streamBodyDrained(_ exchange: StreamExchange) {
        loop.execute { [self] in
            guard stream === exchange, phase == .body else { return }
            streamState.lastRead = .now()
            process()
            if stream != nil { armStreamTimer() }
        }
    }

    private func streamReadProgress() {
        streamState.lastRead = .now()
        armStreamTimer()
    }

    /// From the handler's thread: a head, body bytes, the end, or a complete response.
    func streamOutput(_ part: StreamOutput, from exchange: StreamExchange) {
        loop.execute { [self] in
            guard stream === exchange, phase == .body || phase == .streaming else { return }
            // An unread rest of the body cannot be skipped safely: close after this response.
            let keepAlive = (head?.keepAlive ?? false) && !draining
            switch part {
            case .head(let status, let headers):
                streamState.status = status
                streamState.requestID = streamState.requestID ?? headers["x-request-id"]
                streamState.closeAfter = !keepAlive || headers.asksToClose || !exchange.chunked
                appendStreamBytes(
                    ResponseSerializer.streamingHead(
                        status: status, headers: headers, chunked: exchange.chunked, close: streamState.closeAfter),
                    counted: false)
            case .bytes(let bytes):
                appendStreamBytes(bytes, counted: true)
            case .end:
                let close = streamState.closeAfter || draining || phase == .body
                streamState.bytesOut += exchange.chunked ? ResponseSerializer.lastChunk.count : 0
                endStream()
                record(
                    method: head?.method, path: head.map { HTTPRequest(method: $0.method, target: $0.target).path },
                    status: streamState.status, bytesOut: streamState.bytesOut, requestID: streamState.requestID, rejected: false)
                write(exchange.chunked ? ResponseSerializer.lastChunk : [], thenClose: close)
            case .complete(let response):
                let close = !keepAlive || response.headers.asksToClose || phase == .body
                let bytes = ResponseSerializer.serialize(
                    response, isHead: head?.method == "HEAD", requestVersion: head?.version ?? .http1_1, close: close)
                endStream()
                record(
                    method: head?.method, path: head.map { HTTPRequest(method: $0.method, target: $0.target).path },
                    status: response.status, bytesOut: bytes.count,
                    requestID: streamState.requestID ?? response.headers["x-request-id"], rejected: false)
                write(bytes, thenClose: close)
            }
        }
    }

    private func appendStreamBytes(_ bytes: [UInt8], counted: Bool) {
        if outputOffset == output.count { streamState.lastWrite = .now() }
        output += bytes
        streamState.bytesOut += bytes.count
        if counted { streamState.bytesInOutput += bytes.count }
        flush()
    }

    /// After a flush: tell the handler how many of its bytes went out, and re-arm the timer.
    private func streamFlushed() {
        guard let stream else { return }
        let unsent = min(streamState.bytesInOutput, output.count - outputOffset)
        let sent = streamState.bytesInOutput - unsent
        streamState.bytesInOutput = unsent
        if sent > 0 { streamState.lastWrite = .now() }
        stream.acknowledge(sent)
        if phase == .body || phase == .streaming { armStreamTimer() }
    }

    /// The handler is done with the connection; the rest is an ordinary response write.
    private func endStream() {
        stream?.abort()
        stream = nil
        streamState.bytesInOutput = 0
        streamState.pendingHandler = nil
        pauseReading()
    }

    /// The sooner of "the client sent nothing for bodyIdleTimeout while we wanted to read" and
    /// "nothing could be sent for writeTimeout while output waited".
    private func armStreamTimer() {
        var deadline = DispatchTime.distantFuture
        if phase == .body && readActive {
            deadline = min(deadline, streamState.lastRead + context.configuration.bodyIdleTimeout.dispatchInterval)
        }
        if outputOffset < output.count {
            deadline = min(deadline, streamState.lastWrite + context.configuration.writeTimeout.dispatchInterval)
        }
        timerKind = .stream
        timerDeadline = deadline
        watch?.deadline = deadline.uptimeNanoseconds
    }
}
