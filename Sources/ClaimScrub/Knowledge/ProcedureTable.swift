/// What the clinical rules know of a procedure code: its kind, its body region and the
/// diagnoses that support it. Codes, kinds and regions only: CPT descriptors belong to the
/// AMA and are not shipped.
public struct ProcedureInfo: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case em, timedTherapy = "timed-therapy", untimedTherapy = "untimed-therapy", imaging, evaluation

        /// Therapy services that need GP, GO or GN where the payer requires it.
        public var isTherapy: Bool { self == .timedTherapy || self == .untimedTherapy || self == .evaluation }
    }

    public var code: ProcedureCode
    public var kind: Kind
    /// `thoracic spine`, `spine`, `any` …, for messages.
    public var region: String
    /// Nil: any diagnosis supports it (E/M visits).
    public var supportedBy: [DiagnosisPattern]?
    /// The group names the support list was written with, for messages (`thoracic-spine`).
    public var supportNames: [String]

    public func isSupported(by code: ICD10Code) -> Bool {
        supportedBy.map { $0.anyMatches(code) } ?? true
    }
}

/// `Config/clinical/procedures.yaml`.
public struct ProcedureTable: Sendable {
    public var procedures: [ProcedureCode: ProcedureInfo]

    public init(procedures: [ProcedureInfo]) {
        var byCode: [ProcedureCode: ProcedureInfo] = [:]
        for p in procedures { byCode[p.code] = p }
        self.procedures = byCode
    }

    public subscript(code: ProcedureCode?) -> ProcedureInfo? {
        code.flatMap { procedures[$0] }
    }

    public static func load(yaml: String, file: String) throws -> ProcedureTable {
        let root = try YAMLCursor.root(yaml: yaml, file: file)
        try root.checkKeys(["groups", "procedures"])
        var groups: [String: [DiagnosisPattern]] = [:]
        if let g = try root.optional("groups") {
            for (name, patterns) in try g.mapping() { groups[name] = try patterns.diagnosisPatterns() }
        }
        var out: [ProcedureInfo] = []
        for (raw, item) in try root.required("procedures").mapping() {
            guard let code = ProcedureCode(raw), code.isWellFormed else {
                throw item.fail("a five-character CPT/HCPCS code as the key, not `\(raw)`")
            }
            try item.checkKeys(["kind", "region", "supports"])
            let kindCursor = try item.required("kind")
            guard let kind = ProcedureInfo.Kind(rawValue: try kindCursor.string()) else {
                throw kindCursor.fail("a kind among \(ProcedureInfo.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let supportsCursor = try item.required("supports")
            var patterns: [DiagnosisPattern]? = []
            var names: [String] = []
            if case .scalar = supportsCursor.node, try supportsCursor.string() == "any" {
                patterns = nil
                names = ["any diagnosis"]
            } else {
                for entry in try supportsCursor.sequence() {
                    let text = try entry.string()
                    if let group = groups[text] {
                        patterns!.append(contentsOf: group)
                    } else if let p = DiagnosisPattern(text) {
                        patterns!.append(p)
                    } else {
                        throw entry.fail("a group among \(groups.keys.sorted().joined(separator: ", ")) or a diagnosis pattern, not `\(text)`")
                    }
                    names.append(text)
                }
                if patterns!.isEmpty { throw supportsCursor.fail("`any` or at least one group or pattern") }
            }
            out.append(ProcedureInfo(
                code: code, kind: kind, region: try item.required("region").string(),
                supportedBy: patterns, supportNames: names))
        }
        return ProcedureTable(procedures: out)
    }
}
