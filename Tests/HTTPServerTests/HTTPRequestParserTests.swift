import Testing

@testable import HTTPServer

/// What a caller observes from feeding some input: events (adjacent body events merged,
/// because how a body is sliced depends on how bytes arrive), then an error if any.
struct ParseOutcome: Equatable, CustomStringConvertible {
    var events: [HTTPParserEvent] = []
    var error: HTTPParseError?

    var description: String { "\(events) error: \(String(describing: error))" }

    mutating func append(_ event: HTTPParserEvent) {
        if case .body(let more) = event, case .body(let have)? = events.last {
            events[events.count - 1] = .body(have + more)
        } else {
            events.append(event)
        }
    }

    var heads: [HTTPRequestHead] { events.compactMap { if case .head(let h) = $0 { h } else { nil } } }
    var bodies: [String] { events.compactMap { if case .body(let b) = $0 { String(decoding: b, as: UTF8.self) } else { nil } } }
    var ends: Int { events.filter { $0 == .end }.count }
}

/// Feeds chunks the way the server does: keeps unconsumed bytes, calls `parse` until it asks for more.
func drive(_ chunks: [[UInt8]], limits: HTTPParserLimits = HTTPParserLimits()) -> ParseOutcome {
    var parser = HTTPRequestParser(limits: limits)
    var outcome = ParseOutcome()
    var pending: [UInt8] = []
    for chunk in chunks {
        pending += chunk
        while true {
            do {
                let (event, consumed) = try parser.parse(pending[...])
                pending.removeFirst(consumed)
                guard let event else { break }
                outcome.append(event)
            } catch {
                outcome.error = error
                return outcome
            }
        }
    }
    return outcome
}

/// Parses `input` whole, split at every byte offset, and byte by byte; every way must agree.
/// Inputs over 2 KiB (only the cases that probe the default 8/16 KiB limits; the same code
/// paths are split exhaustively with small limits) are split at every 61st offset and at every
/// offset of their first and last 256 bytes, to keep the suite fast in debug builds.
func parseEverySplit(
    _ input: [UInt8], limits: HTTPParserLimits = HTTPParserLimits(), sourceLocation: SourceLocation = #_sourceLocation
) -> ParseOutcome {
    let whole = drive([input], limits: limits)
    let offsets = (0...input.count).filter { input.count <= 2048 || $0 % 61 == 0 || $0 < 256 || $0 > input.count - 256 }
    for offset in offsets {
        let split = drive([Array(input[..<offset]), Array(input[offset...])], limits: limits)
        if split != whole {
            Issue.record("split at \(offset) gave \(split), whole gave \(whole)", sourceLocation: sourceLocation)
            return whole
        }
    }
    let byByte = drive(input.map { [$0] }, limits: limits)
    #expect(byByte == whole, "byte by byte", sourceLocation: sourceLocation)
    return whole
}

func parseEverySplit(
    _ text: String, limits: HTTPParserLimits = HTTPParserLimits(), sourceLocation: SourceLocation = #_sourceLocation
) -> ParseOutcome {
    parseEverySplit(Array(text.utf8), limits: limits, sourceLocation: sourceLocation)
}

@Suite struct HTTPRequestParserAcceptanceTests {
    @Test func simpleGet() throws {
        let outcome = parseEverySplit("GET /v1/rules?x=1 HTTP/1.1\r\nHost: example.com\r\nAccept: */*\r\n\r\n")
        #expect(outcome.error == nil)
        let head = try #require(outcome.heads.first)
        #expect(head.method == "GET")
        #expect(head.target == "/v1/rules?x=1")
        #expect(head.version == .http1_1)
        #expect(head.headers == HTTPHeaders([("Host", "example.com"), ("Accept", "*/*")]))
        #expect(head.framing == .none)
        #expect(head.keepAlive)
        #expect(outcome.events.count == 2 && outcome.events.last == .end)
    }

    @Test func contentLengthBody() {
        let outcome = parseEverySplit("POST /scrub HTTP/1.1\r\nHost: a\r\nContent-Length: 005\r\n\r\nhello")
        #expect(outcome.error == nil)
        #expect(outcome.heads.first?.framing == .contentLength(5))
        #expect(outcome.bodies == ["hello"])
        #expect(outcome.events.last == .end)
    }

