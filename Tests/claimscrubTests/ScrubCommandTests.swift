import Foundation
import Testing
import ClaimScrub
@testable import claimscrub

/// The scrub command's work with an in-memory engine: output and exit codes.
@Suite struct ScrubRunTests {
    static let configDirectory: String = {
        var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        return parts.joined(separator: "/") + "/Config"
    }()

    static let engine: ScrubEngine = {
        func e(_ c: String, _ d: String, billable: Bool = true, parent: String? = nil) -> CodeEntry {
            CodeEntry(code: ICD10Code(c)!, description: d, billable: billable, parent: parent.map { ICD10Code($0)! })
        }
        let set = CodeSet(
            version: "2026-04-01", validFrom: ServiceDate(iso: "2025-10-01")!, validThrough: ServiceDate(iso: "2026-09-30")!,
            entries: [e("M54", "Dorsalgia", billable: false), e("M54.5", "Low back pain", billable: false, parent: "M54"),
                      e("M54.50", "Low back pain, unspecified", parent: "M54.5"), e("M54.6", "Pain in thoracic spine", parent: "M54")])
        return try! ScrubEngine(
            configuration: ConfigLoader.load(configDirectory: configDirectory), library: CodeSetLibrary(releases: [set]),
            rules: RulePacks.structureRules + RulePacks.validityRules)
    }()

    static func claim(_ dx: String, id: String = "C1") -> String {
        #"{"claimId":"\#(id)","payer":{"type":"medicare"},"billingProvider":{"npi":"1234567893"},"diagnoses":["\#(dx)"],"serviceLines":[{"procedureCode":"97110","modifiers":["GP"],"units":2,"serviceDate":"2026-05-04","diagnosisPointers":[1],"minutes":30}],"documentation":{"onsetDate":"2026-04-20","severity":"6/10, worse with sitting","progression":"stable","painRegions":["thoracic"],"examFindings":["paraspinal tenderness T4-T8","reduced thoracic rotation"],"neurologicalDeficits":false}}"#
    }

    struct Outcome {
        var code: Int32
        var out: String
        var err: String
    }

    func run(_ files: [String: String], order: [String]? = nil, format: ScrubRun.Format = .text) -> Outcome {
        var out: [UInt8] = []
        var err = ""
        let run = ScrubRun(engine: Self.engine, today: ServiceDate(iso: "2026-06-01")!, format: format)
        let code = run.run(
            files: order ?? files.keys.sorted(), readFile: { files[$0].map { Array($0.utf8) } },
            openNDJSON: { name in
                // Small chunks, so lines cross chunk boundaries as they do in a large file.
                files[name].map { text in Self.reader(Array(text.utf8), chunkSize: 7) }
            },
            out: { out += $0 }, err: { err += $0 + "\n" })
        return Outcome(code: code, out: String(decoding: out, as: UTF8.self), err: err)
    }

    static func interchange(dx: String) -> String {
        X12Writer.interchange(claims: [X12Fixtures.template(0)].map { c in
            var c = c
            c.diagnoses = [DiagnosisEntry(raw: dx)]
            c.serviceLines = c.serviceLines.map { $0.map { var l = $0; l.diagnosisPointers = [1]; return l } }
            return c
        }).reduce(into: "") { $0.unicodeScalars.append(Unicode.Scalar($1)) }
    }

    @Test func an837FileGetsAResultPerClaimAndNamesSegments() {
        let o = run(["batch.837": Self.interchange(dx: "M54.5")])
        #expect(o.code == 1)
        #expect(o.out.contains("DX_NOT_BILLABLE"))
        #expect(o.out.contains("(HI segment"))
        let json = run(["batch.x12": Self.interchange(dx: "M54.5")], format: .json)
        #expect(json.out.contains(#""x12":{"segment":"HI""#))
    }

    @Test func aMalformedInterchangeIsUnusableInput() {
        let o = run(["bad.837": "ISA*00*short~"])
        #expect(o.code == 2)
        #expect(o.err.contains("ISA"))
    }

    @Test func cleanClaimExitsZero() {
        let o = run(["a.json": Self.claim("M54.6")])
        #expect(o.code == 0)
        #expect(o.out.contains("status PASS"))
    }

    @Test func errorFindingExitsOneAndIsReported() {
        let o = run(["a.json": Self.claim("M54.5")])
        #expect(o.code == 1)
        #expect(o.out.contains("DX_NOT_BILLABLE  /diagnoses/0"))
        #expect(o.out.contains("Report one of M54.50."))
    }

