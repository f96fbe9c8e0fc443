import Foundation
import Yams

/// A configuration value that cannot be used: where it came from (file and line,
/// environment variable or flag), which key, and what would have been accepted.
public struct ConfigurationError: Error, Equatable, CustomStringConvertible {
    public var source: String
    public var key: String
    public var expected: String
    public var found: String?

    public init(source: String, key: String, expected: String, found: String? = nil) {
        self.source = source
        self.key = key
        self.expected = expected
        self.found = found
    }

    public var description: String {
        var text = "\(source): \(key): expected \(expected)"
        if let found { text += ", found \"\(found)\"" }
        return text
    }
}

/// The server's settings: built-in defaults, then `server.yaml`, then `CLAIMSCRUB_*`
/// environment variables, then command-line flags; each later layer overrides.
public struct ServiceConfiguration: Sendable, Equatable {
    public var host = "127.0.0.1"
    public var port = 8080
    public var backlog = 511
    public var maxConnections = 1024
    public var maxBodyBytes = 1 << 20
    /// `POST /v1/scrub/batch` streams at once (each on its own thread); more are answered 503.
    public var maxStreamingRequests = 4
    /// A streamed body's limit (after gzip decoding too), instead of `maxBodyBytes`.
    public var maxStreamingBodyBytes = 1 << 30
    public var maxHeaderBytes = 16 << 10
    /// Event-loop threads of the HTTP server; 0 means one per CPU the process may use.
    public var eventLoops = 0
    public var headerTimeout: Duration = .seconds(10)
    /// The whole body must arrive within this after the head.
    public var bodyTimeout: Duration = .seconds(60)
    /// Longest pause between two reads of a body.
    public var bodyIdleTimeout: Duration = .seconds(10)
    public var idleTimeout: Duration = .seconds(60)
    public var writeTimeout: Duration = .seconds(10)
    public var drainDeadline: Duration = .seconds(25)
    public var auth = Auth()
    public var logLevel = "info"
    /// The engine's configuration directory (rule packs, payer profiles, code sets); nil
    /// lets the command line find it as `claimscrub scrub` does (`CLAIMSCRUB_CONFIG`, `./Config` …).
    public var configDirectory: String?

    public struct Auth: Sendable, Equatable {
        public var enabled = false
        public var keysFile: String?
        /// Paths served without a key (exact match on the request path).
        public var exemptPaths = ["/healthz", "/readyz", "/metrics"]
        public init() {}
    }

    /// HTTPS: with a certificate and key the server speaks only TLS (1.2 and 1.3).
    public var tls = TLS()
    public var compression = Compression()

    public struct TLS: Sendable, Equatable {
        public var certificateFile: String?
        public var keyFile: String?
        /// CA bundle that client certificates must chain to (mTLS).
        public var clientCAFile: String?
        /// `none`, `optional` or `required`.
        public var clientAuth = "none"
        public var handshakeTimeout: Duration = .seconds(10)
        public init() {}
        public var enabled: Bool { certificateFile != nil || keyFile != nil }
    }

    public struct Compression: Sendable, Equatable {
        /// Most bytes a gzip/deflate request body may inflate to (413 beyond).
        public var maxDecompressedBytes = 8 << 20
        /// Most inflated bytes per received byte (413 beyond: decompression bombs).
        public var maxRatio = 100
        /// Responses this large or larger are gzipped when the client accepts it; nil: never.
        public var minBytes: Int? = 1024
        public var level = 6
        public init() {}
    }

    public init() {}

    /// Values given on the command line (`claimscrub serve --host H --port P`).
    public struct Flags: Sendable, Equatable {
        public var configFile: String?
        public var host: String?
        public var port: Int?
        public var configDirectory: String?
        public init(configFile: String? = nil, host: String? = nil, port: Int? = nil, configDirectory: String? = nil) {
            self.configFile = configFile
            self.host = host
            self.port = port
            self.configDirectory = configDirectory
        }
    }

