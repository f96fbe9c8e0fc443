import Yams

/// Loads and validates `rules.yaml` and `profiles.yaml`. Every error names the file,
/// the key path and what would have been accepted.
public enum ConfigLoader {
    public static let rulesFileName = "rules.yaml"
    public static let profilesFileName = "profiles.yaml"

    public static func load(configDirectory dir: String) throws(ConfigError) -> EngineConfiguration {
        let rulesPath = dir + "/" + rulesFileName
        let profilesPath = dir + "/" + profilesFileName
        guard let rules = FileBytes.read(rulesPath) else { throw ConfigError(file: rulesPath, "cannot read the file") }
        guard let profiles = FileBytes.read(profilesPath) else { throw ConfigError(file: profilesPath, "cannot read the file") }
        return try parse(rules: rules, rulesFile: rulesPath, profiles: profiles, profilesFile: profilesPath)
    }

    /// Parses both files' bytes; `rulesFile`/`profilesFile` are only used in error messages.
    public static func parse(
        rules: [UInt8], rulesFile: String, profiles: [UInt8], profilesFile: String
    ) throws(ConfigError) -> EngineConfiguration {
        let rulesRoot = try YAMLNode.parse(rules, file: rulesFile)
        let version = try rulesRoot.required("version").string()
        var settings: [RuleSettings] = []
        var byId: [String: RuleSettings] = [:]
        for (id, node) in try rulesRoot.required("rules").mapping() {
            guard let category = RuleCatalog.categories[id] else {
                throw ConfigError(file: rulesFile, keyPath: node.path, "unknown rule id; expected one of the catalog (API.md §4)")
            }
            let s = try parseRule(id: id, category: category, node)
            settings.append(s)
            byId[id] = s
        }

        let profilesRoot = try YAMLNode.parse(profiles, file: profilesFile)
        let raw = try profilesRoot.required("profiles").mapping()
        var declared: [String: YAMLNode] = [:]
        for (name, node) in raw { declared[name] = node }
        guard declared["default"] != nil else {
            throw ConfigError(file: profilesFile, keyPath: "profiles", "expected a profile named 'default'")
        }
        var resolved: [String: ResolvedProfile] = [:]
        for (name, _) in raw {
            _ = try resolve(name, declared: declared, base: byId, resolved: &resolved, visiting: [])
        }
        let hash = fnv1a32(rules + profiles)
        let hex = String(hash, radix: 16)
        let short = String((String(repeating: "0", count: 8 - hex.count) + hex).prefix(7))
        return EngineConfiguration(rulesVersion: version + "+" + short, rules: settings, profiles: resolved)
    }

    private static func parseRule(id: String, category: RuleCategory, _ node: YAMLNode) throws(ConfigError) -> RuleSettings {
        try node.allowKeys(["category", "severity", "weight", "denial", "alternateDenial", "reference", "description", "fixes", "enabled"])
        let cat = try node.required("category")
        guard cat.scalarText == category.rawValue else {
            throw cat.error("expected '\(category.rawValue)' (the catalog's category of \(id))")
        }
        return RuleSettings(
            id: id, category: category,
            severity: try node.required("severity").severity(),
            weight: try node.required("weight").weight(),
            likelyDenial: try node.optional("denial")?.denial(),
            alternateDenial: try node.optional("alternateDenial")?.denial(),
            reference: try node.optional("reference")?.string(),
            description: try node.required("description").string(),
            appliesFixes: try node.optional("fixes")?.bool() ?? false,
            enabled: try node.optional("enabled")?.bool() ?? true)
    }

