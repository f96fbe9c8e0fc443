/// One diagnosis code as a release describes it: what `GET /v1/codes/icd10cm/{code}`
/// and `claimscrub codes` show.
public struct CodeInfo: Sendable, Equatable {
    public struct Exclusion: Sendable, Equatable {
        /// `M51.-` or `M54.6`.
        public var pattern: String
        /// The description of the code or category the pattern names, when the release has it.
        public var description: String?
        /// The code whose note it is (the code itself or an ancestor).
        public var from: String
    }

    public var code: String
    public var description: String
    public var billable: Bool
    public var parent: String?
    public var children: [String]
    public var excludes1: [Exclusion]
    public var manifestation: Bool
    /// The release consulted (`codeSet.version`).
    public var release: String
    /// False when no release covers the date asked for and the newest was used.
    public var releaseCoversDate: Bool

    /// Looks `code` up in the release in force on `date` (the newest when nil); nil when
    /// that release does not contain it.
    public static func lookup(_ code: ICD10Code, date: ServiceDate?, in library: CodeSetLibrary) -> CodeInfo? {
        let (set, covered) = library.release(for: date)
        guard let entry = set.entry(code) else { return nil }
        var exclusions: [Exclusion] = []
        for holder in [code] + set.ancestors(of: code) {
            for p in set.entry(holder)?.excludes1 ?? [] {
                let named: ICD10Code? = switch p {
                case .code(let c): c
                case .prefix(let s): ICD10Code(uncheckedCompact: s)
                }
                exclusions.append(Exclusion(
                    pattern: p.description, description: named.flatMap { set.entry($0)?.description }, from: holder.dotted))
            }
        }
        return CodeInfo(
            code: code.dotted, description: entry.description, billable: entry.billable,
            parent: entry.parent?.dotted, children: set.children(of: code).map(\.dotted),
            excludes1: exclusions, manifestation: set.isManifestation(code),
            release: set.version, releaseCoversDate: covered)
    }

    /// `{code, description, billable, parent?, children, excludes1: [{pattern, description?, from}],
    /// manifestation, codeSet: {system, version}}`.
    public func encodeJSON() -> [UInt8] {
        var w = JSONWriter(capacity: 512)
        w.beginObject()
        w.key("code"); w.string(code)
        w.key("description"); w.string(description)
        w.key("billable"); w.bool(billable)
        if let parent { w.key("parent"); w.string(parent) }
        w.key("children")
        w.beginArray()
        for c in children { w.string(c) }
        w.endArray()
        w.key("excludes1")
        w.beginArray()
        for e in excludes1 {
            w.beginObject()
            w.key("pattern"); w.string(e.pattern)
            if let d = e.description { w.key("description"); w.string(d) }
            w.key("from"); w.string(e.from)
            w.endObject()
        }
        w.endArray()
        w.key("manifestation"); w.bool(manifestation)
        w.key("codeSet")
        w.beginObject()
        w.key("system"); w.string("ICD-10-CM")
        w.key("version"); w.string(release)
        w.endObject()
        w.endObject()
        return w.bytes
    }
}
