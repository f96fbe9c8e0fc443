import Yams

/// The formats a release file may be in.
public enum CodeSetFileFormat: String, Sendable, CaseIterable {
    /// The official Tabular List XML (`TabularImporter`).
    case tabularXML = "tabular-xml"
    /// CMS's order-file layout as tab-separated text (`OrderFileImporter`).
    case orderFile = "order-file"
    /// The project's own fast-loading form (`CompactCodeSetFormat`).
    case compact

    /// Reads a file of this format, gzip or plain.
    public func entries(file path: String) throws -> [CodeEntry] {
        switch self {
        case .tabularXML: try TabularImporter.entries(file: path)
        case .orderFile: try OrderFileImporter.entries(file: path)
        case .compact: try CompactCodeSetFormat.entries(file: path)
        }
    }
}

/// One entry of `Config/codesets/index.yaml`.
public struct CodeSetRelease: Sendable, Equatable {
    public var version: String
    /// Resolved against the index file's folder.
    public var file: String
    public var format: CodeSetFileFormat
    public var validFrom: ServiceDate
    public var validThrough: ServiceDate

    public init(version: String, file: String, format: CodeSetFileFormat, validFrom: ServiceDate, validThrough: ServiceDate) {
        self.version = version
        self.file = file
        self.format = format
        self.validFrom = validFrom
        self.validThrough = validThrough
    }

    public func load() throws -> CodeSet {
        CodeSet(version: version, validFrom: validFrom, validThrough: validThrough, entries: try format.entries(file: file))
    }
}

/// The release index an operator edits each October and April.
public enum CodeSetIndex {
    static let keys = ["version", "file", "format", "validFrom", "validThrough"]

    /// Reads and checks the index; does not read the release files (but checks they can be opened).
    public static func releases(indexFile path: String) throws -> [CodeSetRelease] {
        let bytes: [UInt8]
        do { bytes = try Gzip.readRawFile(path) } catch {
            throw CodeSetError.badIndex(file: path, entry: "file", key: "", expected: "a readable YAML file (\(error))")
        }
        return try releases(yaml: String(decoding: bytes, as: UTF8.self), indexFile: path)
    }

    /// Parses index text; relative `file` paths are resolved against `indexFile`'s folder.
    public static func releases(yaml: String, indexFile path: String) throws -> [CodeSetRelease] {
        func bad(_ entry: String, _ key: String, _ expected: String) -> CodeSetError {
            .badIndex(file: path, entry: entry, key: key, expected: expected)
        }
        let root: Node?
        do { root = try Yams.compose(yaml: yaml) } catch {
            throw bad("document", "", "valid YAML (\(error))")
        }
        guard let top = root?.mapping else { throw bad("document", "", "a mapping with a 'releases' list") }
        guard let list = top["releases"] else { throw bad("document", "releases", "a list of releases (key missing)") }
        guard let items = list.sequence, !items.isEmpty else { throw bad("document", "releases", "a non-empty list of releases") }
        let folder = path.lastIndex(of: "/").map { String(path[...$0]) } ?? ""

        var out: [CodeSetRelease] = []
        for (i, item) in items.enumerated() {
            // Named by position, then also by version once that is known.
            var entry = "releases[\(i)]"
            guard let mapping = item.mapping else { throw bad(entry, "", "a mapping with keys \(keys.joined(separator: ", "))") }
            for key in mapping.keys {
                let name = key.string ?? "?"
                guard keys.contains(name) else { throw bad(entry, name, "one of the keys \(keys.joined(separator: ", ")) (unknown key)") }
            }
            func string(_ key: String) throws -> String {
                guard let node = mapping[key] else { throw bad(entry, key, "a value (key missing)") }
                guard let s = node.scalar?.string, !s.isEmpty else { throw bad(entry, key, "a non-empty text value") }
                return s
            }
            func date(_ key: String) throws -> ServiceDate {
                let s = try string(key)
                guard let d = ServiceDate(iso: s) else { throw bad(entry, key, "a date YYYY-MM-DD, found '\(s)'") }
                return d
            }
            let version = try string("version")
            entry += " (version \(version))"
            let file = try string("file")
            let formatName = try string("format")
            guard let format = CodeSetFileFormat(rawValue: formatName) else {
                throw bad(entry, "format", "one of \(CodeSetFileFormat.allCases.map(\.rawValue).joined(separator: ", ")), found '\(formatName)'")
            }
            let validFrom = try date("validFrom")
            let validThrough = try date("validThrough")
            guard validFrom <= validThrough else { throw bad(entry, "validThrough", "a date on or after validFrom \(validFrom)") }
            let resolved = file.hasPrefix("/") ? file : folder + file
            do { _ = try Gzip.readRawFilePrefix(resolved) } catch {
                throw bad(entry, "file", "a readable file (\(error))")
            }
            guard !out.contains(where: { $0.version == version }) else { throw bad(entry, "version", "a version no other release uses") }
            out.append(CodeSetRelease(version: version, file: resolved, format: format, validFrom: validFrom, validThrough: validThrough))
        }
        let sorted = out.sorted { $0.validFrom < $1.validFrom }
        for (a, b) in zip(sorted, sorted.dropFirst()) where b.validFrom <= a.validThrough {
            throw bad("releases (version \(b.version))", "validFrom",
                      "a date after \(a.validThrough), where release \(a.version) ends (date ranges overlap)")
        }
        return out
    }
}

extension CodeSetLibrary {
    /// Loads every release the index lists.
    public static func load(indexFile path: String) throws -> CodeSetLibrary {
        let releases = try CodeSetIndex.releases(indexFile: path)
        return CodeSetLibrary(releases: try releases.map { try $0.load() })
    }

    /// Loads `index.yaml` from a folder such as `Config/codesets`.
    public static func load(configDirectory: String) throws -> CodeSetLibrary {
        try load(indexFile: configDirectory.hasSuffix("/") ? configDirectory + "index.yaml" : configDirectory + "/index.yaml")
    }
}