    private static func resolve(
        _ name: String, declared: [String: YAMLNode], base rules: [String: RuleSettings],
        resolved: inout [String: ResolvedProfile], visiting: [String]
    ) throws(ConfigError) -> ResolvedProfile {
        if let r = resolved[name] { return r }
        let node = declared[name]!
        try node.allowKeys(["base", "filingLimitDays", "timedUnitMethod", "requiresTherapyModifier", "rules"])
        var profile: PayerProfile
        var settings: [String: RuleSettings]
        if let baseNode = try node.optional("base") {
            let baseName = try baseNode.string()
            guard declared[baseName] != nil else { throw baseNode.error("expected the name of a profile in this file") }
            guard !visiting.contains(baseName), baseName != name else { throw baseNode.error("expected no cycle of base profiles") }
            let b = try resolve(baseName, declared: declared, base: rules, resolved: &resolved, visiting: visiting + [name])
            profile = b.profile
            settings = b.rules
        } else {
            profile = PayerProfile(name: name, filingLimitDays: nil, timedUnitMethod: .perCode, requiresTherapyModifier: false)
            settings = rules
        }
        profile.name = name
        if let n = try node.optional("filingLimitDays") {
            if n.isNull {
                profile.filingLimitDays = nil
            } else {
                let days = try n.int()
                guard days > 0 else { throw n.error("expected a positive number of days") }
                profile.filingLimitDays = days
            }
        }
        if let n = try node.optional("timedUnitMethod") {
            guard let m = TimedUnitMethod(rawValue: n.scalarText ?? "") else { throw n.error("expected one of medicare, per-code") }
            profile.timedUnitMethod = m
        }
        if let n = try node.optional("requiresTherapyModifier") { profile.requiresTherapyModifier = try n.bool() }
        if let overrides = try node.optional("rules") {
            for (id, o) in try overrides.mapping() {
                guard var s = settings[id] else {
                    throw o.error(RuleCatalog.categories[id] == nil
                        ? "unknown rule id; expected one of the catalog (API.md §4)"
                        : "expected a rule listed in rules.yaml")
                }
                try o.allowKeys(["severity", "weight", "denial", "alternateDenial", "reference", "fixes", "enabled"])
                if let n = try o.optional("severity") { s.severity = try n.severity() }
                if let n = try o.optional("weight") { s.weight = try n.weight() }
                if let n = try o.optional("denial") { s.likelyDenial = try n.denial() }
                if let n = try o.optional("alternateDenial") { s.alternateDenial = try n.denial() }
                if let n = try o.optional("reference") { s.reference = try n.string() }
                if let n = try o.optional("fixes") { s.appliesFixes = try n.bool() }
                if let n = try o.optional("enabled") { s.enabled = try n.bool() }
                settings[id] = s
            }
        }
        let r = ResolvedProfile(profile: profile, rules: settings)
        resolved[name] = r
        return r
    }

    /// FNV-1a, 32 bits: a stable short fingerprint of the configuration for `rulesVersion`.
    public static func fnv1a32(_ bytes: [UInt8]) -> UInt32 {
        var h: UInt32 = 0x811C_9DC5
        for b in bytes {
            h ^= UInt32(b)
            h = h &* 0x0100_0193
        }
        return h
    }
}

/// A YAML node that knows its file and key path, so every error can name them.
struct YAMLNode {
    let node: Node
    let file: String
    let path: String

