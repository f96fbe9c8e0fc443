import ClaimScrub
import HTTPServer

/// `POST /v1/scrub/batch`: NDJSON in (one claim per line), NDJSON out in the same order,
/// one line per non-blank input line: `{"line":n,"result":ScrubResult}` or, for a line that
/// is not a claim, `{"line":n,"error":problem}`. Blank lines get no output line but still
/// count for the numbers. A bad line never stops the others.
enum BatchRoute {
    static let mediaTypes: Set<String> = ["application/x-ndjson", "application/jsonl"]

    /// Streamed: lines are read as they arrive and answered batch by batch (BatchScrubber,
    /// every core), so memory holds one batch whatever the length of the stream.
    static func scrubStream(
        _ request: RoutedRequest, body: HTTPBodyReader, response: HTTPResponseWriter, engine: any ClaimScrubbing,
        metrics: ServiceMetrics
    ) -> StreamedExchange {
        let scrubber: BatchScrubber
        switch prepare(request, engine: engine) {
        case .failure(let refusal):
            try? response.respond(refusal.answer)
            return StreamedExchange(status: refusal.answer.status, bytesOut: refusal.answer.body.count)
        case .success(let s):
            scrubber = s
        }
        let bytesIn = ByteCount()
        let reader = NDJSONReader(isReady: { body.hasBufferedData }) { () throws(NDJSONReadError) -> [UInt8]? in
            do throws(HTTPStreamError) {
                let chunk = try body.read()
                bytesIn.add(chunk?.count ?? 0)
                return chunk
            } catch {
                // The client is gone: no further line is coming.
                throw NDJSONReadError(lineNumber: 0)
            }
        }
        var bytesOut = 0
        var counts = Counts()
        var completed = false
        do throws(HTTPStreamError) {
            try response.writeHead(status: 200, headers: headers(request))
            counts = try run(reader, scrubber: scrubber, metrics: metrics) { (bytes: [UInt8]) throws(HTTPStreamError) in
                try response.write(bytes)
                bytesOut += bytes.count
            }
            try response.finish()
            completed = true
        } catch {
            // The connection closed mid-stream: the log line says how far it got.
        }
        var fields = counts.logFields
        if !completed { fields["aborted"] = "true" }
        return StreamedExchange(status: 200, bytesIn: bytesIn.value, bytesOut: bytesOut, logFields: fields)
    }

    /// The same answer for a body that arrived whole (in-memory tests; a server without streaming).
    static func scrubWhole(_ request: RoutedRequest, engine: any ClaimScrubbing, metrics: ServiceMetrics) -> HTTPResponse {
        let scrubber: BatchScrubber
        switch prepare(request, engine: engine) {
        case .failure(let refusal): return refusal.answer
        case .success(let s): scrubber = s
        }
        var pending: [UInt8]? = request.http.body.isEmpty ? nil : request.http.body
        let reader = NDJSONReader { () throws(NDJSONReadError) -> [UInt8]? in
            defer { pending = nil }
            return pending
        }
        var out: [UInt8] = []
        // Neither the reader nor the writer can fail here.
        _ = try? run(reader, scrubber: scrubber, metrics: metrics) { (bytes: [UInt8]) throws(HTTPStreamError) in out += bytes }
        return HTTPResponse(status: 200, headers: headers(request), body: out)
    }

    static let writeSize = 64 * 1024

    struct Counts {
        var claims = 0
        var badLines = 0
        var logFields: [String: String] { ["claims": String(claims), "badLines": String(badLines)] }
    }

    /// Reads, scrubs and writes batch after batch until the input ends (or cannot be read).
    static func run(
        _ reader: NDJSONReader, scrubber: BatchScrubber, metrics: ServiceMetrics,
        write: ([UInt8]) throws(HTTPStreamError) -> Void
    ) throws(HTTPStreamError) -> Counts {
        var counts = Counts()
        var lines: [NDJSONLine] = []
        lines.reserveCapacity(scrubber.batchSize)
        while true {
            do throws(NDJSONReadError) {
                guard try reader.nextBatch(into: &lines, maxLines: scrubber.batchSize, maxBytes: scrubber.batchBytes) else {
                    return counts
                }
            } catch {
                throw .connectionClosed
            }
            let outputs = scrubber.scrub(lines) { line, result in encode(line, result) }
            var bytes: [UInt8] = []
            bytes.reserveCapacity(writeSize + 8192)
            for output in outputs {
                bytes += output.json
                if let result = output.result {
                    counts.claims += 1
                    metrics.recordClaim(status: result.status, findingRules: result.rules)
                } else {
                    counts.badLines += 1
                }
                // Modest writes: the writer's bound then holds the connection's buffer small.
                if bytes.count >= writeSize {
                    try write(bytes)
                    bytes.removeAll(keepingCapacity: true)
                }
            }
            if !bytes.isEmpty { try write(bytes) }
        }
    }

    struct LineOutput: Sendable {
        var json: [UInt8]
        /// nil for a line that is not a claim.
        var result: (status: String, rules: [String])?
    }

    /// One output line, newline included. The error names pointers and JSON kinds only:
    /// never the line's content.
    static func encode(_ line: NDJSONLine, _ result: Result<ScrubResult, ClaimInputError>) -> LineOutput {
        var w = JSONWriter(capacity: 1024)
        w.beginObject()
        w.key("line")
        w.int(line.number)
        let summary: (String, [String])?
        switch result {
        case .success(let scrubbed):
            w.key("result")
            scrubbed.write(to: &w)
            summary = (scrubbed.status.rawValue, scrubbed.findings.map(\.rule))
        case .failure(let error):
            w.key("error")
            error.problem.write(to: &w)
            summary = nil
        }
        w.endObject()
        w.appendRaw(0x0A)
        return LineOutput(json: w.bytes, result: summary)
    }

    struct Refusal: Error { var answer: HTTPResponse }

    /// The batch scrubber, or the answer refusing the request (415, 501).
    static func prepare(_ request: RoutedRequest, engine: any ClaimScrubbing) -> Result<BatchScrubber, Refusal> {
        guard Routes.isUTF8(request.http.headers["Content-Type"], oneOf: mediaTypes) else {
            var headers = HTTPHeaders()
            // Every type the route accepts, so a client can pick one from the refusal alone.
            headers.set("Accept-Post", mediaTypes.sorted(by: >).joined(separator: ", "))
            headers.set("X-Request-Id", request.requestID)
            return .failure(Refusal(answer: ProblemDocument(
                status: 415,
                detail: "Send claims as `Content-Type: application/x-ndjson` (or `application/jsonl`), one JSON claim per line.")
                .response(headers: headers)))
        }
        guard let scrubber = engine.batchScrubber() else {
            var headers = HTTPHeaders()
            headers.set("X-Request-Id", request.requestID)
            return .failure(Refusal(answer: ProblemDocument(
                status: 501, detail: "This server cannot scrub batches.").response(headers: headers)))
        }
        return .success(scrubber)
    }

    static func headers(_ request: RoutedRequest) -> HTTPHeaders {
        var headers = HTTPHeaders()
        headers.set("Content-Type", "application/x-ndjson")
        // The results describe patients' claims: no shared caches.
        headers.set("Cache-Control", "no-store")
        headers.set("X-Request-Id", request.requestID)
        return headers
    }
}

/// Bytes counted from the reader's chunk source (a closure the reader keeps).
private final class ByteCount: @unchecked Sendable {
    // @unchecked: used only from the one thread running the request.
    private(set) var value = 0
    func add(_ n: Int) { value += n }
}
