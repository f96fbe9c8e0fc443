import Foundation

/// The API keys the service accepts, held only as SHA-256 digests.
///
/// Keys file: one digest (64 hex digits) per line, optionally `name:` before it (the
/// name goes into logs, never the key); blank lines and `#` comments are ignored.
public struct APIKeyStore: Sendable {
    public struct Entry: Sendable, Equatable {
        public var name: String
        public var digest: [UInt8]
        public init(name: String, digest: [UInt8]) {
            self.name = name
            self.digest = digest
        }
    }

    public let entries: [Entry]

    public init(entries: [Entry]) { self.entries = entries }

    /// Parses a keys file's text; `source` names the file in errors.
    public init(parsing text: String, source: String) throws(ConfigurationError) {
        var entries: [Entry] = []
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingWhitespace()
            if line.isEmpty || line.hasPrefix("#") { continue }
            var name = "key\(entries.count + 1)"
            var hex = line
            if let colon = line.lastIndex(of: ":") {
                name = String(line[..<colon]).trimmingWhitespace()
                hex = String(line[line.index(after: colon)...]).trimmingWhitespace()
            }
            guard let digest = Self.digest(fromHex: hex), !name.isEmpty else {
                throw ConfigurationError(
                    source: "\(source):\(index + 1)", key: "api key",
                    expected: "a SHA-256 digest of 64 hex digits, optionally preceded by `name:`")
            }
            entries.append(Entry(name: name, digest: digest))
        }
        self.entries = entries
    }

    /// The name of the key `token` is, or nil. Hashes the token once, then compares it
    /// with every stored digest without an early exit, so the time taken does not tell
    /// which (or whether a) stored digest matched.
    public func authenticate(token: String) -> String? {
        let digest = SHA256.hash(token.utf8)
        var matched = -1
        for (i, entry) in entries.enumerated() {
            let equal = Self.constantTimeEqual(digest, entry.digest)
            // Branch-free select: keep the first match.
            let take = equal && matched < 0
            matched = take ? i : matched
        }
        return matched >= 0 ? entries[matched].name : nil
    }

    /// Compares every byte whatever the differences; lengths are public (both digests).
    public static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for i in 0..<a.count { difference |= a[i] ^ b[i] }
        return difference == 0
    }

    static func digest(fromHex hex: String) -> [UInt8]? {
        let bytes = Array(hex.utf8)
        guard bytes.count == 64 else { return nil }
        func nibble(_ b: UInt8) -> UInt8? {
            switch b {
            case 48...57: b - 48
            case 65...70: b - 55
            case 97...102: b - 87
            default: nil
            }
        }
        var out: [UInt8] = []
        out.reserveCapacity(32)
        for i in stride(from: 0, to: 64, by: 2) {
            guard let h = nibble(bytes[i]), let l = nibble(bytes[i + 1]) else { return nil }
            out.append(h << 4 | l)
        }
        return out
    }
}

extension StringProtocol {
    func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }) else { return "" }
        let last = lastIndex(where: { !isSpace($0) })!
        return String(self[first...last])
    }
}

extension ServiceConfiguration {
    /// The key store `auth` asks for: nil when authentication is off. Enabled without a
    /// readable keys file holding at least one key is an error (it would refuse every request).
    public func loadAPIKeys() throws(ConfigurationError) -> APIKeyStore? {
        guard auth.enabled else { return nil }
        guard let file = auth.keysFile else {
            throw ConfigurationError(source: "configuration", key: "auth.keysFile", expected: "a keys file when auth.enabled is true")
        }
        guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8) else {
            throw ConfigurationError(source: file, key: "auth.keysFile", expected: "a readable UTF-8 keys file")
        }
        let store = try APIKeyStore(parsing: text, source: file)
        guard !store.entries.isEmpty else {
            throw ConfigurationError(source: file, key: "auth.keysFile", expected: "at least one key digest")
        }
        return store
    }
}
