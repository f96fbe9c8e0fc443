#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One non-blank line of an NDJSON file: its bytes (without the line end) and its
/// 1-based line number, counting blank lines too.
public struct NDJSONLine: Sendable, Equatable {
    public var number: Int
    /// The line's bytes where the reader found them: a slice of the chunk read, so a line
    /// costs no allocation or copy of its own.
    public var slice: ArraySlice<UInt8>
    /// The line was longer than the reader's `maxLineBytes`: `bytes` is empty, the line skipped.
    public var oversized: Bool

    /// The line's bytes in an array of their own (a copy; `slice` reads them in place).
    public var bytes: [UInt8] {
        get { Array(slice) }
        set { slice = newValue[...] }
    }

    public init(number: Int, bytes: [UInt8], oversized: Bool = false) {
        self.init(number: number, slice: bytes[...], oversized: oversized)
    }

    public init(number: Int, slice: ArraySlice<UInt8>, oversized: Bool = false) {
        self.number = number
        self.slice = slice
        self.oversized = oversized
    }
}

/// Reads NDJSON a chunk at a time, from a file or any source of chunks (a request body), so
/// that memory stays flat however long the input is: only one chunk, one line of at most
/// `maxLineBytes` and the lines of one batch are held.
///
/// Lines end at LF; a CR before it is dropped; lines of only spaces and tabs are skipped
/// (their numbers still count). A last line without LF is read as well.
public final class NDJSONReader {
    /// The next chunk of input (never empty), nil at the end.
    public typealias ChunkSource = () throws(NDJSONReadError) -> [UInt8]?

    /// A longer line is not kept: it comes out as `oversized` (the single-claim route's body limit).
    public static let defaultMaxLineBytes = 1 << 20

    private let nextChunk: ChunkSource
    private let isReady: () -> Bool
    private let maxLineBytes: Int
    private var chunk: [UInt8] = []
    /// The current line has passed `maxLineBytes`: its bytes are dropped up to its LF.
    private var overflowing = false
    /// The unread part of `chunk` is `chunk[start..<end]`.
    private var start = 0
    private var end = 0
    private var eof = false
    private var lineNumber = 0
    /// Bytes of a line that began in an earlier chunk.
    private var pending: [UInt8] = []

    /// Reads from `chunks`. `isReady` tells whether the source could give its next chunk
    /// without waiting: a batch is cut short rather than wait for more (a slow client's
    /// lines are answered as they come).
    public init(
        maxLineBytes: Int = NDJSONReader.defaultMaxLineBytes, isReady: @escaping () -> Bool = { true },
        chunks: @escaping ChunkSource
    ) {
        self.nextChunk = chunks
        self.isReady = isReady
        self.maxLineBytes = max(1, maxLineBytes)
    }

    /// Opens `path`; nil when it cannot be opened. `chunkSize` is for tests of lines that
    /// cross chunk boundaries.
    public convenience init?(path: String, chunkSize: Int = 1 << 20, maxLineBytes: Int = NDJSONReader.defaultMaxLineBytes) {
        guard let file = CFile(path: path) else { return nil }
        let size = max(1, chunkSize)
        self.init(maxLineBytes: maxLineBytes) { () throws(NDJSONReadError) -> [UInt8]? in try file.read(size) }
    }

    /// Up to `maxLines` further non-blank lines (and about `maxBytes` of them: the line that
    /// passes it is the last), appended to `lines` (emptied first).
    /// Returns false once the input is exhausted and nothing was read; throws on a read error.
    public func nextBatch(into lines: inout [NDJSONLine], maxLines: Int, maxBytes: Int = .max) throws(NDJSONReadError) -> Bool {
        lines.removeAll(keepingCapacity: true)
        var bytes = 0
        while lines.count < maxLines && bytes < maxBytes {
            guard let line = try nextLine(mayWait: lines.isEmpty) else { break }
            bytes += line.slice.count
            lines.append(line)
        }
        return !lines.isEmpty
    }

    /// The next non-blank line, or nil at the end of the file.
    public func nextLine() throws(NDJSONReadError) -> NDJSONLine? { try nextLine(mayWait: true) }

    /// Without `mayWait`, nil also when no whole line is buffered and the source is not ready.
    private func nextLine(mayWait: Bool) throws(NDJSONReadError) -> NDJSONLine? {
        while true {
            if start == end {
                if eof { break }
                if !mayWait && !isReady() { return nil }
                try refill()
                continue
            }
            let newline: Int? = chunk.withUnsafeBufferPointer { buf in
                guard let base = buf.baseAddress,
                      let hit = memchr(base + start, 0x0A, end - start) else { return nil }
                return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            }
            guard let newline else {
                if !overflowing { pending.append(contentsOf: chunk[start..<end]) }
                start = end
                if pending.count > maxLineBytes { overflow() }
                continue
            }
            lineNumber += 1
            if overflowing || pending.count + (newline - start) > maxLineBytes {
                start = newline + 1
                overflowing = false
                pending.removeAll(keepingCapacity: false)
                return NDJSONLine(number: lineNumber, bytes: [], oversized: true)
            }
            var bytes: ArraySlice<UInt8>
            if pending.isEmpty {
                bytes = chunk[start..<newline]
            } else {
                var joined = pending
                joined.append(contentsOf: chunk[start..<newline])
                bytes = joined[...]
                pending.removeAll(keepingCapacity: true)
            }
            start = newline + 1
            if let line = Self.line(number: lineNumber, bytes: &bytes) { return line }
        }
        // A last line without a line end.
        if overflowing {
            overflowing = false
            lineNumber += 1
            return NDJSONLine(number: lineNumber, bytes: [], oversized: true)
        }
        guard !pending.isEmpty else { return nil }
        lineNumber += 1
        var bytes = pending[...]
        pending = []
        return Self.line(number: lineNumber, bytes: &bytes)
    }

    private static func line(number: Int, bytes: inout ArraySlice<UInt8>) -> NDJSONLine? {
        if bytes.last == 0x0D { bytes.removeLast() }
        guard bytes.contains(where: { $0 != 0x20 && $0 != 0x09 }) else { return nil }
        return NDJSONLine(number: number, slice: bytes)
    }

    private func overflow() {
        overflowing = true
        pending = []
    }

    private func refill() throws(NDJSONReadError) {
        let chunk: [UInt8]?
        do {
            chunk = try nextChunk()
        } catch {
            throw NDJSONReadError(lineNumber: lineNumber + 1)
        }
        guard let next = chunk else {
            eof = true
            return
        }
        self.chunk = next
        start = 0
        end = next.count
    }
}

/// A `FILE` read in chunks, closed with its last reference.
private final class CFile {
    private let file: UnsafeMutablePointer<FILE>

    init?(path: String) {
        guard let f = fopen(path, "rb") else { return nil }
        file = f
    }

    deinit { fclose(file) }

    func read(_ size: Int) throws(NDJSONReadError) -> [UInt8]? {
        // Read straight into uninitialized capacity: no zero-filling of every chunk first.
        let buffer = [UInt8](unsafeUninitializedCapacity: size) { buf, initialized in
            initialized = fread(buf.baseAddress, 1, size, file)
        }
        if buffer.count < size && ferror(file) != 0 { throw NDJSONReadError(lineNumber: 0) }
        if buffer.isEmpty { return nil }
        return buffer
    }
}

/// The file could not be read past a point (an I/O error, not bad JSON).
public struct NDJSONReadError: Error, Sendable, Equatable {
    /// The line being read when reading failed.
    public var lineNumber: Int

    public init(lineNumber: Int) { self.lineNumber = lineNumber }
}
