import ArgumentParser
import ClaimScrub
import Dispatch
import Foundation
import HTTPServer
import Logging
import ScrubService

/// `claimscrub serve`: load the settings and the engine, then serve API.md §1 until
/// SIGTERM or SIGINT, which drain the requests in flight and exit 0.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the claim-scrubbing HTTP service.",
        discussion: """
            Settings: built-in defaults < --config FILE (see Config/server.yaml) < CLAIMSCRUB_* \
            environment variables < --host, --port, --config-directory. SIGTERM or SIGINT drains \
            and exits 0; an unusable configuration exits 2.
            """
    )

    @Option(name: .customLong("config"), help: "Server settings file (server.yaml); default: built-in settings.")
    var configFile: String?

    @Option(help: "Address to listen on (default 127.0.0.1).")
    var host: String?

    @Option(help: "Port to listen on; 0 picks a free one (default 8080).")
    var port: Int?

    @Option(help: "The engine's configuration directory (rules, profiles, code sets).")
    var configDirectory: String?

    func run() async throws {
        let started = DispatchTime.now().uptimeNanoseconds
        let settings: ServiceConfiguration
        let apiKeys: APIKeyStore?
        do {
            settings = try ServiceConfiguration.load(
                flags: .init(configFile: configFile, host: host, port: port, configDirectory: configDirectory))
            apiKeys = try settings.loadAPIKeys()
        } catch {
            printError("claimscrub: configuration: \(error)")
            throw ExitCode(2)
        }

        let level = Logger.Level(rawValue: settings.logLevel) ?? .info
        // One writer thread for every log line: under load lines leave in batches, not one
        // `write(2)` per request. Flushed before any return or exit below.
        let logBuffer = LogLineBuffer(fileDescriptor: STDERR_FILENO)
        defer { logBuffer.flush() }
        LoggingSystem.bootstrap { label in JSONLogHandler(label: label, level: level, buffer: logBuffer) }
        let logger = Logger(label: "claimscrub")

        let engine: ScrubEngine
        do {
            engine = try ScrubEngine.load(configDirectory: ConfigLocator.locate(explicit: settings.configDirectory))
        } catch {
            printError("claimscrub: configuration: \(error)")
            throw ExitCode(2)
        }
        let scrubber = EngineScrubber(engine: engine)

        // The service is the server's handler, so it exists first; it reaches the server
        // (draining, connection count) through this reference once the server is built.
        let serverRef = ServerReference()
        let metrics = ServiceMetrics(
            buildInfo: .init(version: claimscrubVersion, rulesVersion: scrubber.rulesVersion, codeSet: scrubber.codeSetVersion),
            openConnections: { serverRef.server?.connectionCount ?? 0 })
        let service = ClaimScrubService(
            engine: scrubber, apiKeys: apiKeys, exemptPaths: settings.auth.exemptPaths, metrics: metrics,
            logger: logger, isDraining: { serverRef.server?.isDraining ?? false })
        let server = HTTPServer(
            configuration: settings.serverConfiguration, handler: service, logger: logger,
            onResponse: { service.recordServerRejection($0) })
        serverRef.server = server
        do {
            try server.start()
        } catch {
            printError("claimscrub: cannot listen on \(settings.host):\(settings.port): \(error)")
            throw ExitCode(2)
        }
        // Signals drain from here on: installed before `ready` is announced, so no client or
        // orchestrator that saw the process ready can kill it with SIGTERM/SIGINT's default action.
        let (stopped, stop) = AsyncStream<Void>.makeStream()
        server.installSignalHandlers {
            stop.yield()
            stop.finish()
        }

        let startupMs = (DispatchTime.now().uptimeNanoseconds - started) / 1_000_000
        logger.info("ready", metadata: [
            "listen": "\(settings.host):\(server.port)",
            "startupMs": "\(startupMs)",
            "rulesVersion": "\(scrubber.rulesVersion)",
            "codeSet": "\(scrubber.codeSetVersion)",
            "auth": "\(apiKeys.map { "\($0.entries.count) keys" } ?? "off")",
        ])
        for await _ in stopped { break }
        logger.info("stopped")
    }
}

/// The server, set once it is built; read by the service's readiness and metrics.
final class ServerReference: @unchecked Sendable {
    private let lock = NSLock()
    private var value: HTTPServer?
    var server: HTTPServer? {
        get { lock.withLock { value } }
        set { lock.withLock { value = newValue } }
    }
}


let claimscrubVersion = "0.1.0"

/// `claimscrub apikey hash`: prints the keys-file line for a key read from standard
/// input (not an argument: arguments show in `ps` and shell history).
struct APIKeyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apikey",
        abstract: "Make API-key digests for the keys file (auth.keysFile).",
        subcommands: [Hash.self]
    )

    struct Hash: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Read one key from standard input and print its keys-file line.")

        @Option(help: "The name the key appears under in request logs.")
        var name: String?

        func run() throws {
            // One line: `printf %s KEY | …` and `echo KEY | …` give the same digest.
            guard let line = readLine(strippingNewline: true), !line.isEmpty else {
                printError("claimscrub: apikey hash: no key on standard input")
                throw ExitCode(2)
            }
            let digest = SHA256.hex(SHA256.hash(line.utf8))
            print(name.map { "\($0): \(digest)" } ?? digest)
        }
    }
}
