import ArgumentParser
import ClaimScrub

struct ScrubCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scrub",
        abstract: "Scrub claim files offline with the service's engine.",
        discussion: """
            FILE.json holds one claim, FILE.ndjson one claim per line, FILE.837 or FILE.x12 an \
            ASC X12 837P interchange (one result per CLM). Exit codes: 0 no error finding, 1 at \
            least one error finding, 2 unusable input (missing file, malformed JSON, wrong JSON \
            types, an interchange that is not well formed), configuration or usage; 2 wins over 1.
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
        let run = ScrubRun(engine: engine, today: today.flatMap { ServiceDate(iso: $0) } ?? todayUTC(), format: format)
        let code = run.run(files: files, readFile: FileBytes.read, out: writeStdout, err: printError)
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
    /// error finding, else 0.
    func run(files: [String], readFile: (String) -> [UInt8]?, out: ([UInt8]) -> Void, err: (String) -> Void) -> Int32 {
        var unusable = false
        var anyError = false
        for file in files {
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
            let records: [(label: String, bytes: ArraySlice<UInt8>)]
            if file.hasSuffix(".ndjson") {
                records = NDJSON.records(bytes).map { ("\(file):\($0.number)", $0.bytes) }
            } else {
                records = [(file, bytes[...])]
            }
            for (label, record) in records {
                do throws(ClaimInputError) {
                    let result = try engine.scrub(json: Array(record), today: today)
                    if result.summary.errors > 0 { anyError = true }
                    switch format {
                    case .json: out(result.encodeJSON() + [0x0A])
                    case .text: out(Array(Self.report(result, label: label).utf8))
                    }
                } catch {
                    unusable = true
                    err("claimscrub: \(label): \(Self.describe(error))")
                }
            }
        }
        return unusable ? 2 : anyError ? 1 : 0
    }

    enum FileOutcome { case clean, errors, unusable }

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