    static func parse(_ bytes: [UInt8], file: String) throws(ConfigError) -> YAMLNode {
        let text = String(decoding: bytes, as: UTF8.self)
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw ConfigError(file: file, "not valid YAML: \(error)")
        }
        guard let root, root.mapping != nil else { throw ConfigError(file: file, "expected a mapping at the top level") }
        return YAMLNode(node: root, file: file, path: "")
    }

    func error(_ message: String) -> ConfigError {
        var where_ = path
        if let line = node.mark?.line { where_ += " (line \(line))" }
        return ConfigError(file: file, keyPath: where_, message)
    }

    private func child(_ key: String, _ node: Node) -> YAMLNode {
        YAMLNode(node: node, file: file, path: path.isEmpty ? key : path + "." + key)
    }

    var scalarText: String? { node.scalar?.string }

    var isNull: Bool {
        guard let s = node.scalar, s.style == .plain else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(s.string)
    }

    func mapping() throws(ConfigError) -> [(String, YAMLNode)] {
        guard let m = node.mapping else { throw error("expected a mapping") }
        var out: [(String, YAMLNode)] = []
        var seen: Set<String> = []
        for (k, v) in m {
            guard let key = k.scalar?.string else { throw error("expected scalar keys") }
            guard seen.insert(key).inserted else { throw child(key, v).error("expected each key once") }
            out.append((key, child(key, v)))
        }
        return out
    }

    func optional(_ key: String) throws(ConfigError) -> YAMLNode? {
        guard let m = node.mapping else { throw error("expected a mapping") }
        for (k, v) in m where k.scalar?.string == key { return child(key, v) }
        return nil
    }

    func required(_ key: String) throws(ConfigError) -> YAMLNode {
        guard let n = try optional(key) else {
            throw ConfigError(file: file, keyPath: path.isEmpty ? key : path + "." + key, "expected this key (it is missing)")
        }
        return n
    }

    func allowKeys(_ keys: Set<String>) throws(ConfigError) {
        for (key, n) in try mapping() where !keys.contains(key) {
            throw n.error("unknown key; expected one of \(keys.sorted().joined(separator: ", "))")
        }
    }

    func string() throws(ConfigError) -> String {
        guard let s = node.scalar, !isNull else { throw error("expected a string") }
        return s.string
    }

    func bool() throws(ConfigError) -> Bool {
        guard let s = node.scalar?.string else { throw error("expected true or false") }
        switch s {
        case "true", "True", "TRUE": return true
        case "false", "False", "FALSE": return false
        default: throw error("expected true or false")
        }
    }

    func int() throws(ConfigError) -> Int {
        guard let s = node.scalar?.string, let v = Int(s) else { throw error("expected an integer") }
        return v
    }

    func severity() throws(ConfigError) -> Severity {
        guard let s = Severity(rawValue: scalarText ?? "") else { throw error("expected one of error, warning, info") }
        return s
    }

    func weight() throws(ConfigError) -> Double {
        guard let s = scalarText, let v = Double(s), v >= 0, v <= 1 else { throw error("expected a number from 0 to 1") }
        return v
    }

    /// `CO-16 MA130 M76`, or a mapping `{group: CO, carc: "16", rarc: [MA130]}`.
    func denial() throws(ConfigError) -> LikelyDenial {
        let expected = "expected a denial like 'CO-16 M76' or {group: CO, carc: \"16\", rarc: [M76]}"
        let groups: Set<String> = ["CO", "PR", "OA", "PI", "CR"]
        func code(_ s: Substring) -> Bool { !s.isEmpty && s.count <= 6 && s.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) } }
        if let text = scalarText, node.mapping == nil {
            let parts = text.split(separator: " ")
            guard let head = parts.first else { throw error(expected) }
            let gc = head.split(separator: "-")
            guard gc.count == 2, groups.contains(String(gc[0])), code(gc[1]), parts.dropFirst().allSatisfy(code) else {
                throw error(expected)
            }
            return LikelyDenial(group: String(gc[0]), carc: String(gc[1]), rarc: parts.dropFirst().map(String.init))
        }
        try allowKeys(["group", "carc", "rarc"])
        let groupNode = try required("group")
        let group = try groupNode.string()
        guard groups.contains(group) else { throw groupNode.error("expected one of CO, CR, OA, PI, PR") }
        let carcNode = try required("carc")
        let carc = try carcNode.string()
        guard code(Substring(carc)) else { throw carcNode.error("expected a claim adjustment reason code like 16") }
        var rarc: [String] = []
        if let r = try optional("rarc") {
            guard let seq = r.node.sequence else { throw r.error("expected a list of remark codes") }
            for item in seq {
                guard let s = item.scalar?.string, code(Substring(s)) else { throw r.error("expected remark codes like M76") }
                rarc.append(s)
            }
        }
        return LikelyDenial(group: group, carc: carc, rarc: rarc)
    }
}
