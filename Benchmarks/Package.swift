// swift-tools-version: 6.1
// A package of its own so that the service and CI never build the benchmark dependencies.
// Run from this folder: `swift package benchmark` (see docs/performance.md).
import PackageDescription

// A path dependency is named after its folder, which differs between clones (and worktrees).
let rootPackage = String(Context.packageDirectory.split(separator: "/").dropLast().last ?? "claimscrub")

let package = Package(
    name: "claimscrub-benchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", exact: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "ClaimScrubBenchmarks",
            dependencies: [
                .product(name: "ClaimScrub", package: rootPackage),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/ClaimScrubBenchmarks",
            plugins: [
                .plugin(name: "BenchmarkPlugin", package: "benchmark"),
            ]
        ),
        // The offline batch path end to end (read, scrub, encode, write) on the engine's
        // streaming pipeline: `claimscrub scrub` on NDJSON, measured without the CLI.
        .executableTarget(
            name: "scrub-throughput",
            dependencies: [.product(name: "ClaimScrub", package: rootPackage)],
            path: "Tools/ScrubThroughput"
        ),
        // One claim scrubbed in a loop on one thread: a clean process to profile the scrub step.
        .executableTarget(
            name: "scrub-loop",
            dependencies: [.product(name: "ClaimScrub", package: rootPackage)],
            path: "Tools/ScrubLoop"
        ),
    ],
    swiftLanguageModes: [.v6]
)
