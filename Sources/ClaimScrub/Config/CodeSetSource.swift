/// Where the engine gets its ICD-10-CM releases from the configuration directory:
/// `<dir>/codesets/index.yaml`, read by the code-set importers.
public enum CodeSetSource {
    public static func loadLibrary(configDirectory dir: String) throws(ConfigError) -> CodeSetLibrary {
        let index = dir + "/codesets/index.yaml"
        do {
            return try CodeSetLibrary.load(indexFile: index)
        } catch let error as CodeSetError {
            switch error {
            case let .badIndex(file, entry, key, expected):
                throw ConfigError(file: file, keyPath: key.isEmpty ? entry : "\(entry).\(key)", "expected \(expected)")
            case let .badData(file, line, message):
                throw ConfigError(file: line > 0 ? "\(file):\(line)" : file, message)
            }
        } catch {
            throw ConfigError(file: index, "\(error)")
        }
    }
}
