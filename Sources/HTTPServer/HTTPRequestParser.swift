/// Size limits the parser enforces while bytes arrive (never after buffering them).
public struct HTTPParserLimits: Sendable, Equatable {
    /// Request line without CRLF (and any leading empty lines); beyond it → 414.
    public var maxRequestLineBytes: Int
    /// Header field lines including their CRLFs and the final empty line; beyond it → 431.
    /// Trailers of a chunked body get the same budget.
    public var maxHeaderSectionBytes: Int
    /// Declared Content-Length, or the running sum of chunk sizes; beyond it → 413.
    public var maxBodyBytes: Int

    public init(maxRequestLineBytes: Int = 8 * 1024, maxHeaderSectionBytes: Int = 16 * 1024, maxBodyBytes: Int = 1 << 20) {
        self.maxRequestLineBytes = maxRequestLineBytes
        self.maxHeaderSectionBytes = maxHeaderSectionBytes
        self.maxBodyBytes = maxBodyBytes
    }
}

/// How the request body is delimited (RFC 9112 §6.3).
public enum HTTPBodyFraming: Sendable, Equatable {
    case none
    case contentLength(Int)
    case chunked
}

/// A request's head once the header section is complete and has passed every check.
public struct HTTPRequestHead: Sendable, Equatable {
    public var method: String
    public var target: String
    public var version: HTTPVersion
    public var headers: HTTPHeaders
    public var framing: HTTPBodyFraming
    /// Whether the connection may stay open after this exchange (RFC 9112 §9.3).
    public var keepAlive: Bool
    /// `Expect: 100-continue` on an HTTP/1.1 request with a body.
    public var expectsContinue: Bool
}

public enum HTTPParserEvent: Sendable, Equatable {
    case head(HTTPRequestHead)
    /// Some body bytes (de-chunked). A body may arrive as many events.
    case body([UInt8])
    /// The request is complete. The parser consumed nothing past it.
    case end
}

/// An incremental HTTP/1.1 request parser (RFC 9112), fed byte slices split anywhere.
///
/// `parse` returns at most one event and how many input bytes it consumed; a `nil` event
/// means every byte given was absorbed and more input is needed. After `.end` it stops,
/// so the caller keeps any pipelined bytes until it has answered this request, then
/// feeds them again. The first error is sticky: later calls throw it again.
///
/// Strict by design (a lenient front server is where request smuggling lives): bare CR or
/// LF, obs-fold, whitespace before a colon, duplicate or non-digit Content-Length, CL+TE,
/// and any transfer coding but a single final `chunked` are refused before the body.
public struct HTTPRequestParser: Sendable {
    private enum State: Sendable {
        case requestLine
        case headerLines
        case endPending
        case body(remaining: Int)
        case chunkSize
        case chunkData(remaining: Int)
        case chunkDataCR
        case chunkDataLF
        case trailers
        case failed(HTTPParseError)
    }

    public let limits: HTTPParserLimits
    /// Asked once a head is complete: a body limit other than `limits.maxBodyBytes` for this
    /// request (a streaming route's), or nil for the default.
    public var bodyLimitOverride: (@Sendable (HTTPRequest) -> Int?)?
    private var bodyLimit = 0
    private var state: State = .requestLine
    private var line: [UInt8] = []
    private var sawCR = false
    private var requestStarted = false
    private var methodEnded = false
    private var leadingEmptyLines = 0
    private var sectionBytes = 0
    private var bodyBytes = 0
    private var method = ""
    private var target = ""
    private var version = HTTPVersion.http1_1
    private var headers = HTTPHeaders()

    /// Chunk-size lines (size + extensions) longer than this are refused.
    private static let maxChunkLineBytes = 4096
    private static let maxLeadingEmptyLines = 8

    public init(limits: HTTPParserLimits = HTTPParserLimits()) {
        self.limits = limits
        line.reserveCapacity(256)
    }

    /// True while part of a request has been consumed but not yet its `.end`.
    public var isMidRequest: Bool {
        switch state {
        case .requestLine: return requestStarted
        case .failed: return false
        default: return true
        }
    }

