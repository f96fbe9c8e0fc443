import Testing
@testable import ClaimScrub

@Suite struct GzipTests {
    /// Text-like bytes with some repetition, so compression does something.
    static let sample: [UInt8] = {
        var out: [UInt8] = []
        var x: UInt32 = 12345
        for i in 0..<200_000 {
            x = x &* 1_103_515_245 &+ 12345
            out.append(i % 7 == 0 ? UInt8(truncatingIfNeeded: x >> 16) : UInt8(ascii: "a") + UInt8(i % 13))
        }
        return out
    }()

    @Test func roundTripsThroughGzip() throws {
        let compressed = try Gzip.gzip(Self.sample)
        #expect(Gzip.isGzip(compressed))
        #expect(compressed.count < Self.sample.count)
        #expect(try Gzip.gunzip(compressed) == Self.sample)
    }

    @Test func roundTripsEmptyInput() throws {
        #expect(try Gzip.gunzip(try Gzip.gzip([])) == [])
    }

    @Test(arguments: [Deflater.Format.zlib, .gzip])
    func autoDetectsZlibAndGzip(format: Deflater.Format) throws {
        let deflater = try Deflater(format: format)
        let compressed = try deflater.feed(Self.sample) + deflater.finish()
        let inflater = try Inflater(format: .auto)
        #expect(try inflater.feed(compressed) == Self.sample)
        try inflater.finish()
    }

    @Test func rawDeflateRoundTrips() throws {
        let deflater = try Deflater(format: .raw)
        let compressed = try deflater.feed(Self.sample) + deflater.finish()
        let inflater = try Inflater(format: .raw)
        #expect(try inflater.feed(compressed) == Self.sample)
        #expect(inflater.isFinished)
    }

    @Test func streamsInSmallChunksBothWays() throws {
        let deflater = try Deflater(format: .gzip)
        var compressed: [UInt8] = []
        for start in stride(from: 0, to: Self.sample.count, by: 7_777) {
            compressed += try deflater.feed(Self.sample[start..<min(start + 7_777, Self.sample.count)])
        }
        compressed += try deflater.finish()

        let inflater = try Inflater(chunkSize: 1024)
        var out: [UInt8] = []
        var chunks = 0
        for start in stride(from: 0, to: compressed.count, by: 100) {
            try inflater.feed(compressed[start..<min(start + 100, compressed.count)]) {
                out += $0
                chunks += 1
            }
        }
        try inflater.finish()
        #expect(out == Self.sample)
        #expect(chunks > 1)
    }

    @Test func truncatedInputIsAnError() throws {
        let compressed = try Gzip.gzip(Self.sample)
        let cut = Array(compressed.dropLast(20))
        #expect(throws: CompressionError.truncated) { try Gzip.gunzip(cut) }
        // Cut in the trailer: all data inflates, but the checksum/length are missing.
        #expect(throws: CompressionError.truncated) { try Gzip.gunzip(compressed.dropLast(4)) }
    }

    @Test func corruptInputIsAnError() throws {
        var compressed = try Gzip.gzip(Self.sample)
        compressed[compressed.count / 2] ^= 0xFF
        compressed[compressed.count / 2 + 1] ^= 0xFF
        #expect(throws: CompressionError.self) { try Gzip.gunzip(compressed) }
        #expect(throws: CompressionError.self) { try Gzip.gunzip(Array("not compressed at all".utf8)) }
    }

    @Test func outputLimitTripsBeforeTheWholeOutputExists() throws {
        // 64 MiB of zeros compress to about 64 KiB: a small bomb.
        let deflater = try Deflater(format: .gzip, level: 9)
        var bomb: [UInt8] = []
        let zeros = [UInt8](repeating: 0, count: 1 << 20)
        for _ in 0..<64 { bomb += try deflater.feed(zeros) }
        bomb += try deflater.finish()
        #expect(bomb.count < 100_000)

        let limit = 1 << 20
        let inflater = try Inflater(outputLimit: limit, chunkSize: 64 * 1024)
        var held = 0
        #expect(throws: CompressionError.outputLimitExceeded(limit: limit)) {
            try inflater.feed(bomb) { held += $0.count }
        }
        // Stopped within one chunk of the limit, far from the 64 MiB.
        #expect(inflater.totalOut <= limit + 64 * 1024)
        #expect(held <= limit)
        #expect(throws: CompressionError.outputLimitExceeded(limit: limit)) { try Gzip.gunzip(bomb, outputLimit: limit) }
    }

    @Test func outputExactlyAtTheLimitIsAccepted() throws {
        let compressed = try Gzip.gzip(Self.sample)
        #expect(try Gzip.gunzip(compressed, outputLimit: Self.sample.count) == Self.sample)
    }

    @Test func readFileSeesThroughGzip() throws {
        let plainPath = "/tmp/claimscrub-gzip-test-\(UInt32.random(in: 0...UInt32.max)).txt"
        let gzPath = plainPath + ".gz"
        defer { _ = unlinkFile(plainPath); _ = unlinkFile(gzPath) }
        try Gzip.writeFile(plainPath, Self.sample, compress: false)
        try Gzip.writeFile(gzPath, Self.sample, compress: true)
        #expect(try Gzip.readRawFile(gzPath) != Self.sample)
        #expect(try Gzip.readFile(gzPath) == Self.sample)
        #expect(try Gzip.readFile(plainPath) == Self.sample)
        #expect(throws: CompressionError.self) { try Gzip.readFile(plainPath + ".missing") }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

private func unlinkFile(_ path: String) -> Int32 { unlink(path) }
