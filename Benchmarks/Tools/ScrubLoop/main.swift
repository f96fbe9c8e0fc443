// scrub-loop FILE.claim.json [ITERATIONS]
//
// Scrubs one decoded claim ITERATIONS times (default 200,000) on one thread and prints
// the mean ns per scrub: a process that does nothing else, for `perf record` of the
// engine's scrub step (the benchmark harness adds its own threads and set-up to a profile).
import ClaimScrub
import Dispatch
import Foundation

let args = CommandLine.arguments
guard args.count >= 2, let data = FileManager.default.contents(atPath: args[1]) else {
    FileHandle.standardError.write(Data("usage: scrub-loop FILE.claim.json [ITERATIONS]\n".utf8))
    exit(2)
}
let iterations = args.count > 2 ? Int(args[2]) ?? 200_000 : 200_000
let config = ProcessInfo.processInfo.environment["CLAIMSCRUB_CONFIG"]
    ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path + "/Config"
let engine = try ScrubEngine.load(configDirectory: config)
let claim = try ClaimDecoder.decode([UInt8](data))
let today = ServiceDate(iso: "2026-06-01")!

var findings = 0
let started = DispatchTime.now().uptimeNanoseconds
for _ in 0..<iterations {
    findings &+= engine.scrub(claim, today: today).findings.count
}
let elapsed = DispatchTime.now().uptimeNanoseconds - started
print("\(Double(elapsed) / Double(iterations)) ns/scrub (\(findings / max(1, iterations)) findings)")
