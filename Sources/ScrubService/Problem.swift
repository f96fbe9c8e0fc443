import ClaimScrub
import HTTPServer

/// The service answers every error with the engine's RFC 9457 `ProblemDocument`, the same
/// type the engine builds its 400s with. Details name fields and kinds of values, never
/// the values themselves: a problem body must not echo patient data.
extension ProblemDocument {
    /// A plain HTTP error: `type` is `about:blank` and the title the status phrase.
    init(status: Int, detail: String) {
        self.init(title: HTTPStatusPhrase.text(for: status), status: status, detail: detail)
    }

    /// `https://claimscrub.dev/problems/<kind>`: the scheme the engine uses for its own kinds.
    static func typeURI(_ kind: String) -> String { "https://claimscrub.dev/problems/" + kind }

    func response(headers extra: HTTPHeaders = HTTPHeaders()) -> HTTPResponse {
        var headers = extra
        headers.set("Content-Type", ProblemDocument.contentType)
        return HTTPResponse(status: status, headers: headers, body: encode())
    }
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
