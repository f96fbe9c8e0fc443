import ClaimScrub
import Logging

/// The fields of the one log line per request. `JSONLogHandler.logRequest` writes them
/// straight into the line's bytes; `metadata` is the same line for any other log handler.
/// Both give the same text: the keys in sorted order, every value a JSON string.
struct RequestLogLine {
    var requestID: String?
    var method: String
    var route: String
    var status: Int
    var durationSeconds: Double
    var bytesIn: Int
    var bytesOut: Int
    /// Omitted when empty (in-memory requests have no peer).
    var remote: String
    var apiKey: String?
    var clientSubject: String?
    /// A route's own fields (a batch's counts); written by the metadata path only.
    var extra: [String: String] = [:]

    var metadata: Logger.Metadata {
        var line: Logger.Metadata = [
            "method": .string(method),
            "route": .string(route),
            "status": .stringConvertible(status),
            "durationMs": .string(ClaimScrubService.milliseconds(durationSeconds)),
            "bytesIn": .stringConvertible(bytesIn),
            "bytesOut": .stringConvertible(bytesOut),
        ]
        if let requestID { line["requestId"] = .string(requestID) }
        for (name, value) in extra { line[name] = .string(value) }
        if !remote.isEmpty { line["remote"] = .string(remote) }
        if let apiKey { line["apiKey"] = .string(apiKey) }
        if let clientSubject { line["clientSubject"] = .string(clientSubject) }
        return line
    }

    /// The metadata members in `JSONLogHandler`'s order (keys sorted by their UTF-8 bytes),
    /// after the label: the same bytes as the `JSONWriter` version below.
    func writeFields(to out: inout LineBytes) {
        if let apiKey {
            out.raw(#","apiKey":"#)
            out.string(apiKey)
        }
        out.raw(#","bytesIn":""#)
        out.decimal(bytesIn)
        out.raw(#"","bytesOut":""#)
        out.decimal(bytesOut)
        out.raw(#"""#)
        if let clientSubject {
            out.raw(#","clientSubject":"#)
            out.string(clientSubject)
        }
        out.raw(#","durationMs":"#)
        out.string(ClaimScrubService.milliseconds(durationSeconds))
        out.raw(#","method":"#)
        out.string(method)
        if !remote.isEmpty {
            out.raw(#","remote":"#)
            out.string(remote)
        }
        if let requestID {
            out.raw(#","requestId":"#)
            out.string(requestID)
        }
        out.raw(#","route":"#)
        out.string(route)
        out.raw(#","status":""#)
        out.decimal(status)
        out.raw(#"""#)
    }

    func writeFields(to out: inout JSONWriter) {
        if let apiKey { out.field("apiKey", apiKey) }
        out.field("bytesIn", String(bytesIn))
        out.field("bytesOut", String(bytesOut))
        if let clientSubject { out.field("clientSubject", clientSubject) }
        out.field("durationMs", ClaimScrubService.milliseconds(durationSeconds))
        out.field("method", method)
        if !remote.isEmpty { out.field("remote", remote) }
        if let requestID { out.field("requestId", requestID) }
        out.field("route", route)
        out.field("status", String(status))
    }
}

/// A log line written into fixed storage: JSON strings escaped exactly as `JSONWriter`
/// escapes them. Writing past the end sets `overflowed` and drops the rest.
struct LineBytes {
    private let storage: UnsafeMutableBufferPointer<UInt8>
    var count = 0
    private(set) var overflowed = false

    init(_ storage: UnsafeMutableBufferPointer<UInt8>) { self.storage = storage }

    /// Whether `n` more bytes fit (they are then the caller's to write).
    mutating func reserve(_ n: Int) -> Bool {
        if count + n > storage.count { overflowed = true }
        return !overflowed
    }

    mutating func raw(_ text: StaticString) {
        let n = text.utf8CodeUnitCount
        guard reserve(n) else { return }
        UnsafeMutableRawPointer(storage.baseAddress! + count).copyMemory(from: text.utf8Start, byteCount: n)
        count += n
    }

    private mutating func byte(_ b: UInt8) {
        guard reserve(1) else { return }
        storage[count] = b
        count += 1
    }

    mutating func decimal(_ value: Int) {
        guard value >= 0 else {
            var text = String(value)
            text.withUTF8 { for b in $0 { byte(b) } }
            return
        }
        var digits = 1, scale = 1
        while value / scale >= 10 { scale *= 10; digits += 1 }
        guard reserve(digits) else { return }
        var rest = value
        for k in stride(from: count + digits - 1, through: count, by: -1) {
            storage[k] = UInt8(ascii: "0") + UInt8(rest % 10)
            rest /= 10
        }
        count += digits
    }

    /// A quoted JSON string: `"` `\` and every control character below U+0020 escaped.
    mutating func string(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            byte(UInt8(ascii: "\""))
            for b in bytes {
                switch b {
                case 0x22: byte(0x5C); byte(0x22)
                case 0x5C: byte(0x5C); byte(0x5C)
                case 0x0A: byte(0x5C); byte(UInt8(ascii: "n"))
                case 0x0D: byte(0x5C); byte(UInt8(ascii: "r"))
                case 0x09: byte(0x5C); byte(UInt8(ascii: "t"))
                case 0x08: byte(0x5C); byte(UInt8(ascii: "b"))
                case 0x0C: byte(0x5C); byte(UInt8(ascii: "f"))
                case ..<0x20:
                    let hex: StaticString = "0123456789abcdef"
                    byte(0x5C); byte(UInt8(ascii: "u")); byte(UInt8(ascii: "0")); byte(UInt8(ascii: "0"))
                    byte(hex.utf8Start[Int(b >> 4)]); byte(hex.utf8Start[Int(b & 0xF)])
                default: byte(b)
                }
            }
            byte(UInt8(ascii: "\""))
        }
    }
}
