/// Why the parser refused a request. Every case maps to the status the server answers
/// with (always followed by `Connection: close`). Titles and details are fixed text:
/// a problem body never echoes request bytes.
public enum HTTPParseError: Error, Sendable, Equatable, CaseIterable {
    case invalidRequestLine
    case invalidMethod
    case invalidTarget
    case invalidVersion
    /// Well-formed `HTTP/x.y` other than 1.0 and 1.1.
    case unsupportedVersion
    case requestLineTooLong
    case headerSectionTooLarge
    /// A line ended in a bare LF, or a CR not followed by LF.
    case bareLineBreak
    /// A header line starting with SP/HTAB (obs-fold, RFC 9112 §5.2).
    case obsoleteLineFolding
    case whitespaceBeforeColon
    case malformedHeaderLine
    case invalidHeaderName
    case invalidHeaderValue
    case missingHost
    /// RFC 9112 §3.2: a Host value that is not `uri-host [ ":" port ]` → 400.
    case invalidHost
    case multipleHost
    case invalidContentLength
    /// Several Content-Length values, even equal ones (`4, 4` or two lines).
    case multipleContentLength
    case contentLengthWithTransferEncoding
    case transferEncodingOnHTTP10
    /// RFC 9112 §6.3: if chunked is not the final coding the length is unknowable → 400.
    case chunkedNotFinal
    /// RFC 9112 §6.1: a transfer coding we do not implement (anything but chunked) → 501.
    case unsupportedTransferCoding
    case invalidChunkSize
    case invalidChunkTerminator
    case invalidTrailer
    case lengthRequired
    case contentTooLarge
    case expectationFailed

    public var status: Int {
        switch self {
        case .unsupportedVersion: 505
        case .requestLineTooLong: 414
        case .headerSectionTooLarge: 431
        case .unsupportedTransferCoding: 501
        case .lengthRequired: 411
        case .contentTooLarge: 413
        case .expectationFailed: 417
        default: 400
        }
    }

    public var detail: String {
        switch self {
        case .invalidRequestLine: "The request line is not 'method SP target SP version'."
        case .invalidMethod: "The method is not a valid token."
        case .invalidTarget: "The request target is not in origin, absolute or asterisk form."
        case .invalidVersion: "The HTTP version is malformed."
        case .unsupportedVersion: "Only HTTP/1.0 and HTTP/1.1 are supported."
        case .requestLineTooLong: "The request line exceeds the server's limit."
        case .headerSectionTooLarge: "The header section exceeds the server's limit."
        case .bareLineBreak: "Lines must end in CRLF; a bare CR or LF was received."
        case .obsoleteLineFolding: "Obsolete line folding is not accepted."
        case .whitespaceBeforeColon: "Whitespace between a field name and the colon is not allowed."
        case .malformedHeaderLine: "A header line has no colon."
        case .invalidHeaderName: "A field name contains a character that is not a token character."
        case .invalidHeaderValue: "A field value contains a control character."
        case .missingHost: "HTTP/1.1 requests need exactly one Host field."
        case .multipleHost: "More than one Host field was sent."
        case .invalidHost: "The Host field is not a valid host[:port]."
        case .invalidContentLength: "Content-Length must be a plain non-negative decimal number."
        case .multipleContentLength: "Exactly one Content-Length value is allowed."
        case .contentLengthWithTransferEncoding: "Content-Length and Transfer-Encoding must not both be sent."
        case .transferEncodingOnHTTP10: "Transfer-Encoding is not allowed on HTTP/1.0 requests."
        case .chunkedNotFinal: "When Transfer-Encoding is sent, chunked must be the final and only-once coding."
        case .unsupportedTransferCoding: "Only the chunked transfer coding is supported."
        case .invalidChunkSize: "A chunk size line is malformed."
        case .invalidChunkTerminator: "Chunk data must be followed by CRLF."
        case .invalidTrailer: "A trailer field is malformed."
        case .lengthRequired: "This method needs a Content-Length or chunked body."
        case .contentTooLarge: "The request body exceeds the server's limit."
        case .expectationFailed: "Only the 100-continue expectation is supported."
        }
    }
}

extension HTTPResponse {
    /// The reason phrase for a status (RFC 9110 §15); `Status N` for ones not listed.
    public static func reasonPhrase(_ status: Int) -> String {
        switch status {
        case 100: "Continue"
        case 200: "OK"
        case 201: "Created"
        case 202: "Accepted"
        case 204: "No Content"
        case 301: "Moved Permanently"
        case 302: "Found"
        case 304: "Not Modified"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 406: "Not Acceptable"
        case 408: "Request Timeout"
        case 409: "Conflict"
        case 411: "Length Required"
        case 413: "Content Too Large"
        case 414: "URI Too Long"
        case 415: "Unsupported Media Type"
        case 417: "Expectation Failed"
        case 422: "Unprocessable Content"
        case 429: "Too Many Requests"
        case 431: "Request Header Fields Too Large"
        case 500: "Internal Server Error"
        case 501: "Not Implemented"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        case 505: "HTTP Version Not Supported"
        default: "Status \(status)"
        }
    }
}
