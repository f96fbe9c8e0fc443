import ClaimScrub
import Logging

/// The fields of the one log line per request. `JSONLogHandler.logRequest` writes them
/// straight into the line's bytes (`writeFields`); `metadata` is the same line for any
/// other log handler.
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
    /// after the label: the same bytes `log(event:)` writes for `metadata`.
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
