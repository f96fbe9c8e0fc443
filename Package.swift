// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "claimscrub",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "claimscrub", targets: ["claimscrub"]),
        .library(name: "ClaimScrub", targets: ["ClaimScrub"]),
        .library(name: "HTTPServer", targets: ["HTTPServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // System libraries: a module map and a shim header each, nothing else.
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .systemLibrary(
            name: "COpenSSL",
            pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"])]
        ),
        // epoll, eventfd, prctl (Linux headers; nothing to link).
        .systemLibrary(name: "CLinux"),

        // Streaming gzip/zlib over CZlib, shared by the engine (code-set files) and the server (bodies).
        .target(name: "ZlibStream", dependencies: ["CZlib"]),

        // The engine: claim model, code sets, rules, findings. No I/O but reading its data.
        .target(
            name: "ClaimScrub",
            dependencies: [
                "ZlibStream",
                .product(name: "Yams", package: "Yams"),
            ]
        ),

        // HTTP/1.1 on sockets, one epoll event loop per core. Knows nothing of claims.
        .target(
            name: "HTTPServer",
            dependencies: [
                "CLinux",
                "COpenSSL",
                "ZlibStream",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // The routes: JSON in, engine, JSON out; auth, metrics, config wiring.
        .target(
            name: "ScrubService",
            dependencies: [
                "ClaimScrub",
                "HTTPServer",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),

        // The command line.
        .executableTarget(
            name: "claimscrub",
            dependencies: [
                "ClaimScrub",
                "COpenSSL",
                "ScrubService",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // Fixtures are read from #filePath, not bundled as resources.
        .testTarget(name: "ClaimScrubTests", dependencies: ["ClaimScrub"], exclude: ["Fixtures"]),
        .testTarget(
            name: "HTTPServerTests",
            dependencies: ["HTTPServer", "COpenSSL", "CZlib", "ZlibStream", .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(
            name: "ScrubServiceTests",
            dependencies: ["ScrubService", "ClaimScrub", "HTTPServer", .product(name: "Yams", package: "Yams")]
        ),
        .testTarget(
            name: "claimscrubTests",
            dependencies: [
                "claimscrub", "HTTPServer",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
