import CZlib
import Foundation
import Testing
import ZlibStream

@testable import HTTPServer

#if canImport(Glibc)
import Glibc
#endif

/// Plain text with enough repetition to compress, deterministic.
func sampleText(_ count: Int) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(count)
    var x: UInt32 = 7
    while out.count < count {
        x = x &* 1_103_515_245 &+ 12345
        out += Array("{\"line\":\(x >> 20),\"code\":\"M54.5\"}\n".utf8)
    }
    return Array(out.prefix(count))
}

func compress(_ bytes: [UInt8], _ format: Deflater.Format) throws -> [UInt8] {
    let deflater = try Deflater(format: format)
    return try deflater.feed(bytes) + deflater.finish()
}

func gunzip(_ bytes: [UInt8]) throws -> [UInt8] {
    let inflater = try Inflater(format: .gzip)
    let out = try inflater.feed(bytes)
    try inflater.finish()
    return out
}

/// A gzip member of `gibibytes` GiB of zeros, built from one repeating deflate block
/// (Z_SYNC_FLUSH makes each 1 MiB of zeros compress to the same bytes), then gzipped once
/// more: a few KiB on the wire, `Content-Encoding: gzip, gzip`.
func gzipBombOfZeros(mebibytes: Int) throws -> [UInt8] {
    let zeros = [UInt8](repeating: 0, count: 1 << 20)
    let deflater = try Deflater(format: .raw, level: 9)
    let first = try deflater.feed(zeros) + deflater.flush()
    let unit = try deflater.feed(zeros) + deflater.flush()
    let again = try deflater.feed(zeros) + deflater.flush()
    guard unit == again else { throw ClientError(description: "deflate output of zeros does not repeat") }
    let end = try deflater.finish()
    // CRC-32 of the zeros by doubling: crc(2n) = combine(crc(n), crc(n), n).
    var crc = zeros.withUnsafeBufferPointer { crc32(0, $0.baseAddress, uInt($0.count)) }
    var length = zeros.count
    while length < mebibytes << 20 {
        crc = crc32_combine(crc, crc, off_t(length))
        length *= 2
    }
    precondition(length == mebibytes << 20, "mebibytes must be a power of two")
    var member: [UInt8] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]
    member.reserveCapacity(unit.count * mebibytes + 64)
    member += first
    for _ in 1..<mebibytes { member += unit }
    member += end
    for value in [UInt32(truncatingIfNeeded: crc), UInt32(truncatingIfNeeded: length)] {
        for shift in stride(from: 0, to: 32, by: 8) { member.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }
    return try compress(member, .gzip)
}

func residentKiB() -> Int {
    let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
    let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
    return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
}

func post(_ client: RawClient, _ path: String, body: [UInt8], headers: [String]) throws -> RawResponse {
    let head = (["POST \(path) HTTP/1.1", "Host: x", "Content-Length: \(body.count)"] + headers).joined(separator: "\r\n")
    try client.send(Array((head + "\r\n\r\n").utf8) + body)
    return try client.readResponse()
}

@Suite(.serialized) struct RequestBodyDecodingTests {
    static let plain = sampleText(20_000)

    static let encodings: [(header: String, body: [UInt8])] = {
        let gzip = try! compress(plain, .gzip)
        return [
            ("gzip", gzip), ("x-gzip", gzip), ("GZip", gzip),
            ("deflate", try! compress(plain, .zlib)), ("deflate", try! compress(plain, .raw)),
            ("gzip, gzip", try! compress(gzip, .gzip)), ("deflate, identity, gzip", try! compress(try! compress(plain, .zlib), .gzip)),
            ("identity", plain),
        ]
    }()

    @Test(arguments: 0..<encodings.count)
    func encodedBodyReachesTheHandlerPlain(index: Int) async throws {
        let (header, body) = Self.encodings[index]
        let log = RecordLog()
        try await withServer(log: log) { server in
            let client = try RawClient(port: server.port)
            let response = try post(client, "/echo", body: body, headers: ["Content-Encoding: \(header)"])
            #expect(response.status == 200)
            #expect(response.body == Self.plain)
            #expect(await eventually { log.all.count == 1 })
            #expect(log.all.first?.decodedBodyBytes == (header == "identity" ? nil : Self.plain.count))
        }
    }

    @Test func handlerSeesThePlainBodyDescribed() async throws {
        struct HeaderHandler: HTTPHandler {
            func handle(_ request: HTTPRequest) -> HTTPResponse {
                let text = "\(request.headers["content-encoding"] ?? "-") \(request.headers["content-length"] ?? "-") \(request.body.count)"
                return HTTPResponse(status: 200, body: Array(text.utf8))
            }
        }
        try await withServer(handler: HeaderHandler()) { server in
            let client = try RawClient(port: server.port)
            let response = try post(client, "/", body: try compress(Self.plain, .gzip), headers: ["Content-Encoding: gzip"])
            #expect(response.bodyText == "- \(Self.plain.count) \(Self.plain.count)")
        }
    }

