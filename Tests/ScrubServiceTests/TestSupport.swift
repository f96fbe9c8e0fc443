import ClaimScrub
import Foundation
import HTTPServer
import Logging
@testable import ScrubService

/// Sends requests to a handler. Tests go through this, so the same test can run against
/// the service in memory (now) or a live server on port 0 (once it is wired in).
protocol TestClient: Sendable {
    func execute(_ request: HTTPRequest) -> HTTPResponse
}

struct InMemoryClient: TestClient {
    let handler: any HTTPHandler
    func execute(_ request: HTTPRequest) -> HTTPResponse { handler.handle(request) }
}

extension TestClient {
    func get(_ target: String, headers: [(String, String)] = []) -> HTTPResponse {
        execute(HTTPRequest(method: "GET", target: target, headers: HTTPHeaders(headers.map { (name: $0.0, value: $0.1) })))
    }

    func post(_ target: String, body: String, contentType: String? = "application/json", headers: [(String, String)] = []) -> HTTPResponse {
        var h = HTTPHeaders(headers.map { (name: $0.0, value: $0.1) })
        if let contentType { h.add("Content-Type", contentType) }
        return execute(HTTPRequest(method: "POST", target: target, headers: h, body: Array(body.utf8)))
    }
}

extension HTTPResponse {
    var text: String { String(decoding: body, as: UTF8.self) }
    /// The body as a JSON object, or nil if it is not one.
    var object: [String: Any]? { (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] }
}

/// Log lines collected in memory.
final class LogCapture: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    var all: [String] { lock.withLock { lines } }
    var sink: @Sendable (String) -> Void { { line in self.lock.withLock { self.lines.append(line) } } }
    var objects: [[String: Any]] {
        all.compactMap { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any] }
    }
}

/// A claim with patient data in every place a leak could come from.
let sensitiveClaim = """
{"claimId":"CLM-TEST-1","patient":{"birthDate":"1961-04-12","sex":"F","name":"Jane Q. Patientname"},\
"memberId":"MBR-99887766","diagnoses":["M54.9"],"serviceLines":[{"procedureCode":"97110","units":2,\
"serviceDate":"2026-03-02","diagnosisPointers":[1]}],"documentation":{"notes":"Pain between the shoulder blades, lives alone at Elm Street."}}
"""
let sensitiveFragments = ["1961-04-12", "Patientname", "Jane", "MBR-99887766", "shoulder blades", "Elm Street"]

