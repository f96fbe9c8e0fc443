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
    public var bytes: [UInt8]

    public init(number: Int, bytes: [UInt8]) {
        self.number = number
        self.bytes = bytes
    }
}

/// Reads an NDJSON file a chunk at a time, so that memory stays flat however long the
/// file is: only one chunk and the lines of one batch are held.
///
/// Lines end at LF; a CR before it is dropped; lines of only spaces and tabs are skipped
/// (their numbers still count). A last line without LF is read as well.
public final class NDJSONReader {
    private let file: UnsafeMutablePointer<FILE>
    private var chunk: [UInt8]
    /// The unread part of `chunk` is `chunk[start..<end]`.
    private var start = 0
    private var end = 0
    private var eof = false
    private var lineNumber = 0
    /// Bytes of a line that began in an earlier chunk.
    private var pending: [UInt8] = []

    /// Opens `path`; nil when it cannot be opened. `chunkSize` is for tests of lines that
    /// cross chunk boundaries.
    public init?(path: String, chunkSize: Int = 1 << 20) {
        guard let f = fopen(path, "rb") else { return nil }
        file = f
        chunk = [UInt8](repeating: 0, count: max(1, chunkSize))
    }

    deinit { fclose(file) }

    /// Up to `maxLines` further non-blank lines, appended to `lines` (emptied first).
    /// Returns false once the file is exhausted and nothing was read; throws on a read error.
    public func nextBatch(into lines: inout [NDJSONLine], maxLines: Int) throws(NDJSONReadError) -> Bool {
        lines.removeAll(keepingCapacity: true)
        while lines.count < maxLines {
            guard let line = try nextLine() else { break }
            lines.append(line)
        }
        return !lines.isEmpty
    }

    /// The next non-blank line, or nil at the end of the file.
    public func nextLine() throws(NDJSONReadError) -> NDJSONLine? {
        while true {
            if start == end {
                if eof { break }
                try refill()
                continue
            }
            let newline: Int? = chunk.withUnsafeBufferPointer { buf in
                guard let base = buf.baseAddress,
                      let hit = memchr(base + start, 0x0A, end - start) else { return nil }
                return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            }
            guard let newline else {
                pending.append(contentsOf: chunk[start..<end])
                start = end
                continue
            }
            lineNumber += 1
            var bytes: [UInt8]
            if pending.isEmpty {
                bytes = Array(chunk[start..<newline])
            } else {
                bytes = pending
                bytes.append(contentsOf: chunk[start..<newline])
                pending.removeAll(keepingCapacity: true)
            }
            start = newline + 1
            if let line = Self.line(number: lineNumber, bytes: &bytes) { return line }
        }
        // A last line without a line end.
        guard !pending.isEmpty else { return nil }
        lineNumber += 1
        var bytes = pending
        pending = []
        return Self.line(number: lineNumber, bytes: &bytes)
    }

    private static func line(number: Int, bytes: inout [UInt8]) -> NDJSONLine? {
        if bytes.last == 0x0D { bytes.removeLast() }
        guard bytes.contains(where: { $0 != 0x20 && $0 != 0x09 }) else { return nil }
        return NDJSONLine(number: number, bytes: bytes)
    }

    private func refill() throws(NDJSONReadError) {
        let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
        start = 0
        end = n
        if n < chunk.count {
            if ferror(file) != 0 { throw NDJSONReadError(lineNumber: lineNumber + 1) }
            eof = true
        }
    }
}

/// The file could not be read past a point (an I/O error, not bad JSON).
public struct NDJSONReadError: Error, Sendable, Equatable {
    /// The line being read when reading failed.
    public var lineNumber: Int
}
