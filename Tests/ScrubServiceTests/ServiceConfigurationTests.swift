import Foundation
import Testing
@testable import ScrubService

@Suite struct ServiceConfigurationTests {
    /// A scratch file for one test.
    func write(_ text: String, name: String = "server.yaml") throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("claimscrub-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    @Test func noFileGivesTheBuiltInDefaults() throws {
        let c = try ServiceConfiguration.load(flags: .init(), environment: [:])
        #expect(c.host == "127.0.0.1")
        #expect(c.port == 8080)
        #expect(c.maxBodyBytes == 1_048_576)
        #expect(c.maxHeaderBytes == 16_384)
        #expect(c.headerTimeout == .seconds(10))
        #expect(c.idleTimeout == .seconds(60))
        #expect(c.drainDeadline == .seconds(25))
        #expect(c.auth.enabled == false)
        #expect(c.auth.exemptPaths == ["/healthz", "/readyz", "/metrics"])
    }

    @Test func theShippedServerYamlLoadsAndMatchesTheDefaults() throws {
        let file = repositoryRoot.appendingPathComponent("Config/server.yaml").path
        let c = try ServiceConfiguration.load(flags: .init(configFile: file), environment: [:])
        var expected = ServiceConfiguration()
        expected.auth.keysFile = repositoryRoot.appendingPathComponent("Config").path + "/api-keys"
        expected.configDirectory = repositoryRoot.appendingPathComponent("Config").path + "/."
        #expect(c == expected)
    }

    @Test func everyKeyHasItsEnvironmentVariableDocumentedInServerYaml() throws {
        let text = try String(contentsOf: repositoryRoot.appendingPathComponent("Config/server.yaml"), encoding: .utf8)
        for key in ServiceConfiguration.keys {
            #expect(text.contains(key.environment), "\(key.environment) is not documented")
        }
    }

    @Test func precedenceIsFileThenEnvironmentThenFlags() throws {
        let file = try write("""
            host: 10.0.0.1
            port: 7000
            maxBodyBytes: 2048
            headerTimeout: 250ms
            auth:
              enabled: true
              keysFile: keys.txt
            """)
        let fromFile = try ServiceConfiguration.load(flags: .init(configFile: file), environment: [:])
        #expect(fromFile.host == "10.0.0.1")
        #expect(fromFile.port == 7000)
        #expect(fromFile.maxBodyBytes == 2048)
        #expect(fromFile.headerTimeout == .milliseconds(250))
        #expect(fromFile.auth.enabled)
        #expect(fromFile.auth.keysFile == (file as NSString).deletingLastPathComponent + "/keys.txt")

        let env = ["CLAIMSCRUB_PORT": "7001", "CLAIMSCRUB_HOST": "10.0.0.2", "CLAIMSCRUB_AUTH_EXEMPT_PATHS": "/healthz, /metrics"]
        let fromEnv = try ServiceConfiguration.load(flags: .init(configFile: file), environment: env)
        #expect(fromEnv.port == 7001)
        #expect(fromEnv.host == "10.0.0.2")
        #expect(fromEnv.maxBodyBytes == 2048)
        #expect(fromEnv.auth.exemptPaths == ["/healthz", "/metrics"])

        let fromFlags = try ServiceConfiguration.load(
            flags: .init(configFile: file, port: 7002, configDirectory: "/etc/claimscrub"),
            environment: env.merging(["CLAIMSCRUB_CONFIG_DIRECTORY": "/srv/config"]) { a, _ in a })
        #expect(fromFlags.port == 7002)
        #expect(fromFlags.host == "10.0.0.2")
        #expect(fromFlags.configDirectory == "/etc/claimscrub")
    }

    @Test func configFileMayComeFromTheEnvironment() throws {
        let file = try write("port: 9100\n")
        #expect(try ServiceConfiguration.load(environment: ["CLAIMSCRUB_CONFIG_FILE": file]).port == 9100)
    }

    @Test(arguments: [
        ("port: http\n", "port", "an integer in 0…65535", "http", 1),
        ("host: a\nidleTimeout: 10\n", "idleTimeout", "a duration such as 10s, 250ms, 2m or 1h", "10", 2),
        ("auth:\n  enabled: maybe\n", "auth.enabled", "true or false", "maybe", 2),
        ("log:\n  level: loud\n", "log.level", "one of trace, debug, info, notice, warning, error, critical", "loud", 2),
    ])
    func badFileValueNamesFileLineKeyAndExpectation(yaml: String, key: String, expected: String, found: String, line: Int) throws {
        let file = try write(yaml)
        #expect(throws: ConfigurationError(source: "\(file):\(line)", key: key, expected: expected, found: found)) {
            try ServiceConfiguration.load(flags: .init(configFile: file), environment: [:])
        }
    }

    @Test func unknownKeyIsAnError() throws {
        let file = try write("prot: 8080\n")
        do {
            _ = try ServiceConfiguration.load(flags: .init(configFile: file), environment: [:])
            Issue.record("accepted a misspelt key")
        } catch {
            #expect(error.key == "prot")
            #expect(error.description.hasPrefix("\(file):1: prot: expected one of the known keys"))
        }
    }

    @Test func unreadableOrMalformedFileIsAnError() throws {
        #expect(throws: ConfigurationError.self) {
            try ServiceConfiguration.load(flags: .init(configFile: "/nonexistent/server.yaml"), environment: [:])
        }
        let file = try write("port: [1, 2\n")
        #expect(throws: ConfigurationError(source: file, key: "(document)", expected: "well-formed YAML")) {
            try ServiceConfiguration.load(flags: .init(configFile: file), environment: [:])
        }
    }

    @Test func badEnvironmentValueNamesTheVariable() {
        let error = #expect(throws: ConfigurationError.self) {
            try ServiceConfiguration.load(environment: ["CLAIMSCRUB_MAX_BODY_BYTES": "1MB"])
        }
        #expect(error?.description == #"environment variable CLAIMSCRUB_MAX_BODY_BYTES: maxBodyBytes: expected an integer in 1…17179869184, found "1MB""#)
    }

    @Test func badFlagNamesTheFlag() {
        #expect(throws: ConfigurationError(source: "--port", key: "port", expected: "an integer in 0…65535", found: "70000")) {
            try ServiceConfiguration.load(flags: .init(port: 70000), environment: [:])
        }
    }

    @Test(arguments: [("10s", Duration.seconds(10)), ("250ms", .milliseconds(250)), ("2m", .seconds(120)),
                      ("1h", .seconds(3600)), ("1.5s", .milliseconds(1500)), ("0s", .zero)])
    func durations(text: String, expected: Duration) {
        #expect(ServiceConfiguration.parseDuration(text) == expected)
    }

    @Test(arguments: ["10", "s", "-1s", "10 s", "1e3ms", "ten s", ""])
    func badDurations(text: String) {
        #expect(ServiceConfiguration.parseDuration(text) == nil)
    }

    @Test func theExampleKeysFileParsesAndItsDigestIsOfTheNamedKey() throws {
        let text = try String(contentsOf: repositoryRoot.appendingPathComponent("Config/api-keys.example"), encoding: .utf8)
        #expect(try APIKeyStore(parsing: text, source: "example").entries.isEmpty)
        let line = try #require(text.split(separator: "\n").first { $0.hasPrefix("# billing-gateway:") })
        let store = try APIKeyStore(parsing: String(line.dropFirst(2)), source: "example")
        #expect(store.authenticate(token: "example-key-do-not-use") == "billing-gateway")
    }
}