    @Test func zeroContentLengthPost() {
        let outcome = parseEverySplit("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n")
        #expect(outcome.error == nil)
        #expect(outcome.bodies.isEmpty)
        #expect(outcome.ends == 1)
    }

    @Test func chunkedBodyWithExtensionsAndTrailers() {
        let outcome = parseEverySplit(
            "POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: Chunked\r\n\r\n"
                + "5;name=value\r\nhello\r\n6 ; foo ; bar=\"q\"\r\n world\r\nA\r\n0123456789\r\n0\r\nTrailer-X: y\r\nOther: z\r\n\r\n")
        #expect(outcome.error == nil)
        #expect(outcome.heads.first?.framing == .chunked)
        #expect(outcome.bodies == ["hello world0123456789"])
        #expect(outcome.events.last == .end)
        // Trailers are discarded, not merged into the head.
        #expect(outcome.heads.first?.headers["Trailer-X"] == nil)
    }

    @Test func chunkedListWithEmptyElementsIsJustChunked() {
        let outcome = parseEverySplit("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: , chunked\r\n\r\n0\r\n\r\n")
        #expect(outcome.error == nil)
        #expect(outcome.heads.first?.framing == .chunked)
    }

    @Test func pipelinedRequestsComeOutInOrder() {
        let outcome = parseEverySplit(
            "GET /1 HTTP/1.1\r\nHost: a\r\n\r\nPOST /2 HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nhiGET /3 HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(outcome.error == nil)
        #expect(outcome.heads.map(\.target) == ["/1", "/2", "/3"])
        #expect(outcome.bodies == ["hi"])
        #expect(outcome.ends == 3)
    }

    @Test func stopsAfterEachRequestWithoutReadingAhead() throws {
        let first = "POST /1 HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc"
        let input = Array((first + "GET /2 HTTP/1.1\r\nHost: a\r\n\r\n").utf8)
        var parser = HTTPRequestParser()
        var offset = 0
        var events: [HTTPParserEvent] = []
        while true {
            let (event, consumed) = try parser.parse(input[offset...])
            offset += consumed
            guard let event else { break }
            events.append(event)
            if event == .end { break }
        }
        #expect(offset == first.utf8.count)
        #expect(events.count == 3)
        #expect(parser.isMidRequest == false)
    }

    @Test func requestTargetForms() {
        #expect(
            parseEverySplit("GET http://example.com/a?b HTTP/1.1\r\nHost: example.com\r\n\r\n").heads.first?.target
                == "http://example.com/a?b")
        #expect(parseEverySplit("OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n").heads.first?.target == "*")
    }

    @Test func keepAliveRules() {
        #expect(parseEverySplit("GET / HTTP/1.1\r\nHost: a\r\n\r\n").heads.first?.keepAlive == true)
        #expect(parseEverySplit("GET / HTTP/1.1\r\nHost: a\r\nConnection: Close\r\n\r\n").heads.first?.keepAlive == false)
        #expect(parseEverySplit("GET / HTTP/1.1\r\nHost: a\r\nConnection: te, close\r\n\r\n").heads.first?.keepAlive == false)
        #expect(parseEverySplit("GET / HTTP/1.0\r\n\r\n").heads.first?.keepAlive == false)
        #expect(parseEverySplit("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").heads.first?.keepAlive == true)
        #expect(parseEverySplit("GET / HTTP/1.0\r\nConnection: keep-alive, close\r\n\r\n").heads.first?.keepAlive == false)
    }

    @Test func hostForms() {
        for host in ["example.com", "example.com:8080", "127.0.0.1:1", "[::1]:8080", ""] {
            #expect(parseEverySplit("GET / HTTP/1.1\r\nHost: \(host)\r\n\r\n").error == nil, "\(host)")
        }
    }

    @Test func http10WithoutHostIsFine() {
        let outcome = parseEverySplit("GET / HTTP/1.0\r\n\r\n")
        #expect(outcome.error == nil)
        #expect(outcome.heads.first?.version == .http1_0)
    }

