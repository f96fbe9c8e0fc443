import ArgumentParser
import ClaimScrub

struct ScrubCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scrub",
        abstract: "Scrub claim files offline with the service's engine.",
        discussion: """
            FILE.json holds one claim, FILE.ndjson one claim per line, FILE.837 or FILE.x12 an \
            ASC X12 837P interchange (one result per CLM). An .ndjson file is streamed: read a \
            batch at a time and scrubbed on every core, results in line order, memory flat \
            however long the file; a bad line is reported and the others go on. When stderr is a \
            terminal a progress line (claims/s, done, bad lines) is kept up to date there. \
            Exit codes: 0 no error finding, 1 at least one error finding, 2 unusable input \
            (missing file, malformed JSON, wrong JSON types, an interchange that is not well \
            formed; in an .ndjson file any bad line), configuration or usage; 2 wins over 1.
            """
    )

    @Argument(help: "Claim files (.json: one claim; .ndjson: one claim per line; .837/.x12: an 837P interchange).")
    var files: [String]

    @Option(help: "Output: text (a readable report) or json (one ScrubResult per line).")
    var format: ScrubRun.Format = .text

    @Option(help: "Configuration directory (default: $CLAIMSCRUB_CONFIG, ./Config, the package's Config/).")
    var config: String?

    @Option(help: "Pin today's date (YYYY-MM-DD) for future dates and filing limits.")
    var today: String?

    func validate() throws {
        if let today, ServiceDate(iso: today) == nil {
            throw ValidationError("--today must be a real date as YYYY-MM-DD.")
        }
        if files.isEmpty { throw ValidationError("Give at least one claim file.") }
    }

    func run() throws {
        let dir = ConfigLocator.locate(explicit: config)
        let engine: ScrubEngine
        do {
            engine = try ScrubEngine.load(configDirectory: dir)
        } catch {
            printError("claimscrub: configuration: \(error)")
            throw ExitCode(2)
        }
        let run = ScrubRun(engine: engine, today: today.flatMap { ServiceDate(iso: $0) } ?? ServiceDate.todayUTC(), format: format)
        let progress = stderrIsTerminal ? ProgressLine() : nil
        let code = run.run(
            files: files, readFile: FileBytes.read, openNDJSON: { NDJSONReader(path: $0) },
            out: { bytes in
                // Both on one terminal: the report lines must not land inside the progress line.
                if stdoutIsTerminal { progress?.clear() }
                writeStdout(bytes)
            },
            err: { message in
                progress?.clear()
                printError(message)
            },
            progress: progress.map { line in { line.update($0) } })
        progress?.finish()
        if code != 0 { throw ExitCode(code) }
    }
}

/// The scrub command's work, separate from argument parsing so tests can run it with an
/// in-memory engine and collect its output and exit code.
struct ScrubRun {
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    let engine: ScrubEngine
    let today: ServiceDate
    let format: Format

    /// Returns the exit code: 2 if any input was unusable, else 1 if any claim has an
    /// error finding, else 0. `.ndjson` files are opened with `openNDJSON` and streamed;
    /// `progress` hears after every batch of them.
    func run(
        files: [String], readFile: (String) -> [UInt8]?, openNDJSON: (String) -> NDJSONReader?,
        out: ([UInt8]) -> Void, err: (String) -> Void, progress: ((BatchProgress) -> Void)? = nil
    ) -> Int32 {
        var unusable = false
        var anyError = false
        var tally = BatchProgress()
        for file in files {
            if file.hasSuffix(".ndjson") {
                switch scrubNDJSON(file, open: openNDJSON, tally: &tally, out: out, err: err, progress: progress) {
                case .unusable: unusable = true
                case .errors: anyError = true
                case .clean: break
                }
                continue
            }
            guard let bytes = readFile(file) else {
                err("claimscrub: \(file): cannot read the file")
                unusable = true
                continue
            }
            if file.hasSuffix(".837") || file.hasSuffix(".x12") {
                switch scrubX12(bytes, file: file, out: out, err: err) {
                case .unusable: unusable = true
                case .errors: anyError = true
                case .clean: break
                }
                continue
            }
            do throws(ClaimInputError) {
                let result = try engine.scrub(json: bytes, today: today)
                if result.summary.errors > 0 { anyError = true }
                out(render(result, label: file))
            } catch {
                unusable = true
                err("claimscrub: \(file): \(Self.describe(error))")
            }
        }
        return unusable ? 2 : anyError ? 1 : 0
    }

    private func render(_ result: ScrubResult, label: String) -> [UInt8] {
        switch format {
        case .json: result.encodeJSONLine()
        case .text: Array(Self.report(result, label: label).utf8)
        }
    }