    /// The whole precedence chain. The file is `flags.configFile`, else
    /// `CLAIMSCRUB_CONFIG_FILE`, else none (built-in defaults).
    public static func load(
        flags: Flags = Flags(), environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ConfigurationError) -> ServiceConfiguration {
        var config = ServiceConfiguration()
        if let file = flags.configFile ?? environment["CLAIMSCRUB_CONFIG_FILE"] {
            let text: String
            do {
                text = try String(contentsOfFile: file, encoding: .utf8)
            } catch {
                throw ConfigurationError(source: file, key: "(file)", expected: "a readable UTF-8 YAML file")
            }
            try config.apply(yaml: text, source: file)
        }
        try config.apply(environment: environment)
        try config.apply(flags: flags)
        try config.validate(source: flags.configFile ?? environment["CLAIMSCRUB_CONFIG_FILE"] ?? "configuration")
        return config
    }

    /// Checks that need several keys at once.
    func validate(source: String) throws(ConfigurationError) {
        if tls.enabled && (tls.certificateFile == nil || tls.keyFile == nil) {
            throw ConfigurationError(
                source: source, key: tls.certificateFile == nil ? "tls.certificateFile" : "tls.keyFile",
                expected: "both tls.certificateFile and tls.keyFile (PEM files), or neither for plain HTTP")
        }
        if tls.clientAuth != "none" && tls.clientCAFile == nil {
            throw ConfigurationError(
                source: source, key: "tls.clientCAFile",
                expected: "a CA bundle (PEM) to verify client certificates when tls.clientAuth is \(tls.clientAuth)")
        }
        if tls.clientAuth != "none" && !tls.enabled {
            throw ConfigurationError(source: source, key: "tls.clientAuth", expected: "none unless TLS is on (tls.certificateFile)")
        }
    }

    // MARK: - Keys

    /// One settable key: its YAML path, its environment variable and how to apply a text value.
    struct Key: Sendable {
        var path: String
        var environment: String
        var expected: String
        var apply: @Sendable (inout ServiceConfiguration, String, _ baseDirectory: String?) -> Bool
    }