    /// Convenience for arrays (tests, small inputs).
    public mutating func parse(_ input: ArraySlice<UInt8>) throws(HTTPParseError) -> (event: HTTPParserEvent?, consumed: Int) {
        var result: Result<(event: HTTPParserEvent?, consumed: Int), HTTPParseError> = .success((nil, 0))
        input.withUnsafeBytes { raw in
            result = Result { () throws(HTTPParseError) in try self.parse(raw) }
        }
        return try result.get()
    }

    public mutating func parse(_ input: UnsafeRawBufferPointer) throws(HTTPParseError) -> (event: HTTPParserEvent?, consumed: Int) {
        if case .failed(let error) = state { throw error }
        do {
            return try step(input)
        } catch {
            state = .failed(error)
            throw error
        }
    }

    private mutating func step(_ input: UnsafeRawBufferPointer) throws(HTTPParseError) -> (event: HTTPParserEvent?, consumed: Int) {
        var i = 0
        let n = input.count
        while true {
            switch state {
            case .failed(let error):
                throw error
            case .endPending:
                resetMessage()
                return (.end, i)
            case .requestLine:
                guard try readLine(input, &i, limit: .requestLine) else { return (nil, i) }
                if line.isEmpty {
                    // RFC 9112 §2.2: ignore a few empty lines before the request line, not an endless stream.
                    leadingEmptyLines += 1
                    if leadingEmptyLines > Self.maxLeadingEmptyLines { throw .invalidRequestLine }
                    continue
                }
                try parseRequestLine()
                line.removeAll(keepingCapacity: true)
                state = .headerLines
            case .headerLines:
                guard try readLine(input, &i, limit: .section(.headerSectionTooLarge)) else { return (nil, i) }
                if line.isEmpty {
                    let head = try finishHead()
                    switch head.framing {
                    case .none, .contentLength(0): state = .endPending
                    case .contentLength(let length): state = .body(remaining: length)
                    case .chunked: state = .chunkSize
                    }
                    sectionBytes = 0
                    return (.head(head), i)
                }
                let (name, value) = try parseFieldLine(line, error: nil)
                headers.add(name, value)
                line.removeAll(keepingCapacity: true)
            case .body(let remaining):
                if remaining == 0 { state = .endPending; continue }
                if i == n { return (nil, i) }
                let take = min(remaining, n - i)
                let bytes = [UInt8](UnsafeRawBufferPointer(rebasing: input[i..<(i + take)]))
                i += take
                state = .body(remaining: remaining - take)
                return (.body(bytes), i)
            case .chunkSize:
                guard try readLine(input, &i, limit: .chunkLine) else { return (nil, i) }
                let size = try parseChunkSizeLine()
                line.removeAll(keepingCapacity: true)
                if size == 0 {
                    state = .trailers
                } else {
                    if size > bodyLimit - bodyBytes { throw .contentTooLarge }
                    bodyBytes += size
                    state = .chunkData(remaining: size)
                }
            case .chunkData(let remaining):
                if remaining == 0 { state = .chunkDataCR; continue }
                if i == n { return (nil, i) }
                let take = min(remaining, n - i)
                let bytes = [UInt8](UnsafeRawBufferPointer(rebasing: input[i..<(i + take)]))
                i += take
                state = .chunkData(remaining: remaining - take)
                return (.body(bytes), i)
            case .chunkDataCR:
                if i == n { return (nil, i) }
                guard input[i] == cr else { throw .invalidChunkTerminator }
                i += 1
                state = .chunkDataLF
            case .chunkDataLF:
                if i == n { return (nil, i) }
                guard input[i] == lf else { throw .invalidChunkTerminator }
                i += 1
                state = .chunkSize
            case .trailers:
                guard try readLine(input, &i, limit: .section(.headerSectionTooLarge)) else { return (nil, i) }
                if line.isEmpty {
                    state = .endPending
                    continue
                }
                // Trailers are read for framing and discarded: nothing downstream trusts them.
                _ = try parseFieldLine(line, error: .invalidTrailer)
                line.removeAll(keepingCapacity: true)
            }
        }
    }

    private enum LineLimit {
        case requestLine
        case section(HTTPParseError)
        case chunkLine
    }

