import ClaimScrub
import Foundation
import Logging

/// A swift-log handler that writes one JSON object per line: `timestamp` (ISO 8601 UTC),
/// `level`, `message`, `label`, then the metadata flattened (`a.b` for nested dictionaries).
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let output: Output
    private let now: @Sendable () -> Double

    /// Where lines go: a closure that takes each line as a String, or a file descriptor
    /// written with one `write(2)` per line (no String, no Foundation buffer in between).
    private enum Output {
        case sink(@Sendable (String) -> Void)
        case fileDescriptor(Int32)
        case buffer(LogLineBuffer)
    }

    /// `sink` receives each line without its newline; `now` gives seconds since 1970 (tests pin it).
    public init(
        label: String, level: Logger.Level = .info, sink: @escaping @Sendable (String) -> Void = JSONLogHandler.standardError,
        now: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }
    ) {
        self.label = label
        self.logLevel = level
        self.output = .sink(sink)
        self.now = now
    }

    /// Writes each line, newline included, to `fileDescriptor` with a single `write(2)`
    /// (lines from several threads never interleave below PIPE_BUF, and a line is whole on
    /// disk or not at all when the process dies).
    public init(
        label: String, level: Logger.Level = .info, fileDescriptor: Int32,
        now: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }
    ) {
        self.label = label
        self.logLevel = level
        self.output = .fileDescriptor(fileDescriptor)
        self.now = now
    }

    /// Hands each line, newline included, to `buffer`, whose writer thread writes the lines
    /// gathered so far with one `write(2)` (what `claimscrub serve` uses).
    public init(
        label: String, level: Logger.Level = .info, buffer: LogLineBuffer,
        now: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }
    ) {
        self.label = label
        self.logLevel = level
        self.output = .buffer(buffer)
        self.now = now
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        // The request log line has only the event's own flat metadata: no merged copy then.
        var merged = event.metadata ?? [:]
        let provided = metadataProvider?.get()
        if !metadata.isEmpty || !(provided?.isEmpty ?? true) {
            merged = metadata
            if let provided { merged.merge(provided) { _, new in new } }
            if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        }

        var out = JSONWriter(capacity: 512)
        out.beginObject()
        out.field("timestamp", Self.iso8601(now()))
        out.field("level", event.level.rawValue)
        out.field("message", event.message.description)
        out.field("label", label)
        let isFlat = !merged.values.contains { if case .dictionary = $0 { true } else { false } }
        if isFlat {
            // Pairs sorted by key: no second hash lookup per key.
            for (key, value) in merged.sorted(by: { $0.key < $1.key }) where !Self.isReserved(key) {
                switch value {
                case .string(let s): out.field(key, s)
                case .stringConvertible(let c): out.field(key, c.description)
                case .array(let items): out.field(key, items.map(\.description).joined(separator: ","))
                case .dictionary: break
                }
            }
        } else {
            var flat: [(String, String)] = []
            Self.flatten(merged, prefix: "", into: &flat)
            for (key, value) in flat.sorted(by: { $0.0 < $1.0 }) where !Self.isReserved(key) {
                out.field(key, value)
            }
        }
        out.endObject()
        emit(&out)
    }

    /// Whether `logRequest` writes what `log(event:)` would: the handler has no metadata of
    /// its own to merge into the line.
    var writesRequestLinesDirectly: Bool { metadata.isEmpty && metadataProvider == nil }

    /// The request log line at info level, the same bytes `log(event:)` writes for
    /// `line.metadata` (a route's `extra` fields excepted: pass those through swift-log),
    /// without building a metadata dictionary and sorting it on the event loop.
    func logRequest(_ line: RequestLogLine) {
        var out = JSONWriter(capacity: 640)
        out.beginObject()
        out.field("timestamp", Self.iso8601(now()))
        out.field("level", Logger.Level.info.rawValue)
        out.field("message", "request")
        out.field("label", label)
        line.writeFields(to: &out)
        out.endObject()
        emit(&out)
    }

    private func emit(_ out: inout JSONWriter) {
        switch output {
        case .sink(let sink):
            sink(String(decoding: out.bytes, as: UTF8.self))
        case .fileDescriptor(let fd):
            out.appendRaw(UInt8(ascii: "\n"))
            LogLineBuffer.writeAll(out.bytes, to: fd)
        case .buffer(let buffer):
            out.appendRaw(UInt8(ascii: "\n"))
            out.bytes.withUnsafeBytes { buffer.append($0) }
        }
    }

    private static func isReserved(_ key: String) -> Bool {
        key == "timestamp" || key == "level" || key == "message" || key == "label"
    }

    private static func flatten(_ metadata: Logger.Metadata, prefix: String, into out: inout [(String, String)]) {
        for (key, value) in metadata {
            let name = prefix.isEmpty ? key : prefix + "." + key
            switch value {
            case .string(let s): out.append((name, s))
            case .stringConvertible(let c): out.append((name, c.description))
            case .array(let items): out.append((name, items.map(\.description).joined(separator: ",")))
            case .dictionary(let d): flatten(d, prefix: name, into: &out)
            }
        }
    }

    /// `2026-11-29T16:35:01.123Z`
    static func iso8601(_ secondsSince1970: Double) -> String {
        let date = ServiceDate.iso8601Date(secondsSince1970)
        return String(unsafeUninitializedCapacity: date.utf8.count + 14) { out in
            writeISO8601(secondsSince1970, date: date, into: out)
        }
    }

    /// Writes the timestamp into `out` (room for the date's bytes + 14), returns the count.
    private static func writeISO8601(_ secondsSince1970: Double, date: String, into out: UnsafeMutableBufferPointer<UInt8>) -> Int {
        let millis = Int64((secondsSince1970 * 1000).rounded(.down))
        let days = Int(millis.quotientAndRemainderFloor(86_400_000).quotient)
        let msOfDay = Int(millis - Int64(days) * 86_400_000)
        var k = 0
        for b in date.utf8 { out[k] = b; k += 1 }
        func put(_ byte: UInt8) { out[k] = byte; k += 1 }
        func digits(_ value: Int, _ width: Int) {
            var divisor = 1
            for _ in 1..<width { divisor *= 10 }
            while divisor > 0 {
                put(UInt8(ascii: "0") + UInt8(value / divisor % 10))
                divisor /= 10
            }
        }
        put(UInt8(ascii: "T"))
        digits(msOfDay / 3_600_000, 2)
        put(UInt8(ascii: ":"))
        digits(msOfDay / 60_000 % 60, 2)
        put(UInt8(ascii: ":"))
        digits(msOfDay / 1000 % 60, 2)
        put(UInt8(ascii: "."))
        digits(msOfDay % 1000, 3)
        put(UInt8(ascii: "Z"))
        return k
    }

    public static let standardError: @Sendable (String) -> Void = { line in
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    public static let standardOutput: @Sendable (String) -> Void = { line in
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}

extension ServiceDate {
    /// The UTC date part of a timestamp (`YYYY-MM-DD`; a small string, no allocation).
    fileprivate static func iso8601Date(_ secondsSince1970: Double) -> String {
        let millis = Int64((secondsSince1970 * 1000).rounded(.down))
        return ServiceDate(daysSinceEpoch: Int(millis.quotientAndRemainderFloor(86_400_000).quotient)).description
    }
}

extension Int64 {
    fileprivate func quotientAndRemainderFloor(_ divisor: Int64) -> (quotient: Int64, remainder: Int64) {
        var (q, r) = quotientAndRemainder(dividingBy: divisor)
        if r < 0 { q -= 1; r += divisor }
        return (q, r)
    }
}
