// scrub-loop FILE.claim.json [ITERATIONS] [steps]
//
// Scrubs one decoded claim ITERATIONS times (default 200,000) on one thread and prints
// the mean ns per scrub: a process that does nothing else, for `perf record` of the
// engine's scrub step (the benchmark harness adds its own threads and set-up to a profile).
// With `steps`, it times decode, scrub and encode of the claim in turn, rounds of 10,000
// each, and prints the median round of each and scrub ÷ (decode + encode): issue #8's
// ratio in one process, for a quick check between benchmark runs.
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

if args.count > 3 && args[3] == "steps" {
    let bytes = [UInt8](data)
    let result = engine.scrub(claim, today: today)
    let round = 10_000
    var decode: [Double] = [], scrub: [Double] = [], encode: [Double] = []
    var sink = 0
    func time(_ body: () throws -> Int) rethrows -> Double {
        let t0 = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<round { sink &+= try body() }
        return Double(DispatchTime.now().uptimeNanoseconds - t0) / Double(round)
    }
    for _ in 0..<max(1, iterations / round) {
        decode.append(try time { try ClaimDecoder.decode(bytes).diagnoses?.count ?? 0 })
        scrub.append(time { engine.scrub(claim, today: today).findings.count })
        encode.append(time { result.encodeJSON().count })
    }
    func median(_ xs: [Double]) -> Double { xs.sorted()[xs.count / 2] }
    let (d, s, e) = (median(decode), median(scrub), median(encode))
    print(String(format: "decode %.0f ns  scrub %.0f ns  encode %.0f ns  scrub/(decode+encode) %.2f  (%d rounds, sink %d)",
                 d, s, e, s / (d + e), decode.count, sink % 10))
    exit(0)
}

var findings = 0
let started = DispatchTime.now().uptimeNanoseconds
for _ in 0..<iterations {
    findings &+= engine.scrub(claim, today: today).findings.count
}
let elapsed = DispatchTime.now().uptimeNanoseconds - started
print("\(Double(elapsed) / Double(iterations)) ns/scrub (\(findings / max(1, iterations)) findings)")
