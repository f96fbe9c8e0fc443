// The engine's callers (and tests) keep using `Inflater`, `Deflater` and `CompressionError` through ClaimScrub.
@_exported import ZlibStream

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One-shot helpers over `Inflater`/`Deflater`, and file reading that sees through gzip.
public enum Gzip {
    /// True when `bytes` start with the gzip magic number.
    public static func isGzip(_ bytes: some Collection<UInt8>) -> Bool {
        var it = bytes.makeIterator()
        return it.next() == 0x1f && it.next() == 0x8b
    }

    /// Inflates a whole gzip (or zlib) buffer; a truncated or corrupt one throws.
    /// Only the first gzip member is read (`cat a.gz b.gz` yields `a`).
    public static func gunzip(_ bytes: some Collection<UInt8>, outputLimit: Int? = nil) throws -> [UInt8] {
        let inflater = try Inflater(format: .auto, outputLimit: outputLimit, chunkSize: 256 * 1024)
        var out: [UInt8] = []
        // A gzip trailer ends with the plain size mod 2^32: reserve it (bounded by the limit).
        var expected = bytes.count * 4
        if isGzip(bytes), bytes.count >= 18 {
            let tail = Array(bytes.suffix(4))
            expected = Int(tail[0]) | Int(tail[1]) << 8 | Int(tail[2]) << 16 | Int(tail[3]) << 24
        }
        out.reserveCapacity(min(expected, outputLimit ?? 1 << 30, 1 << 30))
        try inflater.feed(bytes) { out.append(contentsOf: $0) }
        try inflater.finish()
        return out
    }

    /// Compresses a whole buffer as one gzip member.
    public static func gzip(_ bytes: some Collection<UInt8>, level: Int32 = -1) throws -> [UInt8] {
        let deflater = try Deflater(format: .gzip, level: level)
        var out = try deflater.feed(bytes)
        out += try deflater.finish()
        return out
    }

    /// The bytes of a file, inflated when the file is gzip (by content, not by name).
    public static func readFile(_ path: String, outputLimit: Int? = nil) throws -> [UInt8] {
        let raw = try readRawFile(path)
        return isGzip(raw) ? try gunzip(raw, outputLimit: outputLimit) : raw
    }

    /// The bytes of a file as stored.
    public static func readRawFile(_ path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw CompressionError.unreadableFile(path: path, reason: errnoText()) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw CompressionError.unreadableFile(path: path, reason: errnoText()) }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            throw CompressionError.unreadableFile(path: path, reason: "is a directory")
        }
        var out: [UInt8] = []
        out.reserveCapacity(Int(info.st_size) + 1)
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw CompressionError.unreadableFile(path: path, reason: errnoText())
            }
            if n == 0 { break }
            out.append(contentsOf: chunk[..<n])
        }
        return out
    }

    /// Opens `path` and reads at most a few bytes: checks that a file can be read without reading it.
    public static func readRawFilePrefix(_ path: String, count: Int = 16) throws -> [UInt8] {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw CompressionError.unreadableFile(path: path, reason: errnoText()) }
        defer { close(fd) }
        var chunk = [UInt8](repeating: 0, count: count)
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard n >= 0 else { throw CompressionError.unreadableFile(path: path, reason: errnoText()) }
        return Array(chunk[..<n])
    }

    /// Writes `bytes` to `path` (replacing it), gzip-compressed when `compress` is true.
    public static func writeFile(_ path: String, _ bytes: [UInt8], compress: Bool) throws {
        let data = compress ? try gzip(bytes, level: 9) : bytes
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw CompressionError.unwritableFile(path: path, reason: errnoText()) }
        defer { close(fd) }
        var offset = 0
        while offset < data.count {
            let n = data.withUnsafeBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                throw CompressionError.unwritableFile(path: path, reason: errnoText())
            }
            offset += n
        }
    }

    private static func errnoText() -> String { String(cString: strerror(errno)) }
}
