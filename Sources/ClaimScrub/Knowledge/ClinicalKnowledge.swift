import Foundation

/// Loads the clinical rule pack's data from a Config directory into `Knowledge`:
///
/// | file | type |
/// | --- | --- |
/// | `clinical/lexicon.yaml` | `PhraseLexicon` |
/// | `clinical/specificity.yaml` | `SpecificityTable` |
/// | `clinical/sequencing.yaml` | `SequencingTable` |
/// | `clinical/procedures.yaml` | `ProcedureTable` |
/// | `clinical/documentation.yaml` | `DocumentationRequirements` |
/// | `ncci/ptp/*.txt` (every file, CMS practitioner PTP layout) | `PTPTable` |
/// | `ncci/mue/*.csv` (every file, CMS practitioner MUE layout) | `MUETable` |
///
/// A missing or malformed file throws `KnowledgeLoadError` naming it.
public enum ClinicalKnowledge {
    public static func load(configDirectory: String, into knowledge: inout Knowledge) throws {
        let root = URL(fileURLWithPath: configDirectory)
        func yaml(_ relative: String) throws -> (String, String) {
            let url = root.appendingPathComponent(relative)
            return (try read(url, shown: relative), relative)
        }
        var (text, name) = try yaml("clinical/lexicon.yaml")
        knowledge[PhraseLexicon.self] = try PhraseLexicon.load(yaml: text, file: name)
        (text, name) = try yaml("clinical/specificity.yaml")
        knowledge[SpecificityTable.self] = try SpecificityTable.load(yaml: text, file: name)
        (text, name) = try yaml("clinical/sequencing.yaml")
        knowledge[SequencingTable.self] = try SequencingTable.load(yaml: text, file: name)
        (text, name) = try yaml("clinical/procedures.yaml")
        knowledge[ProcedureTable.self] = try ProcedureTable.load(yaml: text, file: name)
        (text, name) = try yaml("clinical/documentation.yaml")
        knowledge[DocumentationRequirements.self] = try DocumentationRequirements.load(yaml: text, file: name)

        var ptp = PTPTable()
        for (url, shown) in try files(in: root, "ncci/ptp", ext: "txt") {
            guard let bytes = FileBytes.read(url.path) else { throw KnowledgeLoadError(file: shown, expected: "a readable file") }
            try ptp.load(bytes: bytes, file: shown)
        }
        knowledge[PTPTable.self] = ptp
        var mue = MUETable()
        for (url, shown) in try files(in: root, "ncci/mue", ext: "csv") {
            try mue.load(text: try read(url, shown: shown), file: shown)
        }
        knowledge[MUETable.self] = mue
    }

    /// Convenience for callers that hold no other knowledge.
    public static func load(configDirectory: String) throws -> Knowledge {
        var k = Knowledge()
        try load(configDirectory: configDirectory, into: &k)
        return k
    }

    private static func read(_ url: URL, shown: String) throws -> String {
        guard let bytes = FileBytes.read(url.path) else { throw KnowledgeLoadError(file: shown, expected: "a readable file") }
        // A stray Latin-1 byte in CMS rationale text becomes U+FFFD rather than failing the load.
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func files(in root: URL, _ relative: String, ext: String) throws -> [(URL, String)] {
        let dir = root.appendingPathComponent(relative)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir.path) else {
            throw KnowledgeLoadError(file: relative, expected: "a directory holding the .\(ext) files")
        }
        let picked = names.filter { $0.lowercased().hasSuffix("." + ext) }.sorted()
        guard !picked.isEmpty else { throw KnowledgeLoadError(file: relative, expected: "at least one .\(ext) file") }
        return picked.map { (dir.appendingPathComponent($0), relative + "/" + $0) }
    }
}