    /// Accumulates bytes of the current line into `line`; true once its CRLF is consumed.
    private mutating func readLine(_ input: UnsafeRawBufferPointer, _ i: inout Int, limit: LineLimit) throws(HTTPParseError) -> Bool {
        let n = input.count
        while i < n {
            let byte = input[i]
            i += 1
            switch limit {
            case .requestLine:
                requestStarted = true
                if byte != cr && byte != lf {
                    if line.count >= limits.maxRequestLineBytes { throw .requestLineTooLong }
                    // Fail a method that cannot be one at its first bad byte (a TLS hello, binary noise)
                    // instead of waiting for a line end that may never come.
                    if !methodEnded {
                        if byte == sp { methodEnded = true } else if !isTokenByte(byte) { throw .invalidMethod }
                    }
                }
            case .section(let error):
                sectionBytes += 1
                if sectionBytes > limits.maxHeaderSectionBytes { throw error }
            case .chunkLine:
                if line.count >= Self.maxChunkLineBytes { throw .invalidChunkSize }
            }
            if sawCR {
                guard byte == lf else { throw .bareLineBreak }
                sawCR = false
                return true
            }
            if byte == cr {
                sawCR = true
            } else if byte == lf {
                throw .bareLineBreak
            } else {
                line.append(byte)
            }
        }
        return false
    }

