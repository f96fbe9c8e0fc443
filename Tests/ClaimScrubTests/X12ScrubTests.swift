import Testing
@testable import ClaimScrub

/// The shipped engine (Config/ with its code sets), loaded once for the X12 tests.
enum X12Engine {
    static let engine: ScrubEngine = try! ScrubEngine.load(configDirectory: Fixtures.configDirectory)
    static let today = ServiceDate(iso: "2026-06-01")!
}

@Suite struct X12ScrubTests {
    let engine = X12Engine.engine
    let today = X12Engine.today

    func rulePaths(_ r: ScrubResult) -> [String] { r.findings.map { "\($0.rule) \($0.path)" } }

    /// Rules that read treatment minutes or chart documentation, which an 837P cannot carry.
    static let chartDataRules: Set<String> = ["TIMED_MINUTES_MISSING", "DOC_MISSING"]

    @Test func the837AndItsJSONTwinGetTheSameFindings() throws {
        let x12 = try X12Scrub.scrub(X12Files.bytes("multi-claim.837"), engine: engine, today: today)
        let json = try X12Files.twinClaims().map { engine.scrub($0, today: today) }
        #expect(x12.count == 3)
        // Every finding the JSON twin gets, except those resting on data 837P has no place for.
        #expect(x12.map { rulePaths($0.result) }
            == json.map { rulePaths($0).filter { !Self.chartDataRules.contains(String($0.prefix { $0 != " " })) } })
        #expect(x12.allSatisfy { $0.result.findings.allSatisfy { !Self.chartDataRules.contains($0.rule) } })
        // The twin does raise them (no minutes, little documentation), so the exclusion is real.
        #expect(json.contains { $0.findings.contains { Self.chartDataRules.contains($0.rule) } })
        // Scrubbed as an 837 claim, the twin gives the very same result bytes.
        let asX12 = try X12Files.twinClaims().map { claim -> ScrubResult in
            var c = claim
            c.origin = .x12
            return engine.scrub(c, today: today)
        }
        #expect(x12.map { $0.result.encodeJSON() } == asX12.map { $0.encodeJSON() })
        // The fixture is built to have findings, so the comparison says something.
        #expect(x12.allSatisfy { !$0.result.findings.isEmpty })
        #expect(try X837Reader.read(X12Files.bytes("multi-claim.837")).allSatisfy { $0.claim.origin == .x12 })
    }

    @Test func claimsWithTheirOwnFindings() throws {
        let x12 = try X12Scrub.scrub(X12Files.bytes("multi-claim.837"), engine: engine, today: today)
        let second = rulePaths(x12[1].result), third = rulePaths(x12[2].result)
        #expect(second.contains("CLAIM_NPI /renderingProvider/npi"))
        #expect(second.contains("CLAIM_DX_DUPLICATE /diagnoses/1"))
        #expect(third.contains("CLAIM_REQUIRED_FIELD /serviceLines/1/units"))
        #expect(third.contains("CLAIM_DX_POINTER /serviceLines/1/diagnosisPointers/0"))
        #expect(!rulePaths(x12[0].result).contains { $0.hasPrefix("CLAIM_") })
    }

    @Test func resultsCarryTheX12SegmentOfEachFinding() throws {
        let scrubbed = try X12Scrub.scrub(X12Files.bytes("multi-claim.837"), engine: engine, today: today)
        let doc = try JSONParser.parse(X12Scrub.encodeResults(scrubbed))
        guard case .array(let results)? = doc["results"] else {
            Issue.record("no results array")
            return
        }
        #expect(results.count == 3)
        for (value, s) in zip(results, scrubbed) {
            guard case .array(let findings)? = value["findings"] else {
                Issue.record("no findings")
                continue
            }
            #expect(findings.count == s.result.findings.count)
            for (f, finding) in zip(findings, s.result.findings) {
                let ref = try #require(s.source.segmentReference(for: finding.path))
                #expect(f["x12"]?["segment"] == .string(ref.segment))
                #expect(f["x12"]?["position"] == .int(ref.position))
                #expect(f["x12"]?["element"] == ref.element.map { .string($0) })
            }
            // Without the x12 members, each result is exactly the contract's ScrubResult.
            #expect(Self.removingX12(value) == (try JSONParser.parse(s.result.encodeJSON())))
        }
        let units = scrubbed[2].result.findings.first { $0.path == "/serviceLines/1/units" }
        #expect(units.flatMap { scrubbed[2].source.segmentReference(for: $0.path) }
            == X12SegmentRef(segment: "SV1", position: 56, element: "SV104"))
    }

    static func removingX12(_ v: JSONValue) -> JSONValue {
        switch v {
        case .object(let members): .object(members.filter { $0.key != "x12" }.map { ($0.key, removingX12($0.value)) })
        case .array(let xs): .array(xs.map(removingX12))
        default: v
        }
    }

    @Test func writerRoundTripsTheClaimsItCanHold() throws {
        let twins = try X12Files.twinClaims()
        let read = try X837Reader.read(X12Writer.interchange(claims: twins))
        #expect(read.map { X12Files.canonical($0.claim) } == twins.map(X12Files.canonical))
    }

    @Test func generatedInterchangeHasTheClaimsAsked() throws {
        let claims = try X837Reader.read(X12Fixtures.interchange(claims: 100))
        #expect(claims.count == 100)
        #expect(claims.map { X12Files.canonical($0.claim) } == (0..<100).map { X12Files.canonical(X12Fixtures.template($0)) })
        #expect(Set(claims.compactMap(\.claim.claimId)).count == 100)
    }

    @Test func writerKeepsDelimitersOutOfText() throws {
        var claim = X12Fixtures.template(0)
        claim.documentation?.notes = "pain 7/10 * worse ~ at night: yes^"
        let read = try X837Reader.read(X12Writer.interchange(claims: [claim]))
        #expect(read[0].claim.documentation?.notes == "pain 7/10   worse   at night  yes ")
    }
}
