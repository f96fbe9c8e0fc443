import ClaimScrub
import HTTPServer

/// The endpoints of API.md §1.
enum Routes {
    static func make(
        engine: any ClaimScrubbing, metrics: ServiceMetrics, isDraining: @escaping @Sendable () -> Bool,
        openAPIDocument: [UInt8]
    ) -> Router {
        var router = Router()
        let scrub: RouteHandler = { request in scrubClaim(request, engine: engine, metrics: metrics) }
        router.add("POST", "/v1/scrub", scrub)
        router.add("POST", "/scrub", scrub)
        router.add(
            "POST", "/v1/scrub/batch",
            buffered: { request in BatchRoute.scrubWhole(request, engine: engine, metrics: metrics) },
            streaming: { request, body, response in
                BatchRoute.scrubStream(request, body: body, response: response, engine: engine, metrics: metrics)
            })
        router.add("GET", "/v1/codes/icd10cm/{code}") { request in lookupCode(request, engine: engine) }
        router.add("GET", "/v1/rules") { _ in json(200, engine.rulesCatalogJSON) }
        router.add("GET", "/healthz") { _ in json(200, Array(#"{"status":"ok"}"#.utf8)) }
        router.add("GET", "/readyz") { _ in
            if isDraining() {
                return ProblemDocument(status: 503, detail: "The server is draining connections before it stops.").response()
            }
            guard engine.isReady else {
                return ProblemDocument(status: 503, detail: "Code sets and rules are not loaded yet.").response()
            }
            return json(200, Array(#"{"status":"ready"}"#.utf8))
        }
        router.add("GET", "/metrics") { _ in
            var headers = HTTPHeaders()
            headers.set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
            return HTTPResponse(status: 200, headers: headers, body: Array(metrics.exposition().utf8))
        }
        router.add("GET", "/openapi.json") { _ in json(200, openAPIDocument) }
        return router
    }

    static func json(_ status: Int, _ body: [UInt8]) -> HTTPResponse {
        var headers = HTTPHeaders()
        headers.set("Content-Type", "application/json")
        return HTTPResponse(status: status, headers: headers, body: body)
    }

    // MARK: - POST /v1/scrub

    static func scrubClaim(_ request: RoutedRequest, engine: any ClaimScrubbing, metrics: ServiceMetrics) -> HTTPResponse {
        let contentType = request.http.headers["Content-Type"]
        if isX12(contentType), let outcome = engine.scrub(x12: request.http.body) {
            return scrubInterchange(outcome, metrics: metrics)
        }
        guard isJSON(contentType) else {
            var headers = HTTPHeaders()
            headers.set("Accept-Post", "application/json, application/edi-x12")
            return ProblemDocument(
                status: 415,
                detail: "Send the claim as `Content-Type: application/json` (charset utf-8 if any), or an 837P interchange as `application/edi-x12`."
            ).response(headers: headers)
        }
        switch engine.scrub(json: request.http.body) {
        case .scrubbed(let result, let body):
            metrics.recordClaim(status: result.status.rawValue, findingRules: result.findings.map(\.rule))
            var response = json(200, body)
            // The result describes a patient's claim: no shared caches.
            response.headers.set("Cache-Control", "no-store")
            return response
        case .invalidInput(let error):
            // The engine's problem names pointers and JSON kinds only, never values.
            return error.problem.response()
        }
    }

    static func scrubInterchange(_ outcome: X12Outcome, metrics: ServiceMetrics) -> HTTPResponse {
        switch outcome {
        case .scrubbed(let results, let body):
            for result in results {
                metrics.recordClaim(status: result.status.rawValue, findingRules: result.findings.map(\.rule))
            }
            var response = json(200, body)
            response.headers.set("Cache-Control", "no-store")
            return response
        case .invalidInterchange(let problem):
            var headers = HTTPHeaders()
            headers.set("Content-Type", ProblemDocument.contentType)
            return HTTPResponse(status: 400, headers: headers, body: problem)
        }
    }

    /// `application/edi-x12` (RFC 1767), parameters ignored: the ISA names its own delimiters.
    static func isX12(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        // Asked of every POST /v1/scrub: the common exact spellings answer without splitting.
        if contentType == "application/json" { return false }
        if contentType == "application/edi-x12" { return true }
        let type = contentType.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false)[0]
        return type.trimmingWhitespace().lowercased() == "application/edi-x12"
    }

    /// `application/json`, optionally with `charset=utf-8`; nothing else (RFC 8259 JSON is UTF-8).
    static func isJSON(_ contentType: String?) -> Bool { isUTF8(contentType, oneOf: jsonTypes) }
    private static let jsonTypes: Set<String> = ["application/json"]

    /// One of `types`, optionally with `charset=utf-8`; no other parameter.
    static func isUTF8(_ contentType: String?, oneOf types: Set<String>) -> Bool {
        guard let contentType else { return false }
        // A type sent exactly as listed (the usual case) needs no splitting.
        if types.contains(contentType) { return true }
        let parts = contentType.split(separator: ";", omittingEmptySubsequences: false).map { $0.trimmingWhitespace().lowercased() }
        guard types.contains(parts[0]) else { return false }
        for parameter in parts.dropFirst() {
            let kv = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingWhitespace() }
            guard kv.count == 2, kv[0] == "charset" else { return false }
            let value = kv[1].hasPrefix("\"") && kv[1].hasSuffix("\"") && kv[1].count >= 2
                ? String(kv[1].dropFirst().dropLast()) : kv[1]
            guard value == "utf-8" else { return false }
        }
        return true
    }

    // MARK: - GET /v1/codes/icd10cm/{code}

    static func lookupCode(_ request: RoutedRequest, engine: any ClaimScrubbing) -> HTTPResponse {
        guard let raw = request.parameters["code"], let code = ICD10Code(raw) else {
            return ProblemDocument(
                type: ProblemDocument.typeURI("bad-code"), title: "Malformed code", status: 400,
                detail: "An ICD-10-CM code is a letter, a digit or letter, then 1 to 5 letters or digits, with an optional dot after the third (M54.6)."
            ).response()
        }
        guard let query = PercentDecoding.query(request.http.query) else {
            return ProblemDocument(status: 400, detail: "The query string has a malformed percent-escape.").response()
        }
        var date: ServiceDate?
        if let text = query["date"] {
            guard let parsed = ServiceDate(iso: text) else {
                return ProblemDocument(
                    type: ProblemDocument.typeURI("bad-date"), title: "Malformed date", status: 400,
                    detail: "`date` must be a real calendar date written YYYY-MM-DD."
                ).response()
            }
            date = parsed
        }
        switch engine.lookup(code: code, on: date) {
        case .found(let entry):
            var out = JSONWriter(capacity: 512)
            out.beginObject()
            out.field("code", entry.code)
            out.field("description", entry.description)
            out.field("billable", entry.billable)
            out.field("parent", entry.parent)
            out.field("children", entry.children)
            out.field("excludes1", entry.excludes1)
            out.field("manifestation", entry.manifestation)
            out.key("codeSet")
            out.beginObject()
            out.field("system", "ICD-10-CM")
            out.field("version", entry.codeSetVersion)
            out.endObject()
            out.endObject()
            return json(200, out.bytes)
        case .unknownCode(let version):
            return ProblemDocument(
                type: ProblemDocument.typeURI("unknown-code"), title: "Unknown code", status: 404,
                detail: "\(code.dotted) is not a code of ICD-10-CM release \(version)."
            ).response()
        case .noReleaseForDate:
            return ProblemDocument(
                type: ProblemDocument.typeURI("no-code-set"), title: "No code set for date", status: 404,
                detail: "No loaded ICD-10-CM release covers \(date.map(\.description) ?? "that date")."
            ).response()
        }
    }
}