    private mutating func parseRequestLine() throws(HTTPParseError) {
        guard let sp1 = line.firstIndex(of: sp),
            let sp2 = line[(sp1 + 1)...].firstIndex(of: sp)
        else { throw .invalidRequestLine }
        let methodBytes = line[..<sp1]
        let targetBytes = line[(sp1 + 1)..<sp2]
        let versionBytes = line[(sp2 + 1)...]
        guard !methodBytes.isEmpty, !targetBytes.isEmpty else { throw .invalidRequestLine }
        guard methodBytes.allSatisfy(isTokenByte) else { throw .invalidMethod }
        version = try parseVersion(versionBytes)
        method = String(decoding: methodBytes, as: UTF8.self)
        // Visible ASCII only: spaces, controls and raw non-ASCII must be percent-encoded; no fragment.
        guard targetBytes.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "#") }) else {
            throw .invalidTarget
        }
        let targetText = String(decoding: targetBytes, as: UTF8.self)
        if targetText.hasPrefix("/") {
            // origin-form
        } else if targetText == "*" {
            guard method == "OPTIONS" else { throw .invalidTarget }
        } else if isAbsoluteForm(targetBytes) {
            // absolute-form: accepted as RFC 9112 §3.2.2 requires of servers.
        } else {
            // authority-form (CONNECT) and anything else: this is not a proxy.
            throw .invalidTarget
        }
        target = targetText
    }

    private func parseVersion(_ bytes: ArraySlice<UInt8>) throws(HTTPParseError) -> HTTPVersion {
        let b = Array(bytes)
        guard b.count == 8, b[0..<5].elementsEqual("HTTP/".utf8), isDigit(b[5]), b[6] == UInt8(ascii: "."), isDigit(b[7])
        else { throw .invalidVersion }
        switch (b[5], b[7]) {
        case (UInt8(ascii: "1"), UInt8(ascii: "1")): return .http1_1
        case (UInt8(ascii: "1"), UInt8(ascii: "0")): return .http1_0
        default: throw .unsupportedVersion
        }
    }

    private func isAbsoluteForm(_ bytes: ArraySlice<UInt8>) -> Bool {
        // scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) followed by "://"
        guard let first = bytes.first, isAlpha(first), let colon = bytes.firstIndex(of: UInt8(ascii: ":")) else { return false }
        let scheme = bytes[bytes.startIndex..<colon]
        guard scheme.allSatisfy({ isAlpha($0) || isDigit($0) || $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") })
        else { return false }
        let rest = bytes[colon...]
        return rest.starts(with: "://".utf8) && rest.count > 3
    }

    /// `field-name ":" OWS field-value OWS` (RFC 9112 §5); `error` overrides the per-fault errors (trailers).
    private func parseFieldLine(_ bytes: [UInt8], error override: HTTPParseError?) throws(HTTPParseError) -> (String, String) {
        func fail(_ error: HTTPParseError) -> HTTPParseError { override ?? error }
        if bytes[0] == sp || bytes[0] == htab { throw fail(.obsoleteLineFolding) }
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")) else { throw fail(.malformedHeaderLine) }
        let name = bytes[..<colon]
        guard let last = name.last else { throw fail(.invalidHeaderName) }
        if last == sp || last == htab { throw fail(.whitespaceBeforeColon) }
        guard name.allSatisfy(isTokenByte) else { throw fail(.invalidHeaderName) }
        var valueStart = colon + 1
        var valueEnd = bytes.count
        while valueStart < valueEnd, bytes[valueStart] == sp || bytes[valueStart] == htab { valueStart += 1 }
        while valueEnd > valueStart, bytes[valueEnd - 1] == sp || bytes[valueEnd - 1] == htab { valueEnd -= 1 }
        let value = bytes[valueStart..<valueEnd]
        // field-vchar / SP / HTAB; obs-text (0x80-0xFF) tolerated, every other control refused.
        guard value.allSatisfy({ $0 == htab || ($0 >= 0x20 && $0 != 0x7F) }) else { throw fail(.invalidHeaderValue) }
        return (String(decoding: name, as: UTF8.self), String(decoding: value, as: UTF8.self))
    }

    /// `chunk-size [ chunk-ext ]`: 1*HEXDIG, then optionally BWS ";" extensions (tolerated, ignored).
    private func parseChunkSizeLine() throws(HTTPParseError) -> Int {
        var size = 0
        var index = 0
        while index < line.count, let digit = hexValue(line[index]) {
            if size > (Int.max - digit) / 16 { throw .invalidChunkSize }
            size = size * 16 + digit
            index += 1
        }
        guard index > 0 else { throw .invalidChunkSize }
        while index < line.count, line[index] == sp || line[index] == htab { index += 1 }
        if index < line.count {
            guard line[index] == UInt8(ascii: ";") else { throw .invalidChunkSize }
            guard line[index...].allSatisfy({ $0 == htab || ($0 >= 0x20 && $0 != 0x7F) }) else { throw .invalidChunkSize }
        }
        return size
    }

    /// Every cross-field rule, decided before a single body byte is read.
    private mutating func finishHead() throws(HTTPParseError) -> HTTPRequestHead {
        // One pass over the fields for every framing-relevant name (five `values` lookups
        // allocated two arrays each on every request).
        var hostCount = 0, host: String?
        var contentLengths: [String] = [], transferEncodings: [String] = []
        var expectations: [String] = [], connectionValues: [String] = []
        for (name, value) in headers.fields {
            switch name.utf8.count {
            case 4 where HTTPHeaders.sameName(name, "host"):
                hostCount += 1
                if host == nil { host = value }
            case 6 where HTTPHeaders.sameName(name, "expect"): expectations.append(value)
            case 10 where HTTPHeaders.sameName(name, "connection"): connectionValues.append(value)
            case 14 where HTTPHeaders.sameName(name, "content-length"): contentLengths.append(value)
            case 17 where HTTPHeaders.sameName(name, "transfer-encoding"): transferEncodings.append(value)
            default: continue
            }
        }
        if hostCount > 1 { throw .multipleHost }
        if version == .http1_1 && hostCount == 0 { throw .missingHost }
        if let host, !host.utf8.allSatisfy(isHostByte) { throw .invalidHost }

        bodyLimit = bodyLimitOverride.flatMap { decide in
            decide(HTTPRequest(method: method, target: target, version: version, headers: headers))
        } ?? limits.maxBodyBytes
        var framing = HTTPBodyFraming.none
        if !transferEncodings.isEmpty {
            if version == .http1_0 { throw .transferEncodingOnHTTP10 }
            if !contentLengths.isEmpty { throw .contentLengthWithTransferEncoding }
            let codings = transferEncodings.flatMap { $0.split(separator: ",", omittingEmptySubsequences: false) }
                .map { $0.trimmingOWS.lowercased() }
                .filter { !$0.isEmpty }  // RFC 9110 §5.6.1: empty list elements do not count
            guard codings.last == "chunked", codings.filter({ $0 == "chunked" }).count == 1 else { throw .chunkedNotFinal }
            if codings.count > 1 { throw .unsupportedTransferCoding }
            framing = .chunked
        } else if !contentLengths.isEmpty {
            if contentLengths.count > 1 || contentLengths[0].utf8.contains(UInt8(ascii: ",")) { throw .multipleContentLength }
            let text = contentLengths[0]
            guard !text.isEmpty, text.utf8.allSatisfy(isDigit) else { throw .invalidContentLength }
            guard let length = Int(text) else { throw .invalidContentLength }
            if length > bodyLimit { throw .contentTooLarge }
            framing = .contentLength(length)
        } else if method == "POST" || method == "PUT" {
            throw .lengthRequired
        }

        var expectsContinue = false
        for expectation in expectations {
            guard expectation.lowercased() == "100-continue" else { throw .expectationFailed }
            expectsContinue = version == .http1_1 && framing != .none && framing != .contentLength(0)
        }

        let keepAlive: Bool
        if connectionValues.isEmpty {
            keepAlive = version == .http1_1
        } else {
            let connectionTokens = Set(connectionValues.flatMap { $0.split(separator: ",") }.map { $0.trimmingOWS.lowercased() })
            if connectionTokens.contains("close") {
                keepAlive = false
            } else {
                keepAlive = version == .http1_1 || connectionTokens.contains("keep-alive")
            }
        }
        return HTTPRequestHead(
            method: method, target: target, version: version, headers: headers, framing: framing,
            keepAlive: keepAlive, expectsContinue: expectsContinue)
    }

    private mutating func resetMessage() {
        state = .requestLine
        line.removeAll(keepingCapacity: true)
        sawCR = false
        requestStarted = false
        methodEnded = false
        leadingEmptyLines = 0
        sectionBytes = 0
        bodyBytes = 0
        method = ""
        target = ""
        version = .http1_1
        headers = HTTPHeaders()
    }
}

private let cr = UInt8(ascii: "\r")
private let lf = UInt8(ascii: "\n")
private let sp = UInt8(ascii: " ")
private let htab = UInt8(ascii: "\t")

@inline(__always) private func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
@inline(__always) private func isAlpha(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }

/// tchar (RFC 9110 §5.6.2): ALPHA / DIGIT / "!#$%&'*+-.^_`|~"
@inline(__always) func isTokenByte(_ b: UInt8) -> Bool {
    if isDigit(b) || isAlpha(b) { return true }
    switch b {
    case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
        UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
        UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
        return true
    default:
        return false
    }
}

/// reg-name / IP-literal / IPv4 characters plus ":" for the port (RFC 3986 §3.2.2).
private func isHostByte(_ b: UInt8) -> Bool {
    if isDigit(b) || isAlpha(b) { return true }
    switch b {
    case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "!"),
        UInt8(ascii: "$"), UInt8(ascii: "&"), UInt8(ascii: "'"), UInt8(ascii: "("), UInt8(ascii: ")"),
        UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "="),
        UInt8(ascii: ":"), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "%"):
        return true
    default:
        return false
    }
}

private func hexValue(_ b: UInt8) -> Int? {
    switch b {
    case 0x30...0x39: Int(b - 0x30)
    case 0x41...0x46: Int(b - 0x41 + 10)
    case 0x61...0x66: Int(b - 0x61 + 10)
    default: nil
    }
}

extension String {
    /// Whether `needle` (lowercase ASCII) occurs in the string, ASCII letters compared without
    /// case. Byte by byte: Foundation's `contains` went through CFString on every response.
    func containsASCIICaseInsensitive(_ needle: String) -> Bool {
        let hay = utf8, pin = needle.utf8
        guard !pin.isEmpty else { return true }
        var start = hay.startIndex
        // Walks the UTF-8 views in place: no array per call (this runs on every response).
        while hay.distance(from: start, to: hay.endIndex) >= pin.count {
            var h = start
            var matched = true
            for p in pin {
                let b = hay[h]
                if ((0x41...0x5A).contains(b) ? b | 0x20 : b) != p {
                    matched = false
                    break
                }
                h = hay.index(after: h)
            }
            if matched { return true }
            start = hay.index(after: start)
        }
        return false
    }
}

extension Substring {
    var trimmingOWS: Substring {
        var s = self
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return s
    }
}
