// scrub-throughput FILE.ndjson [--serial] [--batch N]
//
// What `claimscrub scrub --format json FILE.ndjson` does, over the engine's streaming
// pipeline (NDJSONReader + BatchScrubber): one ScrubResult line per claim on stdout,
// written a batch at a time. Prints claims/s to stderr. --serial scrubs on one thread
// (the same reader, batch of one claim at a time), for comparison.
import ClaimScrub
import Dispatch
import Foundation

let args = CommandLine.arguments
guard args.count >= 2 else {
    FileHandle.standardError.write(Data("usage: scrub-throughput FILE.ndjson [--serial] [--batch N]\n".utf8))
    exit(2)
}
let path = args[1]
let serial = args.contains("--serial")
let batch = args.firstIndex(of: "--batch").flatMap { Int(args[$0 + 1]) } ?? 8_192
let config = ProcessInfo.processInfo.environment["CLAIMSCRUB_CONFIG"]
    ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path + "/Config"

let started = DispatchTime.now().uptimeNanoseconds
let engine = try ScrubEngine.load(configDirectory: config)
let loaded = DispatchTime.now().uptimeNanoseconds
guard let reader = NDJSONReader(path: path) else {
    FileHandle.standardError.write(Data("cannot open \(path)\n".utf8))
    exit(2)
}
let today = ServiceDate(iso: "2026-06-01")!
var claims = 0
var unusable = 0
var out: [UInt8] = []
out.reserveCapacity(8 << 20)

func writeOut(_ bytes: [UInt8]) {
    bytes.withUnsafeBytes { buf in
        var offset = 0
        while offset < buf.count {
            let n = write(1, buf.baseAddress! + offset, buf.count - offset)
            if n <= 0 { return }
            offset += n
        }
    }
}

let scrubber = BatchScrubber(engine: engine, today: today, batchSize: serial ? 1 : batch)
try scrubber.run(reader, transform: { _, result -> [UInt8]? in
    guard case .success(let r) = result else { return nil }
    return r.encodeJSON() + [0x0A]
}, emit: { outputs in
    out.removeAll(keepingCapacity: true)
    for o in outputs {
        claims += 1
        if let o { out += o } else { unusable += 1 }
    }
    writeOut(out)
})
let done = DispatchTime.now().uptimeNanoseconds
let seconds = Double(done - loaded) / 1e9
FileHandle.standardError.write(Data(String(
    format: "claims %d (unusable %d)  load %.0f ms  scrub %.2f s  %.0f claims/s  (%@)\n",
    claims, unusable, Double(loaded - started) / 1e6, seconds, Double(claims) / seconds,
    serial ? "serial" : "parallel, batch \(batch)").utf8))
