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
            // Over the fields' bytes in place: one pass to check, one copy each.
            var name = name, value = value
            name.withUTF8 { name in
                value.withUTF8 { value in appendField(name: name, value: value, hasDate: &hasDate, to: &bytes) }
            }
        }
        if !hasDate {
            append("Date: ", to: &bytes)
            append(currentHTTPDate(), to: &bytes)
            append("\r\n", to: &bytes)
        }
    }

    /// `name: value` and its CRLF, unless the server owns that field or it would split the response.
    private static func appendField(
        name: UnsafeBufferPointer<UInt8>, value: UnsafeBufferPointer<UInt8>, hasDate: inout Bool, to bytes: inout [UInt8]
    ) {
        switch name.count {
        case 14 where isName(name, "content-length"), 17 where isName(name, "transfer-encoding"),
            10 where isName(name, "connection"):
            return
        default:
            break
        }
        // A handler must not be able to split the response: drop fields that would.
        guard !name.isEmpty, name.allSatisfy(isTokenByte), value.allSatisfy({ $0 == 9 || ($0 >= 0x20 && $0 != 0x7F) })
        else { return }
        if name.count == 4 && isName(name, "date") { hasDate = true }
        bytes.append(contentsOf: name)
        bytes.append(UInt8(ascii: ":"))
        bytes.append(UInt8(ascii: " "))
        bytes.append(contentsOf: value)
        bytes.append(UInt8(ascii: "\r"))
        bytes.append(UInt8(ascii: "\n"))
    }

    /// ASCII case-insensitive equality with a lowercase name of the same length (checked by the caller).
    private static func isName(_ bytes: UnsafeBufferPointer<UInt8>, _ lowercase: StaticString) -> Bool {
        let expected = UnsafeBufferPointer(start: lowercase.utf8Start, count: lowercase.utf8CodeUnitCount)
        guard bytes.count == expected.count else { return false }
        for (b, e) in zip(bytes, expected) where b != e {
            guard b | 0x20 == e, (0x61...0x7A).contains(e) else { return false }
        }
        return true
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
