import Testing
@testable import ClaimScrub

@Suite struct ConfigLoaderTests {
    static let rules = """
        version: "1.0"
        rules:
          DX_INVALID: {category: validity, severity: error, weight: 0.9, denial: CO-16 M76, description: "x"}
          CLAIM_DATE:
            category: structure
            severity: error
            weight: 0.7
            denial: {group: CO, carc: "16"}
            alternateDenial: CO-29
            description: "y"
        """
    static let profiles = """
        profiles:
          default: {timedUnitMethod: per-code}
          medicare: {base: default, filingLimitDays: 365, timedUnitMethod: medicare, rules: {DX_INVALID: {enabled: false, weight: 0.5}}}
          MEDICARE-JL: {base: medicare}
        """

    func load(rules: String = rules, profiles: String = profiles) throws(ConfigError) -> EngineConfiguration {
        try ConfigLoader.parse(rules: Array(rules.utf8), rulesFile: "rules.yaml", profiles: Array(profiles.utf8), profilesFile: "profiles.yaml")
    }

    func error(rules: String = rules, profiles: String = profiles) -> ConfigError? {
        do { _ = try load(rules: rules, profiles: profiles) } catch { return error }
        return nil
    }

    @Test func readsRulesDenialsAndInheritedProfiles() throws {
        let c = try load()
        #expect(c.rulesVersion.hasPrefix("1.0+"))
        #expect(c.rulesVersion.count == "1.0+".count + 7)
        let date = c.rules.first { $0.id == "CLAIM_DATE" }!
        #expect(date.likelyDenial == LikelyDenial(group: "CO", carc: "16"))
        #expect(date.alternateDenial == LikelyDenial(group: "CO", carc: "29"))
        let jl = c.profile(for: Payer(id: "MEDICARE-JL", type: .commercial))
        #expect(jl.profile.name == "MEDICARE-JL")
        #expect(jl.profile.filingLimitDays == 365)
        #expect(jl.profile.timedUnitMethod == .medicare)
        #expect(jl.rules["DX_INVALID"]?.enabled == false)
        #expect(jl.rules["DX_INVALID"]?.weight == 0.5)
        #expect(c.profile(for: Payer(id: "UNKNOWN", type: .medicare)).profile.name == "medicare")
        #expect(c.profile(for: Payer(id: "UNKNOWN", type: .medicaid)).profile.name == "default")
        #expect(c.profile(for: nil).rules["DX_INVALID"]?.enabled == true)
    }

    @Test func versionHashChangesWithContent() throws {
        let a = try load().rulesVersion
        let b = try load(rules: Self.rules.replacingOccurrences("weight: 0.7", "weight: 0.6")).rulesVersion
        #expect(a != b)
        #expect(try load().rulesVersion == a)
    }

    @Test(arguments: [
        ("severity: error, weight: 0.9", "severity: fatal, weight: 0.9", "rules.DX_INVALID.severity", "one of error, warning, info"),
        ("weight: 0.9", "weight: 1.5", "rules.DX_INVALID.weight", "from 0 to 1"),
        ("denial: CO-16 M76", "denial: XX-16", "rules.DX_INVALID.denial", "expected a denial"),
        ("category: validity", "category: structure", "rules.DX_INVALID.category", "'validity'"),
        ("  DX_INVALID:", "  DX_BOGUS:", "rules.DX_BOGUS", "unknown rule id"),
        ("description: \"x\"", "description: \"x\", colour: red", "rules.DX_INVALID.colour", "unknown key"),
        ("version: \"1.0\"\n", "", "version", "missing"),
    ])
    func ruleErrorsNameFileKeyAndExpectation(find: String, replace: String, keyPath: String, expected: String) {
        let e = error(rules: Self.rules.replacingOccurrences(find, replace))
        #expect(e?.file == "rules.yaml")
        #expect(e?.keyPath.hasPrefix(keyPath) == true, "\(String(describing: e))")
        #expect(e?.message.contains(expected) == true, "\(String(describing: e))")
    }

    @Test(arguments: [
        ("DX_INVALID: {enabled", "DX_NOPE: {enabled", "profiles.medicare.rules.DX_NOPE", "unknown rule id"),
        ("DX_INVALID: {enabled", "MOD_25: {enabled", "profiles.medicare.rules.MOD_25", "listed in rules.yaml"),
        ("timedUnitMethod: medicare", "timedUnitMethod: hourly", "profiles.medicare.timedUnitMethod", "medicare, per-code"),
        ("{base: medicare}", "{base: medi}", "profiles.MEDICARE-JL.base", "name of a profile"),
        ("default: {timedUnitMethod: per-code}", "basic: {timedUnitMethod: per-code}", "profiles", "'default'"),
        ("filingLimitDays: 365", "filingLimitDays: -3", "profiles.medicare.filingLimitDays", "positive"),
    ])
    func profileErrorsNameFileKeyAndExpectation(find: String, replace: String, keyPath: String, expected: String) {
        let e = error(profiles: Self.profiles.replacingOccurrences(find, replace))
        #expect(e?.file == "profiles.yaml")
        #expect(e?.keyPath.hasPrefix(keyPath) == true, "\(String(describing: e))")
        #expect(e?.message.contains(expected) == true, "\(String(describing: e))")
    }

    @Test func invalidYAMLNamesTheFile() {
        let e = error(rules: "rules: [unclosed")
        #expect(e?.file == "rules.yaml")
        #expect(e?.description.hasPrefix("rules.yaml: ") == true)
    }

    @Test func shippedConfigurationCoversTheWholeCatalog() throws {
        let c = try ConfigLoader.load(configDirectory: Fixtures.configDirectory)
        #expect(Set(c.rules.map(\.id)) == Set(RuleCatalog.categories.keys))
        for name in ["default", "medicare", "medicaid", "commercial", "other", "MEDICARE-JL"] {
            #expect(c.profiles[name] != nil, "profile \(name)")
        }
        #expect(c.profiles["medicare"]?.profile.filingLimitDays == 365)
    }

    @Test func engineRejectsARuleWithoutSettings() throws {
        let c = try load()
        #expect(throws: ConfigError.self) { try ScrubEngine(configuration: c, library: Fixtures.library) }
    }
}

extension String {
    /// Foundation-free replace of every occurrence (test helper).
    func replacingOccurrences(_ target: String, _ replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var out = ""
        var rest = Substring(self)
        while let r = rest.firstRange(of: target) {
            out += rest[..<r.lowerBound] + replacement
            rest = rest[r.upperBound...]
        }
        return out + rest
    }
}
