import Foundation
import HTTPServer
import Testing
@testable import ScrubService

@Suite struct ScrubRouteTests {
    @Test(arguments: ["/v1/scrub", "/scrub"])
    func scrubAnswers200WithTheResultAlsoWhenTheClaimFails(path: String) {
        let h = ServiceHarness()
        let r = h.client.post(path, body: sensitiveClaim)
        #expect(r.status == 200)
        #expect(r.headers["Content-Type"] == "application/json")
        #expect(r.headers["Cache-Control"] == "no-store")
        #expect(r.object?["status"] as? String == "fail")
    }

    @Test(arguments: ["application/json", "application/json; charset=utf-8", "Application/JSON;charset=\"UTF-8\""])
    func acceptsJSONContentTypes(contentType: String) {
        let r = ServiceHarness().client.post("/v1/scrub", body: sensitiveClaim, contentType: contentType)
        #expect(r.status == 200)
    }

    @Test(arguments: [nil, "text/plain", "application/json; charset=latin-1", "application/x-ndjson", "application/jsonx", "application/json; foo=bar",
        "application/json;", " application/json ; charset=utf-16"])
    func otherContentTypesAre415(contentType: String?) throws {
        let r = ServiceHarness().client.post("/v1/scrub", body: sensitiveClaim, contentType: contentType)
        #expect(r.status == 415)
        #expect(r.headers["Content-Type"] == "application/problem+json")
        let problem = try #require(r.object)
        #expect(problem["status"] as? Int == 415)
        #expect(problem["title"] as? String == "Unsupported Media Type")
        for fragment in sensitiveFragments { #expect(!r.text.contains(fragment)) }
    }

    @Test(arguments: [
        ("application/edi-x12", true), ("Application/EDI-X12; charset=utf-8", true), (" application/edi-x12 ", true),
        ("application/json", false), ("application/edi-x12x", false), ("text/plain", false),
    ])
    func x12IsRecognisedWhateverItsSpelling(contentType: String, isX12: Bool) {
        #expect(Routes.isX12(contentType) == isX12)
    }

    @Test func malformedJSONIs400WithTheByteOffsetAndNoEcho() throws {
        let body = #"{"claimId":"X", "patient":{"birthDate":"1961-04-12"}, oops}"#
        let r = ServiceHarness().client.post("/v1/scrub", body: body)
        #expect(r.status == 400)
        #expect(r.headers["Content-Type"] == "application/problem+json")
        let problem = try #require(r.object)
        #expect(problem["type"] as? String == "https://claimscrub.dev/problems/malformed-json")
        #expect(problem["byteOffset"] as? Int == 17)
        #expect(problem["detail"] is String)
        #expect(!r.text.contains("1961-04-12"))
    }

    @Test func wrongJSONTypeIs400WithThePointer() throws {
        let body = #"{"claimId":"EX-008","diagnoses":["M54.6"],"serviceLines":[{"procedureCode":"97110","units":"two","serviceDate":"2026-05-04","diagnosisPointers":[1]}]}"#
        let r = ServiceHarness().client.post("/v1/scrub", body: body)
        #expect(r.status == 400)
        let problem = try #require(r.object)
        #expect(problem["type"] as? String == "https://claimscrub.dev/problems/invalid-claim")
        #expect(problem["byteOffset"] == nil)
        let errors = try #require(problem["errors"] as? [[String: Any]])
        #expect(errors.first?["pointer"] as? String == "/serviceLines/0/units")
        #expect(!r.text.contains("two"))
    }

    @Test func scrubFeedsTheClaimAndFindingMetrics() {
        let h = ServiceHarness()
        _ = h.client.post("/v1/scrub", body: sensitiveClaim)
        _ = h.client.post("/scrub", body: sensitiveClaim)
        let text = h.metrics.exposition()
        #expect(text.contains(#"claimscrub_claims_total{status="fail"} 2"#))
        #expect(text.contains(#"claimscrub_findings_total{rule="DX_NOT_BILLABLE"} 2"#))
        #expect(text.contains(#"claimscrub_findings_total{rule="DX_UNSPECIFIED"} 2"#))
    }
}

@Suite struct CodeRouteTests {
    @Test func knownCodeReportsItsEntry() throws {
        let r = ServiceHarness().client.get("/v1/codes/icd10cm/m546?date=2026-05-04")
        #expect(r.status == 200)
        #expect(r.headers["Content-Type"] == "application/json")
        let o = try #require(r.object)
        #expect(o["code"] as? String == "M54.6")
        #expect(o["description"] as? String == "Pain in thoracic spine")
        #expect(o["billable"] as? Bool == true)
        #expect(o["parent"] as? String == "M54")
        #expect(o["children"] as? [String] == [])
        #expect(o["excludes1"] as? [String] == ["M51.-", "F45.-"])
        #expect(o["manifestation"] as? Bool == false)
        let codeSet = try #require(o["codeSet"] as? [String: Any])
        #expect(codeSet["version"] as? String == "2026-04-01")
        #expect(codeSet["system"] as? String == "ICD-10-CM")
    }