    @Test func malformedJSONExitsTwoWithOffsetAndPointer() {
        let o = run(["a.json": #"{"serviceLines":[{"units":2,}]}"#])
        #expect(o.code == 2)
        #expect(o.err.contains("malformed JSON at byte 28 (in /serviceLines/0)"))
    }

    @Test func wrongTypeExitsTwoWithPointer() {
        let o = run(["a.json": #"{"serviceLines":[{"units":"two"}]}"#])
        #expect(o.code == 2)
        #expect(o.err.contains("/serviceLines/0/units: expected an integer, got a string"))
    }

    @Test func missingFileExitsTwoEvenWhenOtherClaimsHaveErrors() {
        let o = run(["a.json": Self.claim("M54.5")], order: ["a.json", "missing.json"])
        #expect(o.code == 2)
        #expect(o.err.contains("missing.json: cannot read the file"))
    }

    @Test func ndjsonGivesOneJSONResultPerLine() throws {
        let o = run(["b.ndjson": Self.claim("M54.6", id: "N1") + "\n\n" + Self.claim("M54.5", id: "N2") + "\r\n"], format: .json)
        #expect(o.code == 1)
        let lines = o.out.split(separator: "\n")
        #expect(lines.count == 2)
        let second = try JSONParser.parse(Array(lines[1].utf8))
        #expect(second["claimId"] == .string("N2"))
        #expect(second["status"] == .string("fail"))
    }

    static func reader(_ bytes: [UInt8], chunkSize: Int) -> NDJSONReader {
        var offset = 0
        return NDJSONReader { () throws(NDJSONReadError) -> [UInt8]? in
            guard offset < bytes.count else { return nil }
            defer { offset += chunkSize }
            return Array(bytes[offset..<min(bytes.count, offset + chunkSize)])
        }
    }

    @Test func aBadNDJSONLineExitsTwoButEveryOtherLineIsScrubbedInOrder() throws {
        let text = (1...30).map { i in i == 12 ? #"{"claimId":"X","diagnoses":"M54.6"}"# : Self.claim("M54.6", id: "N\(i)") }
            .joined(separator: "\n")
        let o = run(["big.ndjson": text], format: .json)
        #expect(o.code == 2)
        let ids = try o.out.split(separator: "\n").map { line in try JSONParser.parse(Array(line.utf8))["claimId"] }
        #expect(ids == (1...30).filter { $0 != 12 }.map { .string("N\($0)") })
        #expect(o.err == "claimscrub: big.ndjson:12: not a claim: /diagnoses: expected an array, got a string\n")
    }

    /// A chunk of lines is rendered into one buffer: each bad line's message must still come
    /// after the results of the lines before it and before those after it, in both formats,
    /// wherever it falls in its chunk (first, last, several together, a chunk of only bad lines).
    @Test(arguments: [ScrubRun.Format.json, .text])
    func badLineMessagesInterleaveWithResultsInLineOrder(format: ScrubRun.Format) {
        let bad: Set<Int> = [1, 2, 40, 64, 65, 100, 129, 130, 131, 132]
        let count = 140
        let text = (1...count).map { i in bad.contains(i) ? "{oops}" : Self.claim("M54.6", id: "N\(i)") }.joined(separator: "\n")
        var events: [String] = []
        var pending = ""
        let run = ScrubRun(engine: Self.engine, today: ServiceDate(iso: "2026-06-01")!, format: format)
        let code = run.run(
            files: ["big.ndjson"], readFile: { _ in nil },
            openNDJSON: { _ in Self.reader(Array(text.utf8), chunkSize: 4096) },
            out: { pending += String(decoding: $0, as: UTF8.self) },
            err: { message in
                events.append(pending)
                pending = ""
                events.append("ERR " + message)
            })
        events.append(pending)
        #expect(code == 2)
        // The claims before each message, by the claim ids the output names.
        var expected: [String] = []
        var ids: [String] = []
        for i in 1...count {
            if bad.contains(i) {
                expected.append(ids.joined(separator: ","))
                ids = []
                expected.append("ERR claimscrub: big.ndjson:\(i): malformed JSON at byte 1: expected a string key or '}' at byte 1")
            } else {
                ids.append("N\(i)")
            }
        }
        expected.append(ids.joined(separator: ","))
        let seen = events.map { e in
            e.hasPrefix("ERR ") ? e : e.split(separator: "\n").compactMap { line -> String? in
                guard let r = line.range(of: format == .json ? #""claimId":""# : "N", options: []) else { return nil }
                if format == .text, r.lowerBound != line.startIndex { return nil }
                let rest = line[(format == .json ? r.upperBound : r.lowerBound)...]
                return String(rest.prefix { $0 != "\"" && $0 != " " })
            }.joined(separator: ",")
        }
        #expect(seen == expected)
    }

    @Test func aMissingNDJSONFileIsUnusable() {
        let o = run([:], order: ["gone.ndjson"])
        #expect(o.code == 2)
        #expect(o.err.contains("gone.ndjson: cannot read the file"))
    }

    @Test func ndjsonErrorsNameTheLine() {
        let o = run(["b.ndjson": Self.claim("M54.6") + "\n{oops}\n"])
        #expect(o.code == 2)
        #expect(o.err.contains("b.ndjson:2: malformed JSON at byte 1"))
    }
}

/// The built executable, run as a user would: usage errors exit 2.
@Suite struct ExecutableTests {
    /// `claimscrub` sits beside the test bundle in the build products directory.
    static var executable: URL? {
        var dir = URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0])
        for _ in 0..<4 {
            dir.deleteLastPathComponent()
            let candidate = dir.appendingPathComponent("claimscrub")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }

    /// Runs the built `claimscrub` with `args`; stdout and stderr are read at once, since a
    /// full pipe would stall the other.
    static func exec(_ args: [String], env: [String: String] = [:]) throws -> (code: Int32, out: String, err: String) {
        let exe = try #require(executable, "claimscrub executable not found beside the tests")
        let p = Process()
        p.executableURL = exe
        p.arguments = args
        p.environment = ProcessInfo.processInfo.environment.merging(env) { $1 }
        let outPipe = Pipe()
        let errPipe = Pipe()
        p.standardOutput = outPipe
        p.standardError = errPipe
        try p.run()
        let errData = DataBox()
        let errRead = DispatchSemaphore(value: 0)
        Thread {
            errData.value = errPipe.fileHandleForReading.readDataToEndOfFile()
            errRead.signal()
        }.start()
        let out = outPipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        errRead.wait()
        return (p.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: errData.value, as: UTF8.self))
    }

    func run(_ args: [String], env: [String: String] = [:]) throws -> (code: Int32, err: String) {
        let r = try Self.exec(args, env: env)
        return (r.code, r.err)
    }

    @Test(arguments: [["scrub"], ["scrub", "--today", "2026-02-30", "a.json"], ["scrub", "--format", "xml", "a.json"], ["frobnicate"]])
    func usageErrorsExitTwo(args: [String]) throws {
        #expect(try run(args).code == 2)
    }

    @Test func unusableConfigurationExitsTwoNamingTheFile() throws {
        let r = try run(["scrub", "a.json"], env: ["CLAIMSCRUB_CONFIG": "/nonexistent-claimscrub-config"])
        #expect(r.code == 2)
        #expect(r.err.contains("/nonexistent-claimscrub-config/rules.yaml"))
    }

    /// Writes claim files into a fresh temporary directory.
    func files(_ contents: [String: String]) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("claimscrub-cli-\(UInt64.random(in: 0...UInt64.max))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for (name, text) in contents { try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        return dir.path
    }

    func runOut(_ args: [String]) throws -> (code: Int32, out: String) {
        let r = try Self.exec(["scrub", "--config", ScrubRunTests.configDirectory, "--today", "2026-06-01"] + args)
        return (r.code, r.out)
    }

    @Test func exitCodesWithTheShippedConfiguration() throws {
        let dir = try files([
            "clean.json": ScrubRunTests.claim("M54.6"),
            "header.json": ScrubRunTests.claim("M54.5"),
            "broken.json": #"{"claimId": "X",,}"#,
        ])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let clean = try runOut(["\(dir)/clean.json"])
        #expect(clean.code == 0)
        #expect(clean.out.contains("status PASS"))
        let both = try runOut(["--format", "json", "\(dir)/clean.json", "\(dir)/header.json"])
        #expect(both.code == 1)
        #expect(both.out.split(separator: "\n").count == 2)
        #expect(try runOut(["\(dir)/header.json", "\(dir)/broken.json"]).code == 2)
        #expect(try runOut(["\(dir)/missing.json"]).code == 2)
    }

    @Test func anNDJSONFileStreamsWithoutAProgressLineWhenStderrIsNotATerminal() throws {
        let lines = (1...2_000).map { i in i == 700 ? "{oops" : ScrubRunTests.claim("M54.6", id: "S\(i)") }
        let dir = try files(["big.ndjson": lines.joined(separator: "\n") + "\n"])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (code, out, err) = try Self.exec(
            ["scrub", "--config", ScrubRunTests.configDirectory, "--today", "2026-06-01", "--format", "json", "\(dir)/big.ndjson"])
        #expect(code == 2)
        #expect(out.split(separator: "\n").count == 1_999)
        #expect(err.split(separator: "\n").count == 1)
        #expect(err.hasPrefix("claimscrub: \(dir)/big.ndjson:700: malformed JSON"))
        #expect(!err.contains("\r") && !err.contains("claims/s"))
    }

    @Test func helpExitsZero() throws {
        #expect(try run(["scrub", "--help"]).code == 0)
    }
}

@Suite struct ConfigLocatorTests {
    @Test func explicitDirectoryWins() {
        #expect(ConfigLocator.locate(explicit: "/some/dir") == "/some/dir")
    }

    @Test func bakedDirectoryIsThePackagesConfig() {
        #expect(FileBytes.exists(ConfigLocator.bakedDirectory + "/rules.yaml"))
        #expect(FileBytes.exists(ConfigLocator.bakedDirectory + "/profiles.yaml"))
    }
}

/// Bytes one thread reads and another takes after a semaphore says they are there.
final class DataBox: @unchecked Sendable {
    var value = Data()
}