    @Test func chunkedGzipBodyDecodesAsItArrives() async throws {
        let gzip = try compress(Self.plain, .gzip)
        try await withServer { server in
            let client = try RawClient(port: server.port)
            try client.send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n\r\n")
            var offset = 0
            while offset < gzip.count {
                let piece = Array(gzip[offset..<min(offset + 777, gzip.count)])
                try client.send(Array("\(String(piece.count, radix: 16))\r\n".utf8) + piece + Array("\r\n".utf8))
                offset += piece.count
            }
            try client.send("0\r\n\r\n")
            #expect(try client.readResponse().body == Self.plain)
        }
    }

    @Test(arguments: ["br", "compress", "zstd", "gzip, br", "gzip, gzip, gzip, gzip"])
    func unknownOrTooManyCodingsGet415(header: String) async throws {
        let handler = TestHandler()
        try await withServer(handler: handler) { server in
            let client = try RawClient(port: server.port)
            let response = try post(client, "/echo", body: Array("abc".utf8), headers: ["Content-Encoding: \(header)"])
            #expect(response.status == 415)
            #expect(response.header("Accept-Encoding") == "gzip, deflate")
            _ = try response.problem()
            #expect(try client.readsEOF())
        }
        #expect(handler.started.count == 0)
    }

    @Test func corruptOrTruncatedBodiesGet400() async throws {
        let gzip = try compress(Self.plain, .gzip)
        var flipped = gzip
        flipped[gzip.count / 2] ^= 0xFF
        for body in [flipped, Array(gzip.dropLast(8)), Array("plainly not gzip".utf8)] {
            try await withServer { server in
                let client = try RawClient(port: server.port)
                let response = try post(client, "/echo", body: body, headers: ["Content-Encoding: gzip"])
                #expect(response.status == 400)
                _ = try response.problem()
            }
        }
    }

    /// The ratio check stops a bomb early; without it the size limit still does.
    @Test(arguments: [100, 1_000_000])
    func gzipBombGets413WithoutInflatingIt(maxRatio: Int) async throws {
        let bomb = try gzipBombOfZeros(mebibytes: 1024)
        #expect(bomb.count < 8 * 1024)
        var configuration = testConfiguration()
        configuration.compression.maxDecompressedBodyBytes = 8 << 20
        configuration.compression.maxCompressionRatio = maxRatio
        let log = RecordLog()
        let handler = TestHandler()
        let before = residentKiB()
        try await withServer(configuration, handler: handler, log: log) { server in
            let client = try RawClient(port: server.port)
            let response = try post(client, "/echo", body: bomb, headers: ["Content-Encoding: gzip, gzip"])
            #expect(response.status == 413)
            _ = try response.problem()
            #expect(await eventually { log.all.count == 1 })
            let decoded = try #require(log.all.first?.decodedBodyBytes)
            // Never more than the limit plus one inflater chunk was produced.
            #expect(decoded <= (maxRatio == 100 ? 100 * bomb.count + 64 * 1024 : (8 << 20) + 32 * 1024))
        }
        #expect(residentKiB() - before < 64 * 1024)
        #expect(handler.started.count == 0)
    }
}

@Suite struct AcceptEncodingTests {
    /// (Accept-Encoding, body bytes, gzip expected) with the default 1 KiB threshold.
    static let cases: [(String?, Int, Bool)] = [
        (nil, 4096, false),
        ("gzip", 4096, true),
        ("gzip", 100, false),
        ("GZIP", 4096, true),
        ("x-gzip", 4096, true),
        ("gzip;q=0", 4096, false),
        ("gzip; q=0.000", 4096, false),
        ("*", 4096, true),
        ("*;q=0", 4096, false),
        ("identity;q=0, gzip", 100, true),
        ("br", 4096, false),
        ("br, *;q=0.1", 4096, true),
        ("gzip;q=0.5, identity", 4096, false),
        ("gzip, identity;q=0.5", 4096, true),
        ("deflate, gzip;q=0.8", 4096, true),
        ("gzip;q=0.3", 4096, true),
    ]

    @Test(arguments: 0..<cases.count)
    func negotiation(index: Int) async throws {
        let (accept, size, expectGzip) = Self.cases[index]
        try await withServer { server in
            let client = try RawClient(port: server.port)
            let extra = accept.map { "Accept-Encoding: \($0)\r\n" } ?? ""
            try client.send("GET /large?bytes=\(size) HTTP/1.1\r\nHost: x\r\n\(extra)\r\n")
            let response = try client.readResponse()
            #expect(response.status == 200)
            #expect(response.header("Vary") == "Accept-Encoding")
            #expect(response.header("Content-Encoding") == (expectGzip ? "gzip" : nil))
            let plain = expectGzip ? try gunzip(response.body) : response.body
            #expect(plain == [UInt8](repeating: 0x61, count: size))
        }
    }
}