    @Test func leadingEmptyLinesAreIgnored() {
        let outcome = parseEverySplit("\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(outcome.error == nil)
        #expect(outcome.ends == 1)
    }

    @Test func optionalWhitespaceAroundValuesIsTrimmed() {
        let head = parseEverySplit("GET / HTTP/1.1\r\nHost:a\r\nFoo: \t bar baz \t \r\nEmpty:\r\n\r\n").heads.first
        #expect(head?.headers["foo"] == "bar baz")
        #expect(head?.headers["host"] == "a")
        #expect(head?.headers["empty"] == "")
    }

    @Test func everyTokenCharacterIsAllowedInNamesAndMethods() {
        let name = "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
        let outcome = parseEverySplit("GET / HTTP/1.1\r\nHost: a\r\n\(name): present\r\n\r\n")
        #expect(outcome.heads.first?.headers[name] == "present")
        #expect(parseEverySplit("SOURCE / HTTP/1.1\r\nHost: a\r\n\r\n").heads.first?.method == "SOURCE")
    }

    @Test func expectContinue() {
        let outcome = parseEverySplit("PUT /x HTTP/1.1\r\nHost: a\r\nExpect: 100-Continue\r\nContent-Length: 2\r\n\r\nok")
        #expect(outcome.error == nil)
        #expect(outcome.heads.first?.expectsContinue == true)
        #expect(outcome.bodies == ["ok"])
        // Nothing to continue without a body.
        #expect(parseEverySplit("GET / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\n\r\n").heads.first?.expectsContinue == false)
    }

    @Test func limitsAreInclusive() {
        let limits = HTTPParserLimits(maxRequestLineBytes: 32, maxHeaderSectionBytes: 64, maxBodyBytes: 10)
        let target = "/" + String(repeating: "a", count: 32 - "GET  HTTP/1.1".utf8.count - 1)
        let requestLine = "GET \(target) HTTP/1.1"
        #expect(requestLine.utf8.count == 32)
        // Header section: "Host: a\r\n" (9) + filler line + final CRLF (2) = 64 exactly.
        let filler = "X: " + String(repeating: "b", count: 64 - 9 - 2 - 5) + "\r\n"
        #expect(parseEverySplit("\(requestLine)\r\nHost: a\r\n\(filler)\r\n", limits: limits).error == nil)
        #expect(parseEverySplit("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n0123456789", limits: limits).error == nil)
        let chunked = parseEverySplit(
            "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n01234\r\n5\r\n56789\r\n0\r\n\r\n", limits: limits)
        #expect(chunked.error == nil)
        #expect(chunked.bodies == ["0123456789"])
    }

    @Test(arguments: [UInt8](0x80...0xFF))
    func nonASCIIValueBytesAreTolerated(byte: UInt8) {
        let input = Array("GET / HTTP/1.1\r\nHost: a\r\nWeird: x".utf8) + [byte] + Array("y\r\n\r\n".utf8)
        #expect(parseEverySplit(input).error == nil)
    }
}

/// Each rejection with the status the server must answer.
struct Rejection: CustomTestStringConvertible, Sendable {
    var name: String
    var input: String
    var error: HTTPParseError
    var status: Int
    var limits = HTTPParserLimits()
    var testDescription: String { name }
}

let chunkedHead = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"

let smugglingRejections: [Rejection] = [
    Rejection(name: "CL then TE", input: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", error: .contentLengthWithTransferEncoding, status: 400),
    Rejection(name: "TE then CL", input: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n0\r\n\r\n", error: .contentLengthWithTransferEncoding, status: 400),
    Rejection(name: "CL plus gzip, chunked (NIO smuggling case)", input: "POST /foo HTTP/1.1\r\nHost: localhost\r\nContent-length: 1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n3\r\na=1\r\n0\r\n\r\n", error: .contentLengthWithTransferEncoding, status: 400),
    Rejection(name: "CL 4, 4", input: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4, 4\r\n\r\nabcd", error: .multipleContentLength, status: 400),
    Rejection(name: "CL 4, 5", input: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4, 5\r\n\r\nabcd", error: .multipleContentLength, status: 400),
    Rejection(name: "two equal CL lines", input: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nContent-Length: 4\r\n\r\nabcd", error: .multipleContentLength, status: 400),
    Rejection(name: "two different CL lines", input: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\ncontent-length: 5\r\n\r\nabcd", error: .multipleContentLength, status: 400),
    Rejection(name: "TE chunked, identity", input: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n", error: .chunkedNotFinal, status: 400),
    Rejection(name: "TE chunked then identity line", input: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n\r\n0\r\n\r\n", error: .chunkedNotFinal, status: 400),
    Rejection(name: "TE chunked, gzip", input: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n", error: .chunkedNotFinal, status: 400),
    Rejection(name: "TE gzip alone", input: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\nabc", error: .chunkedNotFinal, status: 400),
    Rejection(name: "TE identity alone", input: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: identity\r\n\r\nabc", error: .chunkedNotFinal, status: 400),
    Rejection(name: "TE chunked twice", input: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n", error: .chunkedNotFinal, status: 400),
    Rejection(name: "TE chunked on two lines", input: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", error: .chunkedNotFinal, status: 400),
    Rejection(name: "TE chunked with parameter", input: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked;q=1\r\n\r\n0\r\n\r\n", error: .chunkedNotFinal, status: 400),
    Rejection(name: "TE empty", input: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: \r\n\r\n", error: .chunkedNotFinal, status: 400),
    Rejection(name: "TE xchunked", input: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: xchunked\r\n\r\n0\r\n\r\n", error: .chunkedNotFinal, status: 400),
    Rejection(name: "TE gzip, chunked is 501", input: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", error: .unsupportedTransferCoding, status: 501),
    Rejection(name: "TE on HTTP/1.0", input: "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", error: .transferEncodingOnHTTP10, status: 400),
    Rejection(name: "CL +4", input: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +4\r\n\r\nabcd", error: .invalidContentLength, status: 400),
    Rejection(name: "CL -1", input: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n", error: .invalidContentLength, status: 400),
    Rejection(name: "CL 4x", input: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length:  4x\r\n\r\nabcd", error: .invalidContentLength, status: 400),
    Rejection(name: "CL 4 4", input: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4 4\r\n\r\nabcd", error: .invalidContentLength, status: 400),
    Rejection(name: "CL hex", input: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0x4\r\n\r\nabcd", error: .invalidContentLength, status: 400),
    Rejection(name: "CL empty", input: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: \r\n\r\n", error: .invalidContentLength, status: 400),
    Rejection(name: "CL overflow", input: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999999999\r\n\r\n", error: .invalidContentLength, status: 400),
    Rejection(name: "chunk size non-hex", input: chunkedHead + "zz\r\n", error: .invalidChunkSize, status: 400),
    Rejection(name: "chunk size empty", input: chunkedHead + "\r\n", error: .invalidChunkSize, status: 400),
    Rejection(name: "chunk size negative", input: chunkedHead + "-1\r\n", error: .invalidChunkSize, status: 400),
    Rejection(name: "chunk size 0x prefix", input: chunkedHead + "0x5\r\nhello\r\n0\r\n\r\n", error: .invalidChunkSize, status: 400),
    Rejection(name: "chunk size junk after", input: chunkedHead + "5 x\r\nhello\r\n0\r\n\r\n", error: .invalidChunkSize, status: 400),
    Rejection(name: "chunk size overflow", input: chunkedHead + "fffffffffffffffffffff\r\n", error: .invalidChunkSize, status: 400),
    Rejection(name: "chunk data without CRLF", input: chunkedHead + "5\r\nhelloX\r\n0\r\n\r\n", error: .invalidChunkTerminator, status: 400),
    Rejection(name: "chunk data with bare LF", input: chunkedHead + "5\r\nhello\n0\r\n\r\n", error: .invalidChunkTerminator, status: 400),
    Rejection(name: "chunk size line bare LF", input: chunkedHead + "5\nhello\r\n0\r\n\r\n", error: .bareLineBreak, status: 400),
    Rejection(name: "bad trailer", input: chunkedHead + "0\r\nBad Trailer: x\r\n\r\n", error: .invalidTrailer, status: 400),
    Rejection(name: "obs-fold trailer", input: chunkedHead + "0\r\nA: x\r\n y\r\n\r\n", error: .invalidTrailer, status: 400),
]

let syntaxRejections: [Rejection] = [
    Rejection(name: "obs-fold", input: "GET / HTTP/1.1\r\nHost: a\r\nFoo: bar\r\n baz\r\n\r\n", error: .obsoleteLineFolding, status: 400),
    Rejection(name: "obs-fold with tab", input: "GET / HTTP/1.1\r\nHost: a\r\nFoo: bar\r\n\tbaz\r\n\r\n", error: .obsoleteLineFolding, status: 400),
    Rejection(name: "first header line folded", input: "GET / HTTP/1.1\r\n Host: a\r\n\r\n", error: .obsoleteLineFolding, status: 400),
    Rejection(name: "space before colon", input: "GET / HTTP/1.1\r\nHost : a\r\n\r\n", error: .whitespaceBeforeColon, status: 400),
    Rejection(name: "tab before colon", input: "GET / HTTP/1.1\r\nHost: a\r\nContent-Length\t: 0\r\n\r\n", error: .whitespaceBeforeColon, status: 400),
    Rejection(name: "bare LF after request line", input: "GET / HTTP/1.1\nHost: a\r\n\r\n", error: .bareLineBreak, status: 400),
    Rejection(name: "bare LF after header", input: "GET / HTTP/1.1\r\nHost: a\n\r\n", error: .bareLineBreak, status: 400),
    Rejection(name: "bare LF final line", input: "GET / HTTP/1.1\r\nHost: a\r\n\n", error: .bareLineBreak, status: 400),
    Rejection(name: "bare CR in value", input: "GET / HTTP/1.1\r\nHost: a\rX: b\r\n\r\n", error: .bareLineBreak, status: 400),
    Rejection(name: "NUL in name", input: "GET / HTTP/1.1\r\nHost: a\r\nFo\u{0}o: x\r\n\r\n", error: .invalidHeaderName, status: 400),
    Rejection(name: "NUL in value", input: "GET / HTTP/1.1\r\nHost: a\r\nFoo: x\u{0}y\r\n\r\n", error: .invalidHeaderValue, status: 400),
    Rejection(name: "DEL in value", input: "GET / HTTP/1.1\r\nHost: a\r\nFoo: x\u{7F}y\r\n\r\n", error: .invalidHeaderValue, status: 400),
    Rejection(name: "escape in value", input: "GET / HTTP/1.1\r\nHost: a\r\nFoo: x\u{1B}y\r\n\r\n", error: .invalidHeaderValue, status: 400),
    Rejection(name: "@ in name", input: "GET / HTTP/1.1\r\nHost: a\r\nFo@o: x\r\n\r\n", error: .invalidHeaderName, status: 400),
    Rejection(name: "quote in name", input: "GET / HTTP/1.1\r\nHost: a\r\nFo\"o: x\r\n\r\n", error: .invalidHeaderName, status: 400),
    Rejection(name: "empty name", input: "GET / HTTP/1.1\r\nHost: a\r\n: x\r\n\r\n", error: .invalidHeaderName, status: 400),
    Rejection(name: "no colon", input: "GET / HTTP/1.1\r\nHost: a\r\nFoo\r\n\r\n", error: .malformedHeaderLine, status: 400),
    Rejection(name: "bad method char", input: "GE(T / HTTP/1.1\r\nHost: a\r\n\r\n", error: .invalidMethod, status: 400),
    Rejection(name: "method with brace", input: "GET{ / HTTP/1.1\r\nHost: a\r\n\r\n", error: .invalidMethod, status: 400),
    Rejection(name: "TLS hello without a line end", input: "\u{16}\u{03}\u{01}\u{02}\u{00}", error: .invalidMethod, status: 400),
    Rejection(name: "leading space", input: " GET / HTTP/1.1\r\nHost: a\r\n\r\n", error: .invalidRequestLine, status: 400),
    Rejection(name: "HTTP/0.9 request", input: "GET /\r\n\r\n", error: .invalidRequestLine, status: 400),
    Rejection(name: "double space", input: "GET  / HTTP/1.1\r\nHost: a\r\n\r\n", error: .invalidRequestLine, status: 400),
    Rejection(name: "trailing space after version", input: "GET / HTTP/1.1 \r\nHost: a\r\n\r\n", error: .invalidVersion, status: 400),
    Rejection(name: "lowercase version", input: "GET / http/1.1\r\nHost: a\r\n\r\n", error: .invalidVersion, status: 400),
    Rejection(name: "version 1.10", input: "GET / HTTP/1.10\r\nHost: a\r\n\r\n", error: .invalidVersion, status: 400),
    Rejection(name: "HTTP/2.0", input: "GET / HTTP/2.0\r\nHost: a\r\n\r\n", error: .unsupportedVersion, status: 505),
    Rejection(name: "HTTP/1.2", input: "GET / HTTP/1.2\r\nHost: a\r\n\r\n", error: .unsupportedVersion, status: 505),
    Rejection(name: "HTTP/0.9 version", input: "GET / HTTP/0.9\r\nHost: a\r\n\r\n", error: .unsupportedVersion, status: 505),
    Rejection(name: "relative target", input: "GET foo HTTP/1.1\r\nHost: a\r\n\r\n", error: .invalidTarget, status: 400),
    Rejection(name: "asterisk on GET", input: "GET * HTTP/1.1\r\nHost: a\r\n\r\n", error: .invalidTarget, status: 400),
    Rejection(name: "authority form", input: "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com\r\n\r\n", error: .invalidTarget, status: 400),
    Rejection(name: "fragment in target", input: "GET /a#b HTTP/1.1\r\nHost: a\r\n\r\n", error: .invalidTarget, status: 400),
    Rejection(name: "non-ASCII target", input: "GET /é HTTP/1.1\r\nHost: a\r\n\r\n", error: .invalidTarget, status: 400),
    Rejection(name: "missing Host", input: "GET / HTTP/1.1\r\nAccept: */*\r\n\r\n", error: .missingHost, status: 400),
    Rejection(name: "Host with space", input: "GET / HTTP/1.1\r\nHost: a b\r\n\r\n", error: .invalidHost, status: 400),
    Rejection(name: "Host with path", input: "GET / HTTP/1.1\r\nHost: a/b\r\n\r\n", error: .invalidHost, status: 400),
    Rejection(name: "Host with userinfo", input: "GET / HTTP/1.1\r\nHost: user@a\r\n\r\n", error: .invalidHost, status: 400),
    Rejection(name: "two Host", input: "GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n", error: .multipleHost, status: 400),
    Rejection(name: "two Host on 1.0", input: "GET / HTTP/1.0\r\nHost: a\r\nhost: b\r\n\r\n", error: .multipleHost, status: 400),
    Rejection(name: "POST without length", input: "POST /scrub HTTP/1.1\r\nHost: a\r\n\r\n", error: .lengthRequired, status: 411),
    Rejection(name: "PUT without length", input: "PUT /x HTTP/1.1\r\nHost: a\r\n\r\n", error: .lengthRequired, status: 411),
    Rejection(name: "unknown expectation", input: "POST / HTTP/1.1\r\nHost: a\r\nExpect: 200-ok\r\nContent-Length: 1\r\n\r\nx", error: .expectationFailed, status: 417),
    Rejection(name: "too many leading empty lines", input: String(repeating: "\r\n", count: 9) + "GET / HTTP/1.1\r\nHost: a\r\n\r\n", error: .invalidRequestLine, status: 400),
]

let limitRejections: [Rejection] = [
    Rejection(name: "request line over 8 KiB", input: "GET /" + String(repeating: "a", count: 8 * 1024) + " HTTP/1.1\r\nHost: a\r\n\r\n", error: .requestLineTooLong, status: 414),
    Rejection(name: "request line over small limit", input: "GET /abcdefghijklmnopqrstuvwxyz HTTP/1.1\r\nHost: a\r\n\r\n", error: .requestLineTooLong, status: 414, limits: HTTPParserLimits(maxRequestLineBytes: 32)),
    Rejection(name: "request line never ends", input: String(repeating: "G", count: 40), error: .requestLineTooLong, status: 414, limits: HTTPParserLimits(maxRequestLineBytes: 32)),
    Rejection(name: "header section over 16 KiB", input: "GET / HTTP/1.1\r\nHost: a\r\n" + String(repeating: "X-Filler: 0123456789012345678901234567890123456789\r\n", count: 400) + "\r\n", error: .headerSectionTooLarge, status: 431),
    Rejection(name: "header section over small limit", input: "GET / HTTP/1.1\r\nHost: a\r\nX: " + String(repeating: "b", count: 60) + "\r\n\r\n", error: .headerSectionTooLarge, status: 431, limits: HTTPParserLimits(maxHeaderSectionBytes: 64)),
    Rejection(name: "header section one byte over", input: "GET / HTTP/1.1\r\nHost: a\r\nX: " + String(repeating: "b", count: 64 - 9 - 2 - 5 + 1) + "\r\n\r\n", error: .headerSectionTooLarge, status: 431, limits: HTTPParserLimits(maxHeaderSectionBytes: 64)),
    Rejection(name: "trailers over limit", input: chunkedHead + "0\r\nT: " + String(repeating: "b", count: 80) + "\r\n\r\n", error: .headerSectionTooLarge, status: 431, limits: HTTPParserLimits(maxHeaderSectionBytes: 64)),
    Rejection(name: "declared body over limit", input: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\n", error: .contentTooLarge, status: 413, limits: HTTPParserLimits(maxBodyBytes: 10)),
    Rejection(name: "declared body over 1 MiB", input: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1048577\r\n\r\n", error: .contentTooLarge, status: 413),
    Rejection(name: "chunked body over limit", input: chunkedHead + "6\r\n012345\r\n5\r\n", error: .contentTooLarge, status: 413, limits: HTTPParserLimits(maxBodyBytes: 10)),
    Rejection(name: "huge chunk", input: chunkedHead + "ffffffff\r\n", error: .contentTooLarge, status: 413),
]

@Suite struct HTTPRequestParserRejectionTests {
    @Test(arguments: smugglingRejections + syntaxRejections + limitRejections)
    func rejected(_ rejection: Rejection) {
        let outcome = parseEverySplit(rejection.input, limits: rejection.limits)
        #expect(outcome.error == rejection.error)
        #expect(outcome.error?.status == rejection.status)
        // Nothing of a rejected request reaches anyone as a complete request.
        #expect(outcome.ends == 0)
    }

    @Test func bareCRBetweenPipelinedRequestsIsRejected() {
        let outcome = parseEverySplit("GET / HTTP/1.1\r\nHost: a\r\n\r\n\rGET / HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(outcome.ends == 1)
        #expect(outcome.error == .bareLineBreak)
    }

    @Test func bodyBeforeAnErrorIsDeliveredAndTheErrorIsSticky() throws {
        let input = Array((chunkedHead + "3\r\nabc\r\nzz\r\n").utf8)
        let outcome = parseEverySplit(input)
        #expect(outcome.bodies == ["abc"])
        #expect(outcome.error == .invalidChunkSize)
        var parser = HTTPRequestParser()
        var offset = 0
        while let step = try? parser.parse(input[offset...]), step.event != nil { offset += step.consumed }
        #expect(throws: HTTPParseError.invalidChunkSize) { try parser.parse(Array("GET / HTTP/1.1\r\n".utf8)[...]) }
    }

    @Test(arguments: [UInt8](0...255).filter { !isTokenByte($0) && $0 != UInt8(ascii: ":") && $0 != 13 && $0 != 10 })
    func nonTokenByteInNameIsRejected(byte: UInt8) {
        let input = Array("GET / HTTP/1.1\r\nHost: a\r\nWeird".utf8) + [byte] + Array("Name: x\r\n\r\n".utf8)
        #expect(parseEverySplit(input).error == .invalidHeaderName)
    }

    @Test(arguments: [UInt8](0...0x1F).filter { $0 != 9 && $0 != 10 && $0 != 13 } + [0x7F])
    func controlByteInValueIsRejected(byte: UInt8) {
        let input = Array("GET / HTTP/1.1\r\nHost: a\r\nWeird: x".utf8) + [byte] + Array("y\r\n\r\n".utf8)
        #expect(parseEverySplit(input).error == .invalidHeaderValue)
    }

    @Test func everyErrorHasAStatusAndFixedDetail() {
        for error in HTTPParseError.allCases {
            #expect((400...505).contains(error.status))
            #expect(!error.detail.isEmpty)
        }
    }
}
