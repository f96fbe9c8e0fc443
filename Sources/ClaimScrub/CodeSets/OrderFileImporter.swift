/// Reads a code list in the layout of CMS's order file as tab-separated text:
/// a header line `code	billable	short_description	long_description`, then one code a
/// line without the dot, `1` for billable and `0` for a header.
///
/// The file has no notes, so entries carry no Excludes1 patterns; a code's parent is the
/// longest shorter prefix that is itself a code (`S301XXA` → `S301`), and manifestation
/// comes from the title alone.
public enum OrderFileImporter {
    public static let header = ["code", "billable", "short_description", "long_description"]

    public static func entries(file path: String) throws -> [CodeEntry] {
        let bytes: [UInt8]
        do { bytes = try Gzip.readFile(path) } catch {
            throw CodeSetError.badData(file: path, line: 0, message: "\(error)")
        }
        return try entries(tsv: bytes, source: path)
    }

    public static func entries(tsv bytes: [UInt8], source: String = "<order file>") throws -> [CodeEntry] {
        var rows: [(code: ICD10Code, billable: Bool, description: String)] = []
        rows.reserveCapacity(100_000)
        var lineNumber = 0
        var sawHeader = false
        for line in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
            lineNumber += 1
            var line = line
            if line.last == 0x0D { line = line.dropLast() }
            if line.isEmpty { continue }
            let fields = line.split(separator: 0x09, omittingEmptySubsequences: false)
                .map { String(decoding: $0, as: UTF8.self) }
            if !sawHeader {
                guard fields == header else {
                    throw CodeSetError.badData(
                        file: source, line: lineNumber,
                        message: "expected the header line '\(header.joined(separator: "\\t"))'")
                }
                sawHeader = true
                continue
            }
            guard fields.count == 4 else {
                throw CodeSetError.badData(file: source, line: lineNumber, message: "expected 4 tab-separated fields, found \(fields.count)")
            }
            guard let code = ICD10Code(fields[0]) else {
                throw CodeSetError.badData(file: source, line: lineNumber, message: "'\(fields[0])' is not an ICD-10-CM code")
            }
            guard fields[1] == "0" || fields[1] == "1" else {
                throw CodeSetError.badData(file: source, line: lineNumber, message: "billable must be 0 or 1, found '\(fields[1])'")
            }
            rows.append((code, fields[1] == "1", fields[3]))
        }
        guard sawHeader else {
            throw CodeSetError.badData(file: source, line: 0, message: "empty file, expected a header line and codes")
        }
        let known = Set(rows.map(\.code.compact))
        return rows.map { row in
            var parent: ICD10Code?
            var prefix = row.code.compact
            while prefix.utf8.count > 3 {
                prefix.removeLast()
                if known.contains(prefix) { parent = ICD10Code(uncheckedCompact: prefix); break }
            }
            return CodeEntry(
                code: row.code, description: row.description, billable: row.billable, parent: parent,
                manifestation: TabularImporter.isManifestationTitle(row.description))
        }
    }
}