    /// One NDJSON file through `BatchScrubber`: a batch of lines in memory at a time, results
    /// and errors in line order.
    func scrubNDJSON(
        _ file: String, open: (String) -> NDJSONReader?, tally: inout BatchProgress, out: ([UInt8]) -> Void,
        err: (String) -> Void, progress: ((BatchProgress) -> Void)?
    ) -> FileOutcome {
        guard let reader = open(file) else {
            err("claimscrub: \(file): cannot read the file")
            return .unusable
        }
        var outcome = FileOutcome.clean
        let format = self.format
        do throws(NDJSONReadError) {
            try BatchScrubber(engine: engine, today: today).runChunks(
                reader,
                transform: { lines, scrub in
                    // Rendering is CPU work too: done in parallel with the scrub, a chunk of
                    // lines into one buffer (no per-line buffer copied into a batch one).
                    var chunk = RenderedChunk()
                    var w = JSONWriter(capacity: lines.count * 2048)
                    for line in lines {
                        switch scrub(line) {
                        case .success(let r):
                            switch format {
                            case .json:
                                r.write(to: &w)
                                w.appendRaw(0x0A)
                            case .text:
                                w.appendRaw(contentsOf: Self.report(r, label: "\(file):\(line.number)").utf8)
                            }
                            chunk.claims += 1
                            if r.summary.errors > 0 { chunk.withErrors += 1 }
                        case .failure(let error):
                            chunk.failures.append(.init(number: line.number, offset: w.bytes.count, error: error))
                        }
                    }
                    chunk.bytes = w.bytes
                    return chunk
                },
                emit: { chunks in
                    // Each chunk's buffer is written as it is; a bad line's message goes out
                    // after the results before it.
                    for chunk in chunks {
                        var written = 0
                        for failure in chunk.failures {
                            if failure.offset > written { out(Array(chunk.bytes[written..<failure.offset])) }
                            written = failure.offset
                            outcome = .unusable
                            tally.badLines += 1
                            err("claimscrub: \(file):\(failure.number): \(Self.describe(failure.error))")
                        }
                        if written == 0 {
                            if !chunk.bytes.isEmpty { out(chunk.bytes) }
                        } else if written < chunk.bytes.count {
                            out(Array(chunk.bytes[written...]))
                        }
                        tally.claims += chunk.claims
                        tally.withErrors += chunk.withErrors
                        if chunk.withErrors > 0, outcome == .clean { outcome = .errors }
                    }
                    progress?(tally)
                })
        } catch {
            err("claimscrub: \(file): cannot read past line \(error.lineNumber)")
            return .unusable
        }
        return outcome
    }

    enum FileOutcome { case clean, errors, unusable }

    /// The output of a chunk of lines: results in one buffer, bad lines with where they fall in it.
    struct RenderedChunk: Sendable {
        struct Failure: Sendable {
            var number: Int
            /// Bytes of `bytes` that come before this line.
            var offset: Int
            var error: ClaimInputError
        }

        var bytes: [UInt8] = []
        var claims = 0
        var withErrors = 0
        var failures: [Failure] = []
    }

    /// One result per CLM of the interchange; each finding also names its segment.
    func scrubX12(_ bytes: [UInt8], file: String, out: ([UInt8]) -> Void, err: (String) -> Void) -> FileOutcome {
        do throws(X12Error) {
            var outcome = FileOutcome.clean
            for s in try X12Scrub.scrub(bytes, engine: engine, today: today) {
                if s.result.summary.errors > 0 { outcome = .errors }
                switch format {
                case .json: out(s.encodeJSON() + [0x0A])
                case .text:
                    let label = "\(file) CLM \(s.result.claimId ?? "")"
                    out(Array(Self.report(s.result, label: label, segment: { s.source.segmentReference(for: $0) }).utf8))
                }
            }
            return outcome
        } catch {
            err("claimscrub: \(file): \(error)")
            return .unusable
        }
    }

    static func describe(_ error: ClaimInputError) -> String {
        switch error.kind {
        case .syntax:
            let pointer = error.errors.first?.pointer ?? ""
            return "malformed JSON at byte \(error.byteOffset ?? 0)\(pointer.isEmpty ? "" : " (in \(pointer))"): "
                + (error.errors.first?.detail ?? "")
        case .type:
            return "not a claim: " + error.errors.map { "\($0.pointer.isEmpty ? "(document)" : $0.pointer): \($0.detail)" }
                .joined(separator: "; ")
        }
    }

    /// The readable report of one result.
    static func report(_ r: ScrubResult, label: String, segment: (String) -> X12SegmentRef? = { _ in nil }) -> String {
        var s = "\(r.claimId ?? "(no claimId)")  [\(label)]\n"
        s += "  status \(r.status.rawValue.uppercased())   risk \(r.denialRisk.score) (\(r.denialRisk.level.rawValue))   "
        s += "\(r.summary.errors) error(s), \(r.summary.warnings) warning(s), \(r.summary.info) info   "
        s += "ICD-10-CM \(r.codeSetVersion), rules \(r.rulesVersion)\n"
        for f in r.findings {
            let sev = f.severity.rawValue.padding(8)
            s += "  \(sev)\(f.rule)  \(f.path)"
            if let ref = segment(f.path) { s += "  (\(ref))" }
            s += "\n"
            s += "           \(f.message)\n"
            if let sug = f.suggestion { s += "           suggestion: \(sug)\n" }
            if let ev = f.evidence { s += "           evidence: \(ev)\n" }
            if let d = f.likelyDenial { s += "           likely denial: \(d.text)\n" }
        }
        if !r.fixes.isEmpty {
            s += "  fixes: " + String(decoding: r.fixesJSON(), as: UTF8.self) + "\n"
        }
        return s + "\n"
    }
}

extension ScrubResult {
    func fixesJSON() -> [UInt8] {
        var w = JSONWriter(capacity: 128)
        w.beginArray()
        for op in fixes { op.write(to: &w) }
        w.endArray()
        return w.bytes
    }
}

extension String {
    func padding(_ width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }
}