@Suite struct ResponseCompressionTests {
    struct CodingHandler: HTTPHandler {
        func handle(_ request: HTTPRequest) -> HTTPResponse {
            var headers = HTTPHeaders()
            switch request.path {
            case "/encoded":
                headers.add("Content-Encoding", "br")
                return HTTPResponse(status: 200, headers: headers, body: [UInt8](repeating: 1, count: 5000))
            case "/empty":
                return HTTPResponse(status: 204)
            case "/varies":
                headers.add("Vary", "Authorization")
                headers.add("ETag", "\"v1\"")
                return HTTPResponse(status: 200, headers: headers, body: sampleText(5000))
            case "/no-transform":
                // Directive names compare without case (RFC 9111 §5.2), among other directives.
                headers.add("Cache-Control", "private, No-Transform")
                return HTTPResponse(status: 200, headers: headers, body: sampleText(5000))
            default:
                return HTTPResponse(status: 200, body: sampleText(5000))
            }
        }
    }

    func get(_ server: HTTPServer, _ path: String, method: String = "GET") throws -> RawResponse {
        let client = try RawClient(port: server.port)
        try client.send("\(method) \(path) HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\n\r\n")
        return try client.readResponse(bodyless: method == "HEAD")
    }

    @Test func headCarriesTheHeadersOfTheCompressedGet() async throws {
        try await withServer(handler: CodingHandler()) { server in
            let get = try self.get(server, "/text")
            let head = try self.get(server, "/text", method: "HEAD")
            #expect(get.header("Content-Encoding") == "gzip")
            #expect(try gunzip(get.body) == sampleText(5000))
            #expect(head.header("Content-Encoding") == "gzip")
            #expect(head.header("Content-Length") == "\(get.body.count)")
            #expect(head.header("Vary") == "Accept-Encoding")
        }
    }

    @Test func bodiesAlreadyEncodedOrWithoutContentAreLeftAlone() async throws {
        try await withServer(handler: CodingHandler()) { server in
            let encoded = try get(server, "/encoded")
            #expect(encoded.header("Content-Encoding") == "br")
            #expect(encoded.body == [UInt8](repeating: 1, count: 5000))
            let empty = try get(server, "/empty")
            #expect(empty.status == 204 && empty.header("Content-Encoding") == nil && empty.header("Vary") == nil)
            let kept = try get(server, "/no-transform")
            #expect(kept.header("Content-Encoding") == nil && kept.body == sampleText(5000))
        }
    }

    @Test func varyIsMergedAndTheValidatorRenamed() async throws {
        try await withServer(handler: CodingHandler()) { server in
            let response = try get(server, "/varies")
            #expect(response.headers.filter { $0.0 == "Vary" }.map(\.1) == ["Authorization", "Accept-Encoding"])
            #expect(response.header("ETag") == "\"v1-gzip\"")
        }
    }

    @Test func compressionCanBeTurnedOff() async throws {
        var configuration = testConfiguration()
        configuration.compression.responseMinBytes = nil
        try await withServer(configuration, handler: CodingHandler()) { server in
            let response = try get(server, "/text")
            #expect(response.header("Content-Encoding") == nil && response.header("Vary") == nil)
        }
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/curl")))
    func curlRoundTripsGzipBothWays() async throws {
        let directory = NSTemporaryDirectory() + "claimscrub-gzip-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let plain = sampleText(50_000)
        try Data(try compress(plain, .gzip)).write(to: URL(fileURLWithPath: directory + "/body.gz"))
        try await withServer { server in
            let result = try runTool(
                "/usr/bin/curl",
                [
                    "-sS", "--max-time", "5", "--compressed", "-D", directory + "/headers", "-H", "Content-Encoding: gzip",
                    "--data-binary", "@" + directory + "/body.gz", "http://127.0.0.1:\(server.port)/echo",
                ])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(Array(result.stdout.utf8) == plain)
            let headers = try String(contentsOfFile: directory + "/headers", encoding: .utf8).lowercased()
            #expect(headers.contains("content-encoding: gzip\r\n"))
            #expect(headers.contains("vary: accept-encoding\r\n"))
        }
    }
}

@Suite struct ASCIICaseInsensitiveContainmentTests {
    @Test(arguments: [
        ("no-transform", true), ("private, No-Transform", true), ("NO-TRANSFORM, max-age=0", true),
        ("no-store", false), ("no-transfor", false), ("", false), ("no_transform", false),
    ])
    func findsTheDirectiveWhateverItsCase(value: String, expected: Bool) {
        #expect(value.containsASCIICaseInsensitive("no-transform") == expected)
    }
}
