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
        var text = statusAndFields(status: status, headers: response.headers)
        if !noContent { text += "Content-Length: \(response.body.count)\r\n" }
        if close {
            text += "Connection: close\r\n"
        } else if requestVersion == .http1_0 {
            text += "Connection: keep-alive\r\n"
        }
        text += "\r\n"
        var bytes = Array(text.utf8)
        if !isHead && !noContent { bytes += response.body }
        return bytes
    }

    /// The status line and the handler's fields (plus `Date`), without framing fields or the
    /// final empty line.
    static func statusAndFields(status: Int, headers: HTTPHeaders) -> String {
        var text = "HTTP/1.1 \(status) \(HTTPResponse.reasonPhrase(status))\r\n"
        var hasDate = false
        for (name, value) in headers {
            if HTTPHeaders.sameName(name, "content-length") || HTTPHeaders.sameName(name, "transfer-encoding")
                || HTTPHeaders.sameName(name, "connection") { continue }
            // A handler must not be able to split the response: drop fields that would.
            guard !name.isEmpty, name.utf8.allSatisfy(isTokenByte),
                value.utf8.allSatisfy({ $0 == 9 || ($0 >= 0x20 && $0 != 0x7F) })
            else { continue }
            if HTTPHeaders.sameName(name, "date") { hasDate = true }
            text += "\(name): \(value)\r\n"
        }
        if !hasDate { text += "Date: \(currentHTTPDate())\r\n" }
        return text
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
