/// `Config/clinical/sequencing.yaml`: symptom codes that should not be listed first when
/// a definitive, related condition is also coded (ICD-10-CM Official Guidelines I.B.4–5,
/// II.A: signs and symptoms are not the principal code when a related definitive
/// diagnosis has been established).
public struct SequencingTable: Sendable {
    public struct Relation: Sendable {
        public var symptoms: [DiagnosisPattern]
        /// Named groups of definitive conditions (`scoliosis: [M41.-]`), in Config order.
        public var definitive: [(name: String, patterns: [DiagnosisPattern])]
    }

    public var relations: [Relation]
    /// Spine regions by pattern (`cervical: [M54.2, M50.-, …]`): a symptom and a condition are
    /// related only when their regions overlap, or when either has none.
    public var regions: [(name: String, patterns: [DiagnosisPattern])]

    public init(relations: [Relation], regions: [(name: String, patterns: [DiagnosisPattern])] = []) {
        self.relations = relations
        self.regions = regions
    }

    func regions(of code: ICD10Code) -> Set<String> {
        Set(regions.filter { $0.patterns.anyMatches(code) }.map(\.name))
    }

    func sameRegion(_ a: ICD10Code, _ b: ICD10Code) -> Bool {
        // Region sets as bit masks: no Set<String> per comparison (this runs for every code pair).
        guard regions.count <= 64 else {
            let ra = regions(of: a), rb = regions(of: b)
            return ra.isEmpty || rb.isEmpty || !ra.isDisjoint(with: rb)
        }
        return Self.overlap(regionMask(of: PackedDiagnosis(a)), regionMask(of: PackedDiagnosis(b)))
    }

    private static func overlap(_ ma: UInt64, _ mb: UInt64) -> Bool { ma == 0 || mb == 0 || ma & mb != 0 }

    /// Regions read in place by index (iterating by value retained each region's name and list).
    private func regionMask(of code: PackedDiagnosis) -> UInt64 {
        var mask: UInt64 = 0
        for i in regions.indices where regions[i].patterns.anyMatches(code) { mask |= 1 << UInt64(i) }
        return mask
    }

    /// The first definitive condition (its index in `codes` and group name) related to the
    /// symptom code `primary`, if any.
    public func definitive(for primary: ICD10Code, among codes: [ICD10Code?]) -> (index: Int, group: String)? {
        definitive(for: primary, in: codes)
    }

    /// Same, over any collection of the claim's codes (the engine's facts hold them without an array of their own).
    func definitive<Codes: Collection<ICD10Code?>>(for primary: ICD10Code, in codes: Codes) -> (index: Int, group: String)? {
        // Each code is packed, and its region mask worked out, once: not once per pattern tried.
        let packedPrimary = PackedDiagnosis(primary)
        let byMask = regions.count <= 64
        // Worked out only once the primary is a symptom of some relation (usually it is not).
        var primaryMask: UInt64?
        for r in relations.indices where relations[r].symptoms.anyMatches(packedPrimary) {
            if primaryMask == nil { primaryMask = byMask ? regionMask(of: packedPrimary) : 0 }
            for (index, code) in codes.enumerated() {
                guard let code, code != primary else { continue }
                let packed = PackedDiagnosis(code)
                guard byMask ? Self.overlap(primaryMask!, regionMask(of: packed)) : sameRegion(primary, code) else { continue }
                let groups = relations[r].definitive
                for g in groups.indices where groups[g].patterns.anyMatches(packed) {
                    return (index, groups[g].name)
                }
            }
        }
        return nil
    }

    public static func load(yaml: String, file: String) throws -> SequencingTable {
        let root = try YAMLCursor.root(yaml: yaml, file: file)
        try root.checkKeys(["relations", "regions"])
        let regions = try (root.optional("regions")?.mapping() ?? []).map { name, patterns in
            (name: name, patterns: try patterns.diagnosisPatterns())
        }
        let relations = try root.required("relations").sequence().map { item in
            try item.checkKeys(["symptoms", "definitive"])
            let groups = try item.required("definitive").mapping().map { name, patterns in
                (name: name, patterns: try patterns.diagnosisPatterns())
            }
            return Relation(symptoms: try item.required("symptoms").diagnosisPatterns(), definitive: groups)
        }
        return SequencingTable(relations: relations, regions: regions)
    }
}
