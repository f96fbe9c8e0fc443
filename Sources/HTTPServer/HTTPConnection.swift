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
    let logger: Logger
    let onResponse: (@Sendable (HTTPExchangeRecord) -> Void)?
    let connectionClosed: @Sendable (HTTPConnection) -> Void
}

/// One client connection: a read source, a write source and one timer, all on the
/// connection's own serial queue.
///
/// Design: libdispatch on Linux drives its sources from one epoll instance, so a source
/// per socket *is* an epoll loop, and a serial queue per connection (targeting the shared
/// global pool) confines this object's state to one thread at a time without locks.
/// Exactly one request is in progress per connection: reading stops at a request's end and
/// resumes after its response is flushed, so pipelined requests are answered in order and
/// a pipelining flood cannot grow memory beyond the one read buffer.
final class HTTPConnection: @unchecked Sendable {
    // @unchecked: every `var` below is read and written only on `queue`.

    private enum Phase {
        /// TLS only: before the handshake completes; nothing HTTP happens yet.
        case handshaking
        /// Between requests: nothing of the next request read yet.
        case idle
        case head
        case body
        /// The handler is running; reading is paused.
        case handling
        case writing
        /// Response flushed with `Connection: close`; write side shut, input discarded.
        case lingering
        case closed
    }

    private enum TimerKind {
        case none, handshake, header, bodyIdle, keepAlive, write, linger
    }

    let queue: DispatchQueue
    private let fd: Int32
    private let remoteAddress: String
    private let context: ConnectionContext
    private let readSource: DispatchSourceRead
    private let writeSource: DispatchSourceWrite
    private let timer: DispatchSourceTimer
    private let buffer: UnsafeMutableRawBufferPointer
    private let overloadRejection: Bool
    private let tls: TLSSession?

    private var phase = Phase.idle
    private var readActive = false
    private var writeActive = false
    private var pendingCancels = 2
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

    init(fd: Int32, remoteAddress: String, context: ConnectionContext, tls: TLSSession?, overloadRejection: Bool) {
        self.fd = fd
        self.remoteAddress = remoteAddress
        self.context = context
        self.overloadRejection = overloadRejection
        self.tls = tls
        self.queue = DispatchQueue(label: "HTTPServer.connection")
        self.readSource = DispatchSource.makeReadSource(fileDescriptor: fd, queue: queue)
        self.writeSource = DispatchSource.makeWriteSource(fileDescriptor: fd, queue: queue)
        self.timer = DispatchSource.makeTimerSource(queue: queue)
        self.buffer = .allocate(byteCount: max(1024, context.configuration.readBufferSize), alignment: 16)
        self.parser = HTTPRequestParser(limits: context.configuration.limits)
    }

    /// Begins serving (or, for a connection over the limit, answers 503 and closes).
    func start() {
        queue.async { [self] in
            readSource.setEventHandler { [unowned self] in onReadable() }
            writeSource.setEventHandler { [unowned self] in onWritable() }
            timer.setEventHandler { [unowned self] in onTimer() }
            // The fd is closed only once both sources are cancelled, so neither watches a reused number.
            let cancelled: @Sendable () -> Void = { [self] in finishCancel() }
            readSource.setCancelHandler(handler: cancelled)
            writeSource.setCancelHandler(handler: cancelled)
            timer.schedule(deadline: .distantFuture)
            timer.resume()
            if tls != nil {
                // The client speaks first; the 503 for an overloaded server also waits for the handshake.
                phase = .handshaking
                arm(.handshake, after: context.configuration.tls?.handshakeTimeout ?? .seconds(10))
                resumeReading()
                return
            }
            beginHTTP()
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
        queue.async { [self] in
            draining = true
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
    }

    func forceClose() {
        queue.async { [self] in close() }
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
            if phase == .body { armBodyTimer() }
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
        queue.async { [self] in
            if readActive { onReadable() }
        }
    }

    /// Runs the parser over buffered bytes until it needs more, a request is complete, or it fails.
    private func process() {
        while phase == .idle || phase == .head || phase == .body {
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
                    bodyDecoder = try BodyDecoder(headers: requestHead.headers, configuration: context.configuration.compression)
                } catch {
                    rejectBody(error)
                    return
                }
                phase = .body
                if case .contentLength(let length) = requestHead.framing, bodyDecoder == nil { body.reserveCapacity(length) }
                bodyDeadline = .now() + context.configuration.bodyTimeout.dispatchInterval
                armBodyTimer()
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
            case .end:
                do throws(BodyDecodingError) {
                    try bodyDecoder?.finish()
                } catch {
                    rejectBody(error)
                    return
                }
                pauseReading()
                disarm()
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
        context.handlerPool.submit { [self] in
            // Compressing is CPU work too: done here, off the connection's queue.
            let response = ResponseCompression.apply(handler.handle(request), to: request, configuration: compression)
            queue.async { [self] in respond(to: request, with: response) }
        }
    }

    private func respond(to request: HTTPRequest, with response: HTTPResponse) {
        guard phase == .handling else { return }
        let handlerWantsClose = response.headers.values("connection").contains { value in
            value.split(separator: ",").contains { $0.trimmingOWS.lowercased() == "close" }
        }
        let keepAlive = (head?.keepAlive ?? false) && !draining && !handlerWantsClose
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
        flush()
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
        timer.schedule(deadline: timerDeadline)
    }

    /// The sooner of the per-read idle limit and the whole-body deadline.
    private func armBodyTimer() {
        timerKind = .bodyIdle
        timerDeadline = min(.now() + context.configuration.bodyIdleTimeout.dispatchInterval, bodyDeadline)
        timer.schedule(deadline: timerDeadline)
    }

    private func disarm() {
        timerKind = .none
        timerDeadline = .distantFuture
        timer.schedule(deadline: .distantFuture)
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
        }
    }

    // MARK: Sources and closing

    private func resumeReading() {
        if !readActive && phase != .closed {
            readActive = true
            readSource.resume()
            kickIfTLSBuffered()
        }
    }

    private func pauseReading() {
        if readActive {
            readActive = false
            readSource.suspend()
        }
    }

    private func resumeWriting() {
        if !writeActive && phase != .closed {
            writeActive = true
            writeSource.resume()
        }
    }

    private func pauseWriting() {
        if writeActive {
            writeActive = false
            writeSource.suspend()
        }
    }

    private func close() {
        guard phase != .closed else { return }
        phase = .closed
        timer.cancel()
        // A suspended source never runs its cancel handler: resume before cancelling.
        if !readActive { readSource.resume() }
        if !writeActive { writeSource.resume() }
        readActive = true
        writeActive = true
        readSource.cancel()
        writeSource.cancel()
    }

    private func finishCancel() {
        pendingCancels -= 1
        guard pendingCancels == 0 else { return }
        Glibc.close(fd)
        buffer.deallocate()
        output = []
        body = []
        context.connectionClosed(self)
    }
}
