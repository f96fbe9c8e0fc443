/// `Config/clinical/specificity.yaml`: unspecified codes and the specific code each
/// documented region or side selects, as the ICD-10-CM tabular titles define them
/// (M54.9 Dorsalgia, unspecified + thoracic → M54.6 Pain in thoracic spine).
public struct SpecificityTable: Sendable {
    public enum Axis: String, Sendable {
        case region, laterality
    }

    public struct Entry: Sendable {
        public var unspecified: ICD10Code
        public var axis: Axis
        /// Region or side name → specific code.
        public var byRegion: [SpineRegion: ICD10Code]
        public var bySide: [Laterality: ICD10Code]
        /// The guideline the mapping rests on; the finding adds `; Tabular <code>`.
        public var reference: String?
    }

    public var entries: [ICD10Code: Entry]

    public init(entries: [Entry]) {
        var byCode: [ICD10Code: Entry] = [:]
        for e in entries { byCode[e.unspecified] = e }
        self.entries = byCode
    }

    public static func load(yaml: String, file: String) throws -> SpecificityTable {
        let root = try YAMLCursor.root(yaml: yaml, file: file)
        var entries: [Entry] = []
        var seen: Set<ICD10Code> = []
        for item in try root.required("mappings").sequence() {
            try item.checkKeys(["code", "by", "to", "reference"])
            let codeCursor = try item.required("code")
            let code = try codeCursor.icd10()
            guard seen.insert(code).inserted else { throw codeCursor.fail("each unspecified code once, \(code.dotted) is repeated") }
            let byCursor = try item.required("by")
            guard let axis = Axis(rawValue: try byCursor.string()) else { throw byCursor.fail("`region` or `laterality`") }
            var byRegion: [SpineRegion: ICD10Code] = [:]
            var bySide: [Laterality: ICD10Code] = [:]
            for (name, target) in try item.required("to").mapping() {
                switch axis {
                case .region:
                    guard let r = SpineRegion(rawValue: name) else {
                        throw target.fail("a region among \(SpineRegion.allCases.map(\.rawValue).joined(separator: ", "))")
                    }
                    byRegion[r] = try target.icd10()
                case .laterality:
                    guard let s = Laterality(rawValue: name) else { throw target.fail("right, left or bilateral") }
                    bySide[s] = try target.icd10()
                }
            }
            entries.append(Entry(
                unspecified: code, axis: axis, byRegion: byRegion, bySide: bySide,
                reference: try item.optional("reference")?.string()))
        }
        return SpecificityTable(entries: entries)
    }
}

extension YAMLCursor {
    func icd10() throws -> ICD10Code {
        let text = try string()
        guard let code = ICD10Code(text) else { throw fail("an ICD-10-CM code like `M54.6`, not `\(text)`") }
        return code
    }
}
