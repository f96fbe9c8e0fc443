import ClaimScrub
import HTTPServer

/// The service answers every error with the engine's RFC 9457 `ProblemDocument`, the same
/// type the engine builds its 400s with. Details name fields and kinds of values, never
/// the values themselves: a problem body must not echo patient data.
extension ProblemDocument {
    /// A plain HTTP error: `type` is `about:blank` and the title the status phrase.
    init(status: Int, detail: String) {
        self.init(title: HTTPResponse.reasonPhrase(status), status: status, detail: detail)
    }

    /// `https://claimscrub.dev/problems/<kind>`: the scheme the engine uses for its own kinds.
    static func typeURI(_ kind: String) -> String { "https://claimscrub.dev/problems/" + kind }

    func response(headers extra: HTTPHeaders = HTTPHeaders()) -> HTTPResponse {
        var headers = extra
        headers.set("Content-Type", ProblemDocument.contentType)
        return HTTPResponse(status: status, headers: headers, body: encode())
    }
}