    @Test func headerCodeListsChildrenAndNullParentIsNull() throws {
        let o = try #require(ServiceHarness().client.get("/v1/codes/icd10cm/M54").object)
        #expect(o["billable"] as? Bool == false)
        #expect(o["children"] as? [String] == ["M54.5", "M54.6"])
        #expect(o["parent"] is NSNull)
    }

    @Test func unknownCodeIs404Problem() throws {
        let r = ServiceHarness().client.get("/v1/codes/icd10cm/M99.99")
        #expect(r.status == 404)
        #expect(r.headers["Content-Type"] == "application/problem+json")
        #expect(try #require(r.object)["type"] as? String == "https://claimscrub.dev/problems/unknown-code")
    }

    @Test func dateNoReleaseCoversIs404() {
        #expect(ServiceHarness().client.get("/v1/codes/icd10cm/M54.6?date=2019-01-01").status == 404)
    }

    @Test(arguments: ["/v1/codes/icd10cm/M54.6?date=2026-02-30", "/v1/codes/icd10cm/M54.6?date=20260504",
                      "/v1/codes/icd10cm/54.6", "/v1/codes/icd10cm/M5.46", "/v1/codes/icd10cm/M54%2", "/v1/codes/icd10cm/M54.6?date=%zz"])
    func malformedCodeOrDateIs400(target: String) throws {
        let r = ServiceHarness().client.get(target)
        #expect(r.status == 400)
        #expect(try #require(r.object)["status"] as? Int == 400)
    }
}

@Suite struct OperationalRouteTests {
    @Test func healthz() {
        let r = ServiceHarness().client.get("/healthz")
        #expect(r.status == 200)
        #expect(r.text == #"{"status":"ok"}"#)
    }

    @Test func readyzWhenReady() {
        let r = ServiceHarness().client.get("/readyz")
        #expect(r.status == 200)
        #expect(r.text == #"{"status":"ready"}"#)
    }

    @Test func readyzIs503WhileDrainingOrLoading() throws {
        let draining = ServiceHarness(draining: { true }).client.get("/readyz")
        #expect(draining.status == 503)
        #expect(try #require(draining.object)["detail"] as? String == "The server is draining connections before it stops.")
        var engine = FakeEngine()
        engine.ready = false
        let loading = ServiceHarness(engine: engine).client.get("/readyz")
        #expect(loading.status == 503)
        #expect(loading.headers["Content-Type"] == "application/problem+json")
    }

    @Test func rulesServesTheEngineCatalog() {
        let r = ServiceHarness().client.get("/v1/rules")
        #expect(r.status == 200)
        #expect(r.headers["Content-Type"] == "application/json")
        #expect(r.body == FakeEngine().rulesCatalogJSON)
    }

    @Test func metricsIsPrometheusText() {
        let r = ServiceHarness().client.get("/metrics")
        #expect(r.status == 200)
        #expect(r.headers["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8")
        #expect(r.text.contains(#"claimscrub_build_info{version="0.1.0",rules_version="2026.11.0+test",codeset="2026-04-01"} 1"#))
    }

    @Test func openAPIDocumentDescribesExactlyTheRegisteredRoutes() throws {
        let h = ServiceHarness()
        let r = h.client.get("/openapi.json")
        #expect(r.status == 200)
        let doc = try #require(r.object)
        #expect(doc["openapi"] as? String == "3.1.0")
        let paths = try #require(doc["paths"] as? [String: [String: Any]])
        var documented = Set<String>()
        for (path, operations) in paths {
            for method in operations.keys where ["get", "post", "put", "delete", "patch"].contains(method) {
                documented.insert(method.uppercased() + " " + path)
            }
        }
        let registered = Set(h.service.router.registered.map { $0.method + " " + $0.template })
        #expect(documented == registered)
    }
}

@Suite struct RoutingErrorTests {
    @Test(arguments: ["/", "/v2/scrub", "/healthz/", "/v1/codes/icd10cm/", "/v1/codes/icd10cm/M54.6/extra", "/HEALTHZ"])
    func unknownPathIs404Problem(path: String) throws {
        let r = ServiceHarness().client.get(path)
        #expect(r.status == 404)
        #expect(r.headers["Content-Type"] == "application/problem+json")
        let p = try #require(r.object)
        #expect(p["type"] as? String == "about:blank")
        #expect(p["title"] as? String == "Not Found")
        #expect(p["status"] as? Int == 404)
        #expect(p["detail"] is String)
    }

    @Test func wrongMethodIs405WithAllow() throws {
        let h = ServiceHarness()
        let getScrub = h.client.get("/v1/scrub")
        #expect(getScrub.status == 405)
        #expect(getScrub.headers["Allow"] == "POST")
        #expect(try #require(getScrub.object)["status"] as? Int == 405)

        let postHealth = h.client.post("/healthz", body: "{}")
        #expect(postHealth.status == 405)
        #expect(postHealth.headers["Allow"] == "GET, HEAD")

        let delete = h.client.execute(HTTPRequest(method: "DELETE", target: "/v1/codes/icd10cm/M54.6"))
        #expect(delete.status == 405)
        #expect(delete.headers["Allow"] == "GET, HEAD")
    }

