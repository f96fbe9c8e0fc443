import HTTPServer

/// An RFC 9457 problem details document. Details name fields and kinds of values,
/// never the values themselves: a problem body must not echo patient data.
public struct Problem: Sendable, Equatable {
    /// `about:blank` for plain HTTP errors (the title is then the status phrase);
    /// `https://claimscrub.dev/problems/<kind>` for the service's own kinds (the same
    /// scheme the engine uses for its 400s).
    public var type: String
    public var title: String
    public var status: Int
    public var detail: String
    public var errors: [ClaimInputError.Problem]
    /// Offset of the first bad byte for JSON syntax errors (an extension member).
    public var byteOffset: Int?

    public init(
        type: String = "about:blank", title: String? = nil, status: Int, detail: String,
        errors: [ClaimInputError.Problem] = [], byteOffset: Int? = nil
    ) {
        self.type = type
        self.title = title ?? HTTPStatusPhrase.text(for: status)
        self.status = status
        self.detail = detail
        self.errors = errors
        self.byteOffset = byteOffset
    }

    public var json: [UInt8] {
        var out = JSONOutput()
        out.beginObject()
        out.field("type", type)
        out.field("title", title)
        out.field("status", status)
        out.field("detail", detail)
        if !errors.isEmpty {
            out.key("errors")
            out.beginArray()
            for e in errors {
                out.beginObject()
                out.field("pointer", e.pointer)
                out.field("detail", e.detail)
                out.endObject()
            }
            out.endArray()
        }
        if let byteOffset { out.field("byteOffset", byteOffset) }
        out.endObject()
        return out.bytes
    }

    public func response(headers extra: HTTPHeaders = HTTPHeaders()) -> HTTPResponse {
        var headers = extra
        headers.set("Content-Type", "application/problem+json")
        return HTTPResponse(status: status, headers: headers, body: json)
    }

    static func typeURI(_ kind: String) -> String { "https://claimscrub.dev/problems/" + kind }
}

/// Reason phrases for the statuses this service sends (the title of an `about:blank` problem).
enum HTTPStatusPhrase {
    static func text(for status: Int) -> String {
        switch status {
        case 200: "OK"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 406: "Not Acceptable"
        case 408: "Request Timeout"
        case 411: "Length Required"
        case 413: "Content Too Large"
        case 414: "URI Too Long"
        case 415: "Unsupported Media Type"
        case 422: "Unprocessable Content"
        case 431: "Request Header Fields Too Large"
        case 500: "Internal Server Error"
        case 503: "Service Unavailable"
        case 505: "HTTP Version Not Supported"
        default: "HTTP \(status)"
        }
    }
}