    static let keys: [Key] = [
        Key(path: "host", environment: "CLAIMSCRUB_HOST", expected: "a host name or IP address") { c, v, _ in
            guard !v.isEmpty, !v.contains(where: { $0 == " " || $0 == "/" }) else { return false }
            c.host = v
            return true
        },
        intKey("port", "CLAIMSCRUB_PORT", 0...65535, \.port),
        intKey("backlog", "CLAIMSCRUB_BACKLOG", 1...65535, \.backlog),
        intKey("maxConnections", "CLAIMSCRUB_MAX_CONNECTIONS", 1...1_000_000, \.maxConnections),
        intKey("maxBodyBytes", "CLAIMSCRUB_MAX_BODY_BYTES", 1...(1 << 34), \.maxBodyBytes),
        intKey("maxStreamingRequests", "CLAIMSCRUB_MAX_STREAMING_REQUESTS", 1...1024, \.maxStreamingRequests),
        intKey("maxStreamingBodyBytes", "CLAIMSCRUB_MAX_STREAMING_BODY_BYTES", 1...(1 << 50), \.maxStreamingBodyBytes),
        intKey("maxHeaderBytes", "CLAIMSCRUB_MAX_HEADER_BYTES", 256...(1 << 24), \.maxHeaderBytes),
        intKey("eventLoops", "CLAIMSCRUB_EVENT_LOOPS", 0...1024, \.eventLoops),
        durationKey("headerTimeout", "CLAIMSCRUB_HEADER_TIMEOUT", \.headerTimeout),
        durationKey("bodyTimeout", "CLAIMSCRUB_BODY_TIMEOUT", \.bodyTimeout),
        durationKey("bodyIdleTimeout", "CLAIMSCRUB_BODY_IDLE_TIMEOUT", \.bodyIdleTimeout),
        durationKey("idleTimeout", "CLAIMSCRUB_IDLE_TIMEOUT", \.idleTimeout),
        durationKey("writeTimeout", "CLAIMSCRUB_WRITE_TIMEOUT", \.writeTimeout),
        durationKey("drainDeadline", "CLAIMSCRUB_DRAIN_DEADLINE", \.drainDeadline),
        Key(path: "auth.enabled", environment: "CLAIMSCRUB_AUTH_ENABLED", expected: "true or false") { c, v, _ in
            guard let b = parseBool(v) else { return false }
            c.auth.enabled = b
            return true
        },
        Key(path: "auth.keysFile", environment: "CLAIMSCRUB_AUTH_KEYS_FILE", expected: "a file path") { c, v, base in
            guard !v.isEmpty else { return false }
            c.auth.keysFile = resolve(v, against: base)
            return true
        },
        Key(
            path: "auth.exemptPaths", environment: "CLAIMSCRUB_AUTH_EXEMPT_PATHS",
            expected: "a list of paths starting with /"
        ) { c, v, _ in
            let paths = v.split(separator: ",").map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
            guard paths.allSatisfy({ $0.hasPrefix("/") }) else { return false }
            c.auth.exemptPaths = paths
            return true
        },
        Key(
            path: "log.level", environment: "CLAIMSCRUB_LOG_LEVEL",
            expected: "one of trace, debug, info, notice, warning, error, critical"
        ) { c, v, _ in
            guard ["trace", "debug", "info", "notice", "warning", "error", "critical"].contains(v) else { return false }
            c.logLevel = v
            return true
        },
        fileKey("tls.certificateFile", "CLAIMSCRUB_TLS_CERTIFICATE_FILE", \.tls.certificateFile),
        fileKey("tls.keyFile", "CLAIMSCRUB_TLS_KEY_FILE", \.tls.keyFile),
        fileKey("tls.clientCAFile", "CLAIMSCRUB_TLS_CLIENT_CA_FILE", \.tls.clientCAFile),
        Key(path: "tls.clientAuth", environment: "CLAIMSCRUB_TLS_CLIENT_AUTH", expected: "one of none, optional, required") { c, v, _ in
            guard ["none", "optional", "required"].contains(v) else { return false }
            c.tls.clientAuth = v
            return true
        },
        durationKey("tls.handshakeTimeout", "CLAIMSCRUB_TLS_HANDSHAKE_TIMEOUT", \.tls.handshakeTimeout),
        intKey("compression.maxDecompressedBytes", "CLAIMSCRUB_COMPRESSION_MAX_DECOMPRESSED_BYTES", 1024...(1 << 34),
               \.compression.maxDecompressedBytes),
        intKey("compression.maxRatio", "CLAIMSCRUB_COMPRESSION_MAX_RATIO", 2...100_000, \.compression.maxRatio),
        Key(path: "compression.minBytes", environment: "CLAIMSCRUB_COMPRESSION_MIN_BYTES", expected: "an integer ≥ 0, or off") {
            c, v, _ in
            if v == "off" {
                c.compression.minBytes = nil
                return true
            }
            guard let n = Int(v), n >= 0 else { return false }
            c.compression.minBytes = n
            return true
        },
        intKey("compression.level", "CLAIMSCRUB_COMPRESSION_LEVEL", 1...9, \.compression.level),
        Key(path: "configDirectory", environment: "CLAIMSCRUB_CONFIG_DIRECTORY", expected: "a directory path") {
            c, v, base in
            guard !v.isEmpty else { return false }
            c.configDirectory = resolve(v, against: base)
            return true
        },
    ]

    private static func intKey(
        _ path: String, _ env: String, _ range: ClosedRange<Int>, _ field: WritableKeyPath<ServiceConfiguration, Int> & Sendable
    ) -> Key {
        Key(path: path, environment: env, expected: "an integer in \(range.lowerBound)…\(range.upperBound)") { c, v, _ in
            guard let n = Int(v), range.contains(n) else { return false }
            c[keyPath: field] = n
            return true
        }
    }

    private static func fileKey(
        _ path: String, _ env: String, _ field: WritableKeyPath<ServiceConfiguration, String?> & Sendable
    ) -> Key {
        Key(path: path, environment: env, expected: "a file path") { c, v, base in
            guard !v.isEmpty else { return false }
            c[keyPath: field] = resolve(v, against: base)
            return true
        }
    }

    private static func durationKey(
        _ path: String, _ env: String, _ field: WritableKeyPath<ServiceConfiguration, Duration> & Sendable
    ) -> Key {
        Key(path: path, environment: env, expected: "a duration such as 10s, 250ms, 2m or 1h") { c, v, _ in
            guard let d = parseDuration(v) else { return false }
            c[keyPath: field] = d
            return true
        }
    }

    // MARK: - Layers

