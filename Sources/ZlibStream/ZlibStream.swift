import CZlib

/// Why a compressed stream could not be read or written.
public enum CompressionError: Error, Equatable, CustomStringConvertible {
    /// zlib rejected the data (bad header, bad checksum, corrupt block).
    case corrupt(String)
    /// The stream ended before its trailer: a truncated download or file.
    case truncated
    /// Inflating would produce more than the allowed number of bytes (decompression bomb guard).
    case outputLimitExceeded(limit: Int)
    /// zlib could not set up a stream (out of memory or a bad parameter).
    case initializationFailed(Int32)
    /// A file could not be opened or read.
    case unreadableFile(path: String, reason: String)
    /// A file could not be created or written.
    case unwritableFile(path: String, reason: String)

    public var description: String {
        switch self {
        case .corrupt(let m): "compressed data is corrupt: \(m)"
        case .truncated: "compressed data ends before the end of its stream (truncated)"
        case .outputLimitExceeded(let l): "decompressed data exceeds the limit of \(l) bytes"
        case .initializationFailed(let c): "zlib could not initialise a stream (code \(c))"
        case .unreadableFile(let p, let r): "cannot read \(p): \(r)"
        case .unwritableFile(let p, let r): "cannot write \(p): \(r)"
        }
    }
}

/// A streaming inflater over the system zlib: feed compressed chunks, get plain chunks back.
///
/// One instance reads one stream; `finish()` checks that the stream was complete.
public final class Inflater {
    public enum Format: Sendable {
        /// gzip or zlib, detected from the header (windowBits 15+32).
        case auto
        /// gzip only (windowBits 15+16).
        case gzip
        /// zlib-wrapped deflate (windowBits 15): HTTP's `Content-Encoding: deflate`.
        case zlib
        /// Raw deflate without header (windowBits -15): what some servers send as `deflate`.
        case raw
    }

    private var stream = z_stream()
    private let outputLimit: Int?
    private var produced = 0
    private var ended = false
    private let chunkSize: Int

    /// - Parameter outputLimit: the most plain bytes this stream may produce; exceeding it
    ///   throws `outputLimitExceeded` before more than one chunk beyond the limit is held.
    public init(format: Format = .auto, outputLimit: Int? = nil, chunkSize: Int = 64 * 1024) throws {
        self.outputLimit = outputLimit
        self.chunkSize = max(chunkSize, 1024)
        let windowBits: Int32 = switch format {
        case .auto: 15 + 32
        case .gzip: 15 + 16
        case .zlib: 15
        case .raw: -15
        }
        let rc = claimscrub_inflateInit2(&stream, windowBits)
        guard rc == Z_OK else { throw CompressionError.initializationFailed(rc) }
    }

    deinit { inflateEnd(&stream) }

    /// True once the compressed stream's end (trailer included) has been read.
    public var isFinished: Bool { ended }

    /// Total plain bytes produced so far.
    public var totalOut: Int { produced }

    /// Total compressed bytes consumed so far.
    public var totalIn: Int { Int(stream.total_in) }

    /// Inflates `input`, calling `sink` with each plain chunk. Bytes after the end of the
    /// stream are ignored (a gzip member followed by padding).
    public func feed(_ input: some Collection<UInt8>, into sink: ([UInt8]) throws -> Void) throws {
        if ended { return }
        let done: Void? = try input.withContiguousStorageIfAvailable { try feedBuffer($0, into: sink) }
        if done == nil {
            try Array(input).withUnsafeBufferPointer { try feedBuffer($0, into: sink) }
        }
    }

    /// Inflates `input` and returns what it produced.
    public func feed(_ input: some Collection<UInt8>) throws -> [UInt8] {
        var out: [UInt8] = []
        try feed(input) { out.append(contentsOf: $0) }
        return out
    }

    /// Throws `truncated` unless the whole compressed stream has been fed.
    public func finish() throws {
        guard ended else { throw CompressionError.truncated }
    }

