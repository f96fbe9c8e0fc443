import Foundation
import Testing

@testable import HTTPServer

@Suite struct ResponseSerializerTests {
    func text(_ response: HTTPResponse, head: Bool = false, version: HTTPVersion = .http1_1, close: Bool = false) -> String {
        String(decoding: ResponseSerializer.serialize(response, isHead: head, requestVersion: version, close: close), as: UTF8.self)
    }

    @Test func framingHeadersBelongToTheServer() {
        var headers = HTTPHeaders()
        headers.add("Content-Length", "999")
        headers.add("Transfer-Encoding", "chunked")
        headers.add("Connection", "keep-alive")
        headers.add("X-Kept", "yes")
        let out = text(HTTPResponse(status: 200, headers: headers, body: Array("abc".utf8)), close: true)
        #expect(out.hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(out.contains("\r\nContent-Length: 3\r\n"))
        #expect(!out.contains("999") && !out.contains("chunked") && !out.contains("keep-alive"))
        #expect(out.contains("\r\nConnection: close\r\n"))
        #expect(out.contains("\r\nX-Kept: yes\r\n"))
        #expect(out.hasSuffix("\r\n\r\nabc"))
    }

    @Test func headAnswerHasTheLengthButNoBody() {
        let out = text(HTTPResponse(status: 200, body: Array("abcdef".utf8)), head: true)
        #expect(out.contains("Content-Length: 6\r\n"))
        #expect(out.hasSuffix("\r\n\r\n"))
    }

    @Test(arguments: [204, 304])
    func noContentStatusesCarryNoBodyOrLength(status: Int) {
        let out = text(HTTPResponse(status: status, body: Array("ignored".utf8)))
        #expect(!out.contains("Content-Length"))
        #expect(out.hasSuffix("\r\n\r\n"))
    }

    @Test func http10KeepAliveIsSpelledOut() {
        #expect(text(HTTPResponse(status: 200), version: .http1_0).contains("Connection: keep-alive\r\n"))
        #expect(!text(HTTPResponse(status: 200), version: .http1_1).contains("Connection:"))
    }

    @Test func fieldsThatWouldSplitTheResponseAreDropped() {
        var headers = HTTPHeaders()
        headers.add("X-Evil", "a\r\nSet-Cookie: x=y")
        headers.add("Bad Name", "v")
        headers.add("X-Fine", "ok")
        let out = text(HTTPResponse(status: 200, headers: headers))
        #expect(!out.contains("Set-Cookie") && !out.contains("Bad Name") && !out.contains("X-Evil"))
        #expect(out.contains("X-Fine: ok\r\n"))
    }

    @Test(arguments: [
        ("Content-Type", "content-type", true), ("X-REQUEST-ID", "x-request-id", true), ("date", "Date", true),
        ("Host", "Hos", false), ("X-@", "x-`", false), ("X-[", "x-{", false), ("Accept", "Accepts", false),
    ])
    func fieldNamesCompareIgnoringASCIICaseOnly(a: String, b: String, same: Bool) {
        #expect(HTTPHeaders.sameName(a, b) == same)
        #expect(HTTPHeaders([(a, "v")])[b] == (same ? "v" : nil))
    }

    @Test func aHandlersDateFieldIsKeptAndNoSecondIsAdded() {
        var headers = HTTPHeaders()
        headers.add("DATE", "Sun, 06 Nov 1994 08:49:37 GMT")
        let out = text(HTTPResponse(status: 200, headers: headers))
        #expect(out.components(separatedBy: "\r\n").filter { $0.lowercased().hasPrefix("date:") }.count == 1)
        #expect(text(HTTPResponse(status: 200)).contains("\r\nDate: "))
    }

    @Test func dateIsIMFFixdate() {
        #expect(ResponseSerializer.httpDate(784_111_777) == "Sun, 06 Nov 1994 08:49:37 GMT")
        #expect(ResponseSerializer.httpDate(0) == "Thu, 01 Jan 1970 00:00:00 GMT")
    }

    @Test func problemBodyIsRFC9457() {
        let problem = HTTPResponse.problem(status: 413, detail: "Too \"big\"\n")
        #expect(problem.headers["Content-Type"] == "application/problem+json")
        #expect(
            String(decoding: problem.body, as: UTF8.self)
                == #"{"type":"about:blank","title":"Content Too Large","status":413,"detail":"Too \"big\"\n"}"#)
    }
}

@Suite struct HTTPRequestTests {
    @Test(arguments: [
        ("/v1/rules", "/v1/rules", nil),
        ("/v1/codes/icd10cm/M54.6?date=2026-01-05", "/v1/codes/icd10cm/M54.6", "date=2026-01-05"),
        ("http://example.com/v1/rules?x=1", "/v1/rules", "x=1"),
        ("http://example.com", "/", nil),
        ("http://example.com?x=/y", "/", "x=/y"),
        ("*", "*", nil),
    ] as [(String, String, String?)])
    func pathAndQuery(target: String, path: String, query: String?) {
        let request = HTTPRequest(method: "GET", target: target)
        #expect(request.path == path)
        #expect(request.query == query)
    }

    /// The path is worked out once per target, so a rewritten target must bring its own.
    @Test func aNewTargetHasItsOwnPath() {
        var request = HTTPRequest(method: "GET", target: "/v1/rules")
        request.target = "/v1/codes/icd10cm/M54.6?date=2026-01-05"
        #expect(request.path == "/v1/codes/icd10cm/M54.6")
        request.target = "http://example.com/metrics"
        #expect(request.path == "/metrics")
    }
}