    /// Applies a `server.yaml` document. Unknown keys are errors: a misspelt key would
    /// otherwise silently leave a default in force.
    public mutating func apply(yaml text: String, source: String) throws(ConfigurationError) {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw ConfigurationError(source: source, key: "(document)", expected: "well-formed YAML")
        }
        guard let root else { return }  // an empty file is all defaults
        let base = (source as NSString).deletingLastPathComponent
        var flat: [(path: String, node: Node)] = []
        try Self.flatten(root, prefix: "", source: source, into: &flat)
        for (path, node) in flat {
            let where_ = node.mark.map { "\(source):\($0.line)" } ?? source
            guard let key = Self.keys.first(where: { $0.path == path }) else {
                throw ConfigurationError(
                    source: where_, key: path,
                    expected: "one of the known keys (\(Self.keys.map(\.path).joined(separator: ", ")))")
            }
            let value: String
            switch node {
            case .scalar(let s):
                value = s.string
            case .sequence(let seq) where path == "auth.exemptPaths":
                var items: [String] = []
                for item in seq {
                    guard case .scalar(let s) = item else {
                        throw ConfigurationError(source: where_, key: path, expected: key.expected)
                    }
                    items.append(s.string)
                }
                value = items.joined(separator: ",")
            default:
                throw ConfigurationError(source: where_, key: path, expected: key.expected)
            }
            guard key.apply(&self, value, base.isEmpty ? nil : base) else {
                throw ConfigurationError(source: where_, key: path, expected: key.expected, found: value)
            }
        }
    }

    private static func flatten(
        _ node: Node, prefix: String, source: String, into out: inout [(path: String, node: Node)]
    ) throws(ConfigurationError) {
        guard case .mapping(let mapping) = node else {
            throw ConfigurationError(source: source, key: prefix.isEmpty ? "(document)" : prefix, expected: "a mapping")
        }
        for (k, v) in mapping {
            guard case .scalar(let ks) = k else {
                throw ConfigurationError(source: source, key: prefix, expected: "string keys")
            }
            let path = prefix.isEmpty ? ks.string : prefix + "." + ks.string
            // A mapping is a section when some key lives under it (`auth`, `log`, `tls` …).
            if case .mapping = v, Self.keys.contains(where: { $0.path.hasPrefix(path + ".") }) {
                try flatten(v, prefix: path, source: source, into: &out)
            } else {
                out.append((path, v))
            }
        }
    }

    public mutating func apply(environment: [String: String]) throws(ConfigurationError) {
        for key in Self.keys {
            guard let value = environment[key.environment] else { continue }
            guard key.apply(&self, value.trimmingWhitespace(), nil) else {
                throw ConfigurationError(
                    source: "environment variable \(key.environment)", key: key.path, expected: key.expected,
                    found: value)
            }
        }
    }

    public mutating func apply(flags: Flags) throws(ConfigurationError) {
        if let host = flags.host {
            guard Self.keys[0].apply(&self, host, nil) else {
                throw ConfigurationError(source: "--host", key: "host", expected: Self.keys[0].expected, found: host)
            }
        }
        if let port = flags.port {
            guard (0...65535).contains(port) else {
                throw ConfigurationError(source: "--port", key: "port", expected: "an integer in 0…65535", found: String(port))
            }
            self.port = port
        }
        if let directory = flags.configDirectory {
            guard !directory.isEmpty else {
                throw ConfigurationError(source: "--config-directory", key: "configDirectory", expected: "a directory path")
            }
            configDirectory = directory
        }
    }

    // MARK: - Value syntax

    /// `10s`, `250ms`, `2m`, `1h`, `1.5s`; a bare number is not accepted (the unit would be a guess).
    public static func parseDuration(_ text: String) -> Duration? {
        let units: [(suffix: String, nanos: Double)] = [("ms", 1e6), ("s", 1e9), ("m", 60e9), ("h", 3600e9)]
        for (suffix, nanos) in units where text.hasSuffix(suffix) {
            let number = text.dropLast(suffix.count)
            guard !number.isEmpty, number.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
                  let value = Double(number), value >= 0 else { return nil }
            let total = value * nanos
            guard total < 1e18 else { return nil }
            return .nanoseconds(Int64(total.rounded()))
        }
        return nil
    }

    static func parseBool(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "true", "yes", "on", "1": true
        case "false", "no", "off", "0": false
        default: nil
        }
    }

    static func resolve(_ path: String, against base: String?) -> String {
        guard let base, !path.hasPrefix("/") else { return path }
        return base + "/" + path
    }
}