    private func feedBuffer(_ input: UnsafeBufferPointer<UInt8>, into sink: ([UInt8]) throws -> Void) throws {
        guard let base = input.baseAddress, input.count > 0 else { return }
        stream.next_in = UnsafeMutablePointer(mutating: base)
        stream.avail_in = uInt(input.count)
        defer { stream.next_in = nil; stream.avail_in = 0 }
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        while !ended {
            let (rc, have) = chunk.withUnsafeMutableBufferPointer { out -> (Int32, Int) in
                stream.next_out = out.baseAddress
                stream.avail_out = uInt(out.count)
                let rc = inflate(&stream, Z_NO_FLUSH)
                return (rc, out.count - Int(stream.avail_out))
            }
            switch rc {
            case Z_OK, Z_STREAM_END, Z_BUF_ERROR:
                break
            case Z_NEED_DICT:
                throw CompressionError.corrupt("a preset dictionary is required")
            default:
                let message = stream.msg.map { String(cString: $0) } ?? "zlib error \(rc)"
                throw CompressionError.corrupt(message)
            }
            if have > 0 {
                produced += have
                if let limit = outputLimit, produced > limit {
                    throw CompressionError.outputLimitExceeded(limit: limit)
                }
                try sink(have == chunk.count ? chunk : Array(chunk[..<have]))
            }
            if rc == Z_STREAM_END { ended = true; break }
            // No progress possible: input used up and the output chunk was not filled.
            if stream.avail_in == 0 && have < chunk.count { break }
            if rc == Z_BUF_ERROR { break }
        }
    }
}

/// A streaming gzip (or zlib) compressor over the system zlib.
public final class Deflater {
    public enum Format: Sendable { case gzip, zlib, raw }

    private var stream = z_stream()
    private var finished = false
    private let chunkSize = 64 * 1024

    /// - Parameter level: 0 (store) … 9 (smallest); -1 is zlib's default (6).
    public init(format: Format = .gzip, level: Int32 = -1) throws {
        let windowBits: Int32 = switch format {
        case .gzip: 15 + 16
        case .zlib: 15
        case .raw: -15
        }
        let rc = claimscrub_deflateInit2(&stream, level, Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY)
        guard rc == Z_OK else { throw CompressionError.initializationFailed(rc) }
    }

    deinit { deflateEnd(&stream) }

    /// Compresses `input`; output may be held back by zlib until `finish`.
    public func feed(_ input: some Collection<UInt8>) throws -> [UInt8] {
        precondition(!finished, "Deflater fed after finish")
        let bytes = Array(input)
        return try bytes.withUnsafeBufferPointer { try run($0, flush: Z_NO_FLUSH) }
    }

    /// Emits everything fed so far, ending on a byte boundary (Z_SYNC_FLUSH), so a reader
    /// can decode it before the stream ends.
    public func flush() throws -> [UInt8] {
        precondition(!finished, "Deflater flushed after finish")
        return try run(UnsafeBufferPointer(start: nil, count: 0), flush: Z_SYNC_FLUSH)
    }

    /// Flushes everything and writes the trailer; the deflater is spent afterwards.
    public func finish() throws -> [UInt8] {
        precondition(!finished, "Deflater finished twice")
        finished = true
        return try run(UnsafeBufferPointer(start: nil, count: 0), flush: Z_FINISH)
    }

    private func run(_ input: UnsafeBufferPointer<UInt8>, flush: Int32) throws -> [UInt8] {
        stream.next_in = input.baseAddress.map { UnsafeMutablePointer(mutating: $0) }
        stream.avail_in = uInt(input.count)
        defer { stream.next_in = nil; stream.avail_in = 0 }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        while true {
            let (rc, have) = chunk.withUnsafeMutableBufferPointer { buf -> (Int32, Int) in
                stream.next_out = buf.baseAddress
                stream.avail_out = uInt(buf.count)
                let rc = deflate(&stream, flush)
                return (rc, buf.count - Int(stream.avail_out))
            }
            guard rc == Z_OK || rc == Z_STREAM_END || rc == Z_BUF_ERROR else {
                throw CompressionError.corrupt("deflate failed with code \(rc)")
            }
            out.append(contentsOf: chunk[..<have])
            if rc == Z_STREAM_END { break }
            if flush != Z_FINISH && stream.avail_in == 0 && have < chunk.count { break }
            if rc == Z_BUF_ERROR { break }
        }
        return out
    }
}
