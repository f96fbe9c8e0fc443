import ClaimScrub
import Foundation
import HTTPServer
import Logging
import Testing
@testable import ScrubService

/// The routes over the real engine (the repository's Config, an in-memory code set).
@Suite struct EngineScrubberTests {
    static let scrubber: EngineScrubber = {
        let configuration = try! ConfigLoader.load(configDirectory: repositoryRoot.appendingPathComponent("Config").path)
        let engine = try! ScrubEngine(configuration: configuration, library: FakeEngine.makeLibrary())
        return EngineScrubber(engine: engine, today: { ServiceDate(iso: "2026-06-01")! })
    }()

    func harness() -> (client: any TestClient, logs: LogCapture) {
        let logs = LogCapture()
        let sink = logs.sink
        let s = Self.scrubber
        let service = ClaimScrubService(
            engine: s,
            metrics: ServiceMetrics(buildInfo: .init(version: "t", rulesVersion: s.rulesVersion, codeSet: s.codeSetVersion)),
            logger: Logger(label: "t") { JSONLogHandler(label: $0, sink: sink) })
        return (InMemoryClient(handler: service), logs)
    }

    @Test func aHeaderCodeFailsWith200AndTheFinding() throws {
        let claim = #"{"claimId":"C-1","diagnoses":["M54.5"],"billingProvider":{"npi":"1234567893"},"serviceLines":[{"procedureCode":"97110","units":1,"serviceDate":"2026-05-04","diagnosisPointers":[1]}]}"#
        let r = harness().client.post("/v1/scrub", body: claim)
        #expect(r.status == 200)
        let o = try #require(r.object)
        #expect(o["status"] as? String == "fail")
        let rules = (o["findings"] as? [[String: Any]])?.compactMap { $0["rule"] as? String } ?? []
        #expect(rules.contains("DX_NOT_BILLABLE"))
    }

    @Test func wrongTypeIs400WithThePointerOfTheContractExample() throws {
        let claim = #"{"claimId":"EX-008","diagnoses":["M54.6"],"serviceLines":[{"procedureCode":"97110","units":"two","serviceDate":"2026-05-04","diagnosisPointers":[1]}]}"#
        let r = harness().client.post("/v1/scrub", body: claim)
        #expect(r.status == 400)
        #expect(r.headers["Content-Type"] == "application/problem+json")
        let errors = try #require(r.object?["errors"] as? [[String: Any]])
        #expect(errors.contains { $0["pointer"] as? String == "/serviceLines/0/units" })
        #expect(!r.text.contains("two"))
    }

    @Test func syntaxErrorCarriesTheByteOffsetAndNoClaimData() throws {
        let (client, logs) = harness()
        let r = client.post("/v1/scrub", body: sensitiveClaim + ",")
        #expect(r.status == 400)
        #expect(r.object?["byteOffset"] as? Int == sensitiveClaim.utf8.count)
        for fragment in sensitiveFragments {
            #expect(!r.text.contains(fragment))
            #expect(!logs.all.joined().contains(fragment))
        }
    }

    @Test func codeLookupThroughTheEngine() throws {
        let client = harness().client
        let o = try #require(client.get("/v1/codes/icd10cm/M546?date=2026-05-04").object)
        #expect(o["code"] as? String == "M54.6")
        #expect(o["excludes1"] as? [String] == ["M51.-", "F45.-"])
        #expect(client.get("/v1/codes/icd10cm/M54.7").status == 404)
        #expect(client.get("/v1/codes/icd10cm/M54.6?date=2020-01-01").status == 404)
    }

    @Test func rulesCatalogListsConfiguredRules() throws {
        let r = harness().client.get("/v1/rules")
        #expect(r.status == 200)
        let rules = try #require(r.object?["rules"] as? [[String: Any]])
        #expect(rules.contains { $0["id"] as? String == "DX_NOT_BILLABLE" })
    }
}

/// `POST /v1/scrub` with `Content-Type: application/edi-x12`: one result per CLM.
@Suite struct X12RouteTests {
    static let interchange = try! String(
        contentsOf: repositoryRoot.appendingPathComponent("Tests/ClaimScrubTests/Fixtures/x12/multi-claim.837"), encoding: .utf8)

    @Test func anInterchangeGetsOneResultPerClaimWithSegments() throws {
        let r = EngineScrubberTests().harness().client.post("/v1/scrub", body: Self.interchange, contentType: "application/edi-x12")
        #expect(r.status == 200)
        let results = try #require(r.object?["results"] as? [[String: Any]])
        #expect(results.count == 3)
        let findings = results.flatMap { ($0["findings"] as? [[String: Any]]) ?? [] }
        #expect(!findings.isEmpty)
        // Every finding names the segment it is about, so a biller can find it in the 837.
        #expect(findings.allSatisfy { (($0["x12"] as? [String: Any])?["segment"] as? String)?.isEmpty == false })
        #expect(findings.allSatisfy { ($0["x12"] as? [String: Any])?["position"] is Int })
    }

    @Test func aBrokenInterchangeIs400NamingTheSegmentWithoutPatientData() throws {
        // SE01 off by one: the transaction's segment count no longer matches.
        let broken = Self.interchange.replacingOccurrences(of: "SE*", with: "SE*9")
        let r = EngineScrubberTests().harness().client.post("/v1/scrub", body: broken, contentType: "application/edi-x12")
        #expect(r.status == 400)
        #expect(r.headers["Content-Type"] == "application/problem+json")
        let o = try #require(r.object)
        #expect(o["segment"] as? String == "SE")
        #expect(o["position"] is Int)
        for line in Self.interchange.split(separator: "~") where line.hasPrefix("NM1*IL") || line.hasPrefix("DMG") {
            for element in line.split(separator: "*").dropFirst(3) where element.count > 3 {
                #expect(!r.text.contains(element))
            }
        }
    }

    @Test func otherMediaTypesAre415NamingBothAccepted() {
        let r = EngineScrubberTests().harness().client.post("/v1/scrub", body: Self.interchange, contentType: "text/plain")
        #expect(r.status == 415)
        #expect(r.headers["Accept-Post"] == "application/json, application/edi-x12")
    }
}
