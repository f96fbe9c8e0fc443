/// A claim read from an 837P interchange and its result from the engine.
public struct X12ScrubbedClaim: Sendable {
    public var source: X837Claim
    public var result: ScrubResult

    /// The ScrubResult JSON (API.md §3) whose findings each carry an extra member
    /// `"x12": {"segment": "SV1", "position": 31, "element": "SV104"}`.
    public func write(to w: inout JSONWriter) {
        let source = source
        result.write(to: &w) { finding, w in
            guard let ref = source.segmentReference(for: finding.path) else { return }
            w.key("x12")
            ref.write(to: &w)
        }
    }

    public func encodeJSON() -> [UInt8] {
        var w = JSONWriter(capacity: 512 + result.findings.count * 460)
        write(to: &w)
        return w.bytes
    }
}

/// 837P in, one ScrubResult per CLM out, in interchange order.
public enum X12Scrub {
    /// Reads the interchange and scrubs every claim with the same engine as JSON claims.
    /// Throws only for a structurally unusable interchange (HTTP 400, CLI exit 2).
    public static func scrub(_ bytes: [UInt8], engine: ScrubEngine, today: ServiceDate) throws(X12Error) -> [X12ScrubbedClaim] {
        try X837Reader.read(bytes).map { X12ScrubbedClaim(source: $0, result: engine.scrub($0.claim, today: today)) }
    }

    /// `{"results": [ScrubResult + x12 members, …]}`: the answer for one interchange.
    public static func encodeResults(_ results: [X12ScrubbedClaim]) -> [UInt8] {
        var w = JSONWriter(capacity: 256 + results.count * 1500)
        w.beginObject()
        w.key("results")
        w.beginArray()
        for r in results { r.write(to: &w) }
        w.endArray()
        w.endObject()
        return w.bytes
    }
}
