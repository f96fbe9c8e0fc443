import Benchmark
import ClaimScrub
import Foundation

// The engine's steps, each on its own: decode, scrub, encode, code-set and engine
// loading. Figures and how to read them: docs/performance.md.

/// The repository root, from this file's place in it (no bundled resources).
private let repoRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<4 { url.deleteLastPathComponent() }  // ClaimScrubBenchmarks, Benchmarks, Benchmarks, file
    return url.path
}()
private let configDirectory = repoRoot + "/Config"

private func fixture(_ name: String) -> [UInt8] {
    let path = repoRoot + "/Benchmarks/Fixtures/" + name
    guard let data = FileManager.default.contents(atPath: path) else { fatalError("missing fixture \(path)") }
    return [UInt8](data)
}

/// A fixed `today` so results do not move with the calendar.
private let today = ServiceDate(iso: "2026-06-01")!

/// Engine and claims are built once, outside the measured closures.
private final class Shared: Sendable {
    let engine: ScrubEngine
    let typicalJSON = fixture("typical.claim.json")
    let worstJSON = fixture("worst-case.claim.json")
    let typical: Claim
    let worst: Claim
    let typicalResult: ScrubResult
    let worstResult: ScrubResult
    let ndjson: [UInt8]

    init() {
        do {
            engine = try ScrubEngine.load(configDirectory: configDirectory)
            typical = try ClaimDecoder.decode(typicalJSON)
            worst = try ClaimDecoder.decode(worstJSON)
        } catch {
            fatalError("benchmark set-up: \(error)")
        }
        typicalResult = engine.scrub(typical, today: today)
        worstResult = engine.scrub(worst, today: today)
        // 1,000 typical claims, one per line, for the batch pipeline.
        var lines: [UInt8] = []
        let oneLine = typicalJSON.filter { $0 != 0x0A }
        for _ in 0..<1_000 { lines += oneLine + [0x0A] }
        ndjson = lines
    }
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal, .peakMemoryResident],
        warmupIterations: 10,
        maxDuration: .seconds(2),
        maxIterations: 100_000
    )
    let shared = Shared()

    Benchmark("Decode typical claim (3 dx, 4 lines)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try ClaimDecoder.decode(shared.typicalJSON))
        }
    }
    Benchmark("Scrub typical claim (3 dx, 4 lines)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(shared.engine.scrub(shared.typical, today: today))
        }
    }
    Benchmark("Encode typical result") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(shared.typicalResult.encodeJSON())
        }
    }
    // The yardstick for the scrub step: the JSON work around it for the same claim.
    Benchmark("Decode + encode typical claim") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try ClaimDecoder.decode(shared.typicalJSON))
            blackHole(shared.typicalResult.encodeJSON())
        }
    }
    Benchmark("Decode + scrub + encode typical claim") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try shared.engine.scrub(json: shared.typicalJSON, today: today).encodeJSON())
        }
    }

    Benchmark("Decode worst-case claim (12 dx, 50 lines)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try ClaimDecoder.decode(shared.worstJSON))
        }
    }
    Benchmark("Scrub worst-case claim (12 dx, 50 lines)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(shared.engine.scrub(shared.worst, today: today))
        }
    }
    Benchmark("Encode worst-case result") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(shared.worstResult.encodeJSON())
        }
    }

    // Start-up costs: a few iterations are enough, each takes tens of milliseconds or more.
    let slow = Benchmark.Configuration(warmupIterations: 1, maxDuration: .seconds(5), maxIterations: 20)
    Benchmark("Load both code sets", configuration: slow) { benchmark in
        blackHole(try CodeSetSource.loadLibrary(configDirectory: configDirectory))
    }
    Benchmark("Load engine (configuration, code sets, rule data)", configuration: slow) { benchmark in
        blackHole(try ScrubEngine.load(configDirectory: configDirectory))
    }

    // Placeholder for the X12 837 reader (branch `x12`): once it lands, add
    //   Benchmark("Parse 100-claim 837 interchange") { ... }
    // over a 100-claim interchange fixture in Benchmarks/Fixtures, measuring the reader
    // alone (claims out, no scrub), with the same metrics as the decode benchmarks.
}
