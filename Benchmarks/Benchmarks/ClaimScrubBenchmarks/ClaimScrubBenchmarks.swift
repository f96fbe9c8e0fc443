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
    let ndjsonLines: [NDJSONLine]
    let interchange837 = X12Fixtures.interchange(claims: 100)

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
        // 1,000 typical claims, as NDJSON lines, for the batch pipeline.
        let oneLine = typicalJSON.filter { $0 != 0x0A }
        ndjsonLines = (1...1_000).map { NDJSONLine(number: $0, bytes: oneLine) }
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
    // The previous decoder (a JSONValue tree, then the walk into Claim): it still reports
    // input errors, and it is the yardstick for the one-pass decoder above.
    Benchmark("Decode typical claim via JSON tree (error path)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try ClaimDecoder.decode(try JSONParser.parse(shared.typicalJSON)))
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

    // The scrub-step ratio's four steps again, timed with no allocation counting: counting
    // (the MallocInterposer metric) adds a few hundred nanoseconds to every sample, which
    // weighs far more on a 1 µs scrub than on a 5 µs decode + encode. The steps above report
    // the allocations; these report the time the ratio is read from.
    let timeOnly = Benchmark.Configuration(metrics: [.wallClock, .throughput])
    Benchmark("Time only: decode typical claim", configuration: timeOnly) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try ClaimDecoder.decode(shared.typicalJSON))
        }
    }
    Benchmark("Time only: scrub typical claim", configuration: timeOnly) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(shared.engine.scrub(shared.typical, today: today))
        }
    }
    Benchmark("Time only: encode typical result", configuration: timeOnly) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(shared.typicalResult.encodeJSON())
        }
    }
    Benchmark("Time only: decode + encode typical claim", configuration: timeOnly) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try ClaimDecoder.decode(shared.typicalJSON))
            blackHole(shared.typicalResult.encodeJSON())
        }
    }

    Benchmark("Decode worst-case claim (12 dx, 50 lines)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try ClaimDecoder.decode(shared.worstJSON))
        }
    }
    Benchmark("Decode worst-case claim via JSON tree (error path)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try ClaimDecoder.decode(try JSONParser.parse(shared.worstJSON)))
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

    // The offline batch path: decode, scrub and encode 1,000 claims on every core, in order.
    let batch = Benchmark.Configuration(warmupIterations: 2, scalingFactor: .kilo, maxDuration: .seconds(3), maxIterations: 1_000)
    Benchmark("BatchScrubber 1,000 typical claims (all cores)", configuration: batch) { benchmark in
        let scrubber = BatchScrubber(engine: shared.engine, today: today)
        blackHole(scrubber.scrub(shared.ndjsonLines) { _, result in (try? result.get())?.encodeJSON() })
    }

    // X12 837P: parse a 100-claim interchange into claims (no scrub).
    let x12 = Benchmark.Configuration(warmupIterations: 3, maxDuration: .seconds(2), maxIterations: 10_000)
    Benchmark("Parse 100-claim 837 interchange", configuration: x12) { benchmark in
        blackHole(try X837Reader.read(shared.interchange837))
    }
}
