#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns a handler's response into bytes, owning the framing headers: `Content-Length`,
/// `Connection` and `Date` are the server's, whatever the handler set.
enum ResponseSerializer {
    static let continueLine: [UInt8] = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    /// - Parameters:
    ///   - isHead: headers describe the GET body (Content-Length included) but no body is sent.
    ///   - close: send `Connection: close`; otherwise `keep-alive` is spelled out for HTTP/1.0.
    static func serialize(_ response: HTTPResponse, isHead: Bool, requestVersion: HTTPVersion, close: Bool) -> [UInt8] {
        let status = response.status
        // RFC 9110 §6.4.1: 1xx, 204 and 304 never carry content.
        let noContent = (100..<200).contains(status) || status == 204 || status == 304
        let sendsBody = !isHead && !noContent
        // Written as bytes into one buffer sized for head and body (building a String and
        // copying it out, then growing it for the body, cost three allocations and two copies).
        var bytes: [UInt8] = []
        bytes.reserveCapacity(256 + response.headers.fields.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count + 4 }
            + (sendsBody ? response.body.count : 0))
        appendStatusAndFields(status: status, headers: response.headers, to: &bytes)
        if !noContent {
            append("Content-Length: ", to: &bytes)
            append(String(response.body.count), to: &bytes)
            append("\r\n", to: &bytes)
        }
        if close {
            append("Connection: close\r\n", to: &bytes)
        } else if requestVersion == .http1_0 {
            append("Connection: keep-alive\r\n", to: &bytes)
        }
        append("\r\n", to: &bytes)
        if sendsBody { bytes.append(contentsOf: response.body) }
        return bytes
    }

    private static func append(_ text: String, to bytes: inout [UInt8]) {
        bytes.append(contentsOf: text.utf8)
    }

    /// The status line and the handler's fields (plus `Date`), without framing fields or the
    /// final empty line.
    static func appendStatusAndFields(status: Int, headers: HTTPHeaders, to bytes: inout [UInt8]) {
        append("HTTP/1.1 ", to: &bytes)
        append(String(status), to: &bytes)
        bytes.append(UInt8(ascii: " "))
        append(HTTPResponse.reasonPhrase(status), to: &bytes)
        append("\r\n", to: &bytes)
        var hasDate = false
        for (name, value) in headers {
            if HTTPHeaders.sameName(name, "content-length") || HTTPHeaders.sameName(name, "transfer-encoding")
                || HTTPHeaders.sameName(name, "connection") { continue }
            // A handler must not be able to split the response: drop fields that would.
            guard !name.isEmpty, name.utf8.allSatisfy(isTokenByte),
                value.utf8.allSatisfy({ $0 == 9 || ($0 >= 0x20 && $0 != 0x7F) })
            else { continue }
            if HTTPHeaders.sameName(name, "date") { hasDate = true }
            append(name, to: &bytes)
            append(": ", to: &bytes)
            append(value, to: &bytes)
            append("\r\n", to: &bytes)
        }
        if !hasDate {
            append("Date: ", to: &bytes)
            append(currentHTTPDate(), to: &bytes)
            append("\r\n", to: &bytes)
        }
    }

    /// The last second's `Date` text: formatting it for every response was wasted work.
    private static let dateCache = Locked((second: time_t(-1), text: ""))

    static func currentHTTPDate() -> String {
        let now = time(nil)
        if let text = dateCache.withLock({ $0.second == now ? $0.text : nil }) { return text }
        let text = httpDate(now)
        dateCache.withLock { $0 = (now, text) }
        return text
    }

    /// IMF-fixdate (RFC 9110 §5.6.7): `Sun, 06 Nov 1994 08:49:37 GMT`.
    static func httpDate(_ seconds: time_t = time(nil)) -> String {
        var t = seconds
        var parts = tm()
        gmtime_r(&t, &parts)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(days[Int(parts.tm_wday)]), \(two(parts.tm_mday)) \(months[Int(parts.tm_mon)]) \(parts.tm_year + 1900) "
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) GMT"
    }
}
