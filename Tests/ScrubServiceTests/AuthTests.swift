import Foundation
import HTTPServer
import Testing
@testable import ScrubService

@Suite struct APIKeyStoreTests {
    // printf %s s3cret-key-1 | sha256sum
    static let keyOne = "s3cret-key-1"
    static let keyTwo = "another-key"
    static var fileText: String {
        """
        # claimscrub API keys
        billing-gw: \(SHA256.hex(SHA256.hash(keyOne.utf8)))

        \(SHA256.hex(SHA256.hash(keyTwo.utf8)).uppercased())
        """
    }

    @Test func parsesNamedAndUnnamedDigests() throws {
        let store = try APIKeyStore(parsing: Self.fileText, source: "keys")
        #expect(store.entries.map(\.name) == ["billing-gw", "key2"])
        #expect(store.authenticate(token: Self.keyOne) == "billing-gw")
        #expect(store.authenticate(token: Self.keyTwo) == "key2")
        #expect(store.authenticate(token: "s3cret-key-2") == nil)
        #expect(store.authenticate(token: "") == nil)
    }

    @Test func aLineThatIsNotADigestNamesTheFileAndLine() {
        #expect(throws: ConfigurationError(
            source: "Config/api-keys:2", key: "api key",
            expected: "a SHA-256 digest of 64 hex digits, optionally preceded by `name:`")
        ) {
            try APIKeyStore(parsing: "# ok\nops: not-hex\n", source: "Config/api-keys")
        }
    }

    @Test func constantTimeEqualCompares() {
        let a: [UInt8] = [1, 2, 3, 4]
        #expect(APIKeyStore.constantTimeEqual(a, [1, 2, 3, 4]))
        #expect(!APIKeyStore.constantTimeEqual(a, [1, 2, 3, 5]))
        #expect(!APIKeyStore.constantTimeEqual(a, [0, 2, 3, 4]))
        #expect(!APIKeyStore.constantTimeEqual(a, [1, 2, 3]))
        #expect(APIKeyStore.constantTimeEqual([], []))
    }
}

@Suite struct AuthRouteTests {
    func harness(exempt: [String] = ServiceConfiguration.Auth().exemptPaths) throws -> ServiceHarness {
        ServiceHarness(apiKeys: try APIKeyStore(parsing: APIKeyStoreTests.fileText, source: "keys"), exemptPaths: exempt)
    }

    @Test func missingKeyIs401WithChallenge() throws {
        let r = try harness().client.post("/v1/scrub", body: sensitiveClaim)
        #expect(r.status == 401)
        #expect(r.headers["WWW-Authenticate"] == #"Bearer realm="claimscrub""#)
        #expect(r.headers["Content-Type"] == "application/problem+json")
        #expect(try #require(r.object)["status"] as? Int == 401)
        for fragment in sensitiveFragments { #expect(!r.text.contains(fragment)) }
    }

    @Test(arguments: ["Bearer wrong", "Basic czNjcmV0LWtleS0x", "Bearer", "s3cret-key-1", "Bearer s3cret-key-1 extra"])
    func wrongOrMalformedKeyIs401(authorization: String) throws {
        let r = try harness().client.post("/v1/scrub", body: sensitiveClaim, headers: [("Authorization", authorization)])
        #expect(r.status == 401)
        #expect(r.headers["WWW-Authenticate"]?.hasPrefix(#"Bearer realm="claimscrub""#) == true)
    }

    @Test(arguments: ["Bearer s3cret-key-1", "bearer s3cret-key-1", "Bearer another-key"])
    func rightKeyPasses(authorization: String) throws {
        let r = try harness().client.post("/v1/scrub", body: sensitiveClaim, headers: [("Authorization", authorization)])
        #expect(r.status == 200)
    }

    @Test func twoAuthorizationHeadersAre401() throws {
        let r = try harness().client.get(
            "/v1/rules", headers: [("Authorization", "Bearer s3cret-key-1"), ("Authorization", "Bearer wrong")])
        #expect(r.status == 401)
    }

    @Test(arguments: ["/healthz", "/readyz", "/metrics"])
    func exemptPathsNeedNoKey(path: String) throws {
        #expect(try harness().client.get(path).status == 200)
    }

    @Test func exemptionsAreConfigurable() throws {
        let h = try harness(exempt: ["/healthz"])
        #expect(h.client.get("/healthz").status == 200)
        #expect(h.client.get("/metrics").status == 401)
        #expect(h.client.get("/openapi.json").status == 401)
    }

    @Test func unknownPathsWithoutKeyAre401SoRoutesDoNotLeak() throws {
        #expect(try harness().client.get("/admin").status == 401)
    }

    @Test func logLineNamesTheKeyNeverTheKeyItself() throws {
        let h = try harness()
        _ = h.client.get("/v1/rules", headers: [("Authorization", "Bearer s3cret-key-1")])
        let line = try #require(h.logs.all.last)
        #expect(line.contains(#""apiKey":"billing-gw""#))
        #expect(!line.contains("s3cret-key-1"))
    }
}

@Suite struct APIKeyLoadingTests {
    func config(enabled: Bool, file: String?) -> ServiceConfiguration {
        var c = ServiceConfiguration()
        c.auth.enabled = enabled
        c.auth.keysFile = file
        return c
    }

    func write(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("claimscrub-keys-\(UUID().uuidString)").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func disabledNeedsNoFile() throws {
        #expect(try config(enabled: false, file: "/nonexistent").loadAPIKeys() == nil)
    }

    @Test func enabledLoadsTheFile() throws {
        let store = try #require(try config(enabled: true, file: try write(APIKeyStoreTests.fileText)).loadAPIKeys())
        #expect(store.entries.count == 2)
    }

    @Test func enabledWithoutUsableKeysIsAnError() throws {
        #expect(throws: ConfigurationError.self) { try config(enabled: true, file: nil).loadAPIKeys() }
        #expect(throws: ConfigurationError(source: "/nonexistent", key: "auth.keysFile", expected: "a readable UTF-8 keys file")) {
            try config(enabled: true, file: "/nonexistent").loadAPIKeys()
        }
        let empty = try write("# nothing yet\n")
        #expect(throws: ConfigurationError(source: empty, key: "auth.keysFile", expected: "at least one key digest")) {
            try config(enabled: true, file: empty).loadAPIKeys()
        }
    }
}
