/// Why a code-set release or its index could not be loaded. Messages name the file, the
/// entry or line, and what was expected, so an operator can fix the file.
public enum CodeSetError: Error, Equatable, CustomStringConvertible {
    /// The release index is malformed: `entry` is e.g. `releases[1]`, `key` the field.
    case badIndex(file: String, entry: String, key: String, expected: String)
    /// A release file does not have the layout its format promises.
    case badData(file: String, line: Int, message: String)

    public var description: String {
        switch self {
        case let .badIndex(file, entry, key, expected):
            "\(file): \(entry)\(key.isEmpty ? "" : ".\(key)"): expected \(expected)"
        case let .badData(file, line, message):
            "\(file)\(line > 0 ? ":\(line)" : ""): \(message)"
        }
    }
}