    @Test func headIsAnsweredLikeGet() {
        let r = ServiceHarness().client.execute(HTTPRequest(method: "HEAD", target: "/healthz"))
        #expect(r.status == 200)
    }

    @Test func postWithoutContentTypeOnUnknownPathIs404Not415() {
        #expect(ServiceHarness().client.post("/v1/nothing", body: "x", contentType: nil).status == 404)
    }
}

@Suite struct RouterTests {
    @Test func parametersArePercentDecoded() {
        var router = Router()
        router.add("GET", "/a/{x}") { _ in HTTPResponse(status: 200) }
        guard case .found(let route, let parameters, _) = router.match(method: "GET", path: "/a/M54%2E6") else {
            Issue.record("no match")
            return
        }
        #expect(route == "/a/{x}")
        #expect(parameters == ["x": "M54.6"])
    }

    /// `mayStream` may say yes too often, never no to a request a streaming route answers.
    @Test func mayStreamNeverMissesAStreamingRoute() {
        var router = Router()
        let buffered: RouteHandler = { _ in HTTPResponse(status: 200) }
        let streaming: StreamingRouteHandler = { _, _, _ in StreamedExchange(status: 200) }
        router.add("POST", "/v1/scrub", buffered)
        router.add("POST", "/v1/scrub/batch", buffered: buffered, streaming: streaming)
        router.add("GET", "/export", buffered: buffered, streaming: streaming)
        func streams(_ method: String, _ path: String) -> Bool {
            guard case .found(let template, _, _) = router.match(method: method, path: path) else { return false }
            return router.streamingHandler(method: method == "HEAD" ? "GET" : method, template: template) != nil
        }
        let requests = [("POST", "/v1/scrub/batch"), ("POST", "/v1/scrub"), ("GET", "/v1/scrub/batch"),
                        ("GET", "/export"), ("HEAD", "/export"), ("POST", "/export"), ("POST", "/v1/scrub/batch/")]
        for (method, path) in requests {
            if streams(method, path) { #expect(router.mayStream(method: method, path: path), "\(method) \(path)") }
        }
        #expect(router.mayStream(method: "POST", path: "/v1/scrub/batch"))
        #expect(!router.mayStream(method: "POST", path: "/v1/scrub"))
        #expect(!router.mayStream(method: "GET", path: "/v1/scrub/batch"))
        router.add("POST", "/jobs/{id}", buffered: buffered, streaming: streaming)
        #expect(router.mayStream(method: "POST", path: "/jobs/7"))
    }

    /// Literal paths are matched from a table built at `add`: same answers as the walk of every route.
    @Test func literalPathsAnswerAsTheFullWalkDoes() {
        var router = Router()
        let ok: RouteHandler = { _ in HTTPResponse(status: 200) }
        router.add("GET", "/v1/{kind}", ok)
        router.add("POST", "/v1/rules", ok)
        router.add("POST", "/v1/scrub", ok)
        router.add("GET", "/healthz", ok)
        router.add("DELETE", "/healthz", ok)
        func describe(_ method: String, _ path: String) -> String {
            switch router.match(method: method, path: path) {
            case .found(let route, let parameters, _): "found \(route) \(parameters.sorted { $0.key < $1.key })"
            case .methodNotAllowed(let route, let allow): "405 \(route) \(allow)"
            case .notFound: "404"
            }
        }
        #expect(describe("POST", "/v1/scrub") == "found /v1/scrub []")
        #expect(describe("GET", "/v1/scrub") == #"found /v1/{kind} [(key: "kind", value: "scrub")]"#)
        #expect(describe("PUT", "/v1/rules") == #"405 /v1/{kind} ["GET", "HEAD", "POST"]"#)
        #expect(describe("HEAD", "/healthz") == "found /healthz []")
        #expect(describe("POST", "/healthz") == #"405 /healthz ["GET", "HEAD", "DELETE"]"#)
        #expect(describe("DELETE", "/healthz") == "found /healthz []")
        #expect(describe("GET", "/healthz/") == "404")
    }

    @Test func firstMatchingRouteWinsAndLiteralsAreExact() {
        var router = Router()
        router.add("GET", "/v1/rules") { _ in HTTPResponse(status: 200) }
        router.add("GET", "/v1/{other}") { _ in HTTPResponse(status: 201) }
        guard case .found(let route, _, _) = router.match(method: "GET", path: "/v1/rules") else {
            Issue.record("no match")
            return
        }
        #expect(route == "/v1/rules")
        guard case .notFound = router.match(method: "GET", path: "/v1") else {
            Issue.record("matched a shorter path")
            return
        }
    }
}
