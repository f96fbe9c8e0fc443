/// A configuration file that cannot be used: which file, which key, what was expected.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    /// Dotted path to the value (`rules.DX_INVALID.severity`); empty for the whole file.
    public var keyPath: String
    public var message: String

    public init(file: String, keyPath: String = "", _ message: String) {
        self.file = file
        self.keyPath = keyPath
        self.message = message
    }

    public var description: String {
        keyPath.isEmpty ? "\(file): \(message)" : "\(file): \(keyPath): \(message)"
    }
}