/// The engine double: scrub answers are canned per body; lookups use a small in-memory library.
struct FakeEngine: ClaimScrubbing {
    var ready = true
    var rulesVersion = "2026.11.0+test"
    var codeSetVersion = "2026-04-01"
    var rulesCatalogJSON = Array(#"{"rules":[{"id":"DX_UNSPECIFIED","category":"specificity"}]}"#.utf8)
    var library = FakeEngine.makeLibrary()

    var isReady: Bool { ready }

    /// Bodies that do not parse are syntax errors; `"units"` given as a string is a type
    /// error; anything else fails with one DX_NOT_BILLABLE error and one DX_UNSPECIFIED warning.
    func scrub(json: [UInt8]) -> ScrubOutcome {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(json))) as? [String: Any] else {
            return .invalidInput(ClaimInputError(
                kind: .syntax, errors: [.init(pointer: "", detail: "expected a string key at byte 17")], byteOffset: 17))
        }
        if let lines = object["serviceLines"] as? [[String: Any]], lines.first?["units"] is String {
            return .invalidInput(ClaimInputError(
                kind: .type, errors: [.init(pointer: "/serviceLines/0/units", detail: "expected an integer, got a string")]))
        }
        let findings = [
            Finding(rule: "DX_NOT_BILLABLE", category: .validity, severity: .error, message: "header code", path: "/diagnoses/0"),
            Finding(rule: "DX_UNSPECIFIED", category: .specificity, severity: .warning, message: "unspecified", path: "/diagnoses/0"),
        ]
        let result = ScrubResult(
            claimId: object["claimId"] as? String, status: .fail, denialRisk: DenialRisk(score: 80, level: .high),
            summary: Summary(errors: 1, warnings: 1, info: 0), findings: findings, fixes: [],
            codeSetVersion: codeSetVersion, rulesVersion: rulesVersion)
        return .scrubbed(result, json: Array(#"{"claimId":"CLM-TEST-1","status":"fail","findings":[]}"#.utf8))
    }

    func lookup(code: ICD10Code, on date: ServiceDate?) -> CodeLookupOutcome {
        library.lookup(code: code, on: date)
    }

    static func makeLibrary() -> CodeSetLibrary {
        func c(_ s: String) -> ICD10Code { ICD10Code(s)! }
        let entries = [
            CodeEntry(code: c("M54"), description: "Dorsalgia", billable: false, parent: nil, excludes1: [.prefix("F45")]),
            CodeEntry(code: c("M54.6"), description: "Pain in thoracic spine", billable: true, parent: c("M54"), excludes1: [.prefix("M51")]),
            CodeEntry(code: c("M54.5"), description: "Low back pain", billable: false, parent: c("M54")),
            CodeEntry(code: c("M54.50"), description: "Low back pain, unspecified", billable: true, parent: c("M54.5")),
            CodeEntry(code: c("M54.51"), description: "Vertebrogenic low back pain", billable: true, parent: c("M54.5")),
        ]
        let release = CodeSet(
            version: "2026-04-01", validFrom: ServiceDate(iso: "2026-04-01")!, validThrough: ServiceDate(iso: "2026-09-30")!,
            entries: entries)
        return CodeSetLibrary(releases: [release])
    }
}

/// Monotonic clock that advances 2 ms per reading, so durations are deterministic.
final class SteppingClock: @unchecked Sendable {
    private let lock = NSLock()
    private var now: UInt64 = 0
    var read: @Sendable () -> UInt64 { { self.lock.withLock { self.now += 2_000_000; return self.now } } }
}

struct ServiceHarness: Sendable {
    let service: ClaimScrubService
    let metrics: ServiceMetrics
    let logs: LogCapture
    let client: any TestClient

    init(
        engine: FakeEngine = FakeEngine(), apiKeys: APIKeyStore? = nil,
        exemptPaths: [String] = ServiceConfiguration.Auth().exemptPaths,
        draining: @escaping @Sendable () -> Bool = { false }, openConnections: @escaping @Sendable () -> Int = { 0 }
    ) {
        let logs = LogCapture()
        let metrics = ServiceMetrics(
            buildInfo: .init(version: "0.1.0", rulesVersion: engine.rulesVersion, codeSet: engine.codeSetVersion),
            openConnections: openConnections)
        let sink = logs.sink
        let logger = Logger(label: "claimscrub.test") { label in JSONLogHandler(label: label, sink: sink, now: { 0 }) }
        let service = ClaimScrubService(
            engine: engine, apiKeys: apiKeys, exemptPaths: exemptPaths, metrics: metrics, logger: logger,
            isDraining: draining, clock: SteppingClock().read)
        self.service = service
        self.metrics = metrics
        self.logs = logs
        self.client = InMemoryClient(handler: service)
    }
}

/// The repository root, from this file's path (tests never read /work/shared).
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

extension CodeSetLibrary {
    /// The double's lookup: the same outcomes `EngineScrubber` gives.
    public func lookup(code: ICD10Code, on date: ServiceDate?) -> CodeLookupOutcome {
        let (codeSet, covered) = release(for: date)
        guard covered else { return .noReleaseForDate }
        guard let entry = codeSet.entry(code) else { return .unknownCode(codeSetVersion: codeSet.version) }
        return .found(CodeLookup(
            code: code.dotted,
            description: entry.description,
            billable: entry.billable,
            parent: entry.parent?.dotted,
            children: codeSet.children(of: code).map(\.dotted),
            excludes1: codeSet.excludes1(of: code).map(\.description),
            manifestation: codeSet.isManifestation(code),
            codeSetVersion: codeSet.version
        ))
    }
}
