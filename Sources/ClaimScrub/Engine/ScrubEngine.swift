/// The scrubber: configuration + code sets + rules + rule data, immutable and shared by
/// every request. `scrub` is pure: the same claim, configuration and `today` give the
/// same result.
public final class ScrubEngine: Sendable {
    public let configuration: EngineConfiguration
    public let library: CodeSetLibrary
    public let rules: [any Rule]
    public let knowledge: Knowledge
    /// `knowledge`'s tables, read once.
    private let tables: KnowledgeTables
    /// Per profile key of `configuration.profiles`: the payer profile and its enabled rules
    /// with their settings, in rule order (built once), so that a claim finds both with the
    /// lookups of `EngineConfiguration.profile(for:)` alone. Rules and settings are parallel
    /// arrays: reading a rule out of an array of (rule, settings) pairs copied the whole pair.
    private let plansByProfile: [String: Plan]
    /// `plansByProfile` as a list: a handful of profiles are found by comparing short keys
    /// faster than by hashing the payer's id and type.
    private let planList: [(key: String, plan: Plan)]

    private final class Plan: Sendable {
        let profile: PayerProfile
        let rules: [any Rule]
        let settings: [RuleSettings]
        /// Per rule, what the loop reads for every claim, without opening the existential.
        let steps: [Step]
        /// The claim-independent part of this profile's rule contexts.
        let contextShared: RuleContextShared
        /// Per rule, what its findings share (`stamps`), and the same with the configured
        /// alternate denial (`alternateStamps`, for a hit that asks for it).
        let stamps: [RuleStamp]
        let alternateStamps: [RuleStamp]
        /// Per rule, `settings[i].appliesFixes` (reading it copied the settings).
        let appliesFixes: [Bool]
        /// When every rule is a shipped one and their bits rise with rule order: the bits of all
        /// of them (`bitSteps`), of those that need chart data (`chartBits`), and the rule at each
        /// bit (`stepAtBit`). The loop then visits only the rules whose bit the claim leaves set,
        /// in rule order; nil otherwise (each rule is checked in turn).
        let bitSteps: UInt32?
        let chartBits: UInt32
        let stepAtBit: [Int]
        init(profile: PayerProfile, rules: [any Rule], settings: [RuleSettings], contextShared: RuleContextShared) {
            self.profile = profile
            self.contextShared = contextShared
            self.rules = rules
            self.settings = settings
            self.steps = rules.map {
                let builtin = BuiltinRule($0)
                return Step(
                    builtin: builtin, bit: builtin?.bit ?? 0, needsChartData: $0.needsChartData, id: $0.id, category: $0.category)
            }
            let stamps = zip(steps, settings).map { step, s in
                RuleStamp(
                    rule: step.id, category: step.category, severity: s.severity, weight: s.weight,
                    likelyDenial: s.likelyDenial, reference: s.reference)
            }
            self.stamps = stamps
            self.appliesFixes = settings.map(\.appliesFixes)
            self.alternateStamps = zip(stamps, settings).map { stamp, s in
                s.alternateDenial.map { stamp.overriding(likelyDenial: $0, reference: nil) } ?? stamp
            }
            var all: UInt32 = 0, chart: UInt32 = 0, rising = true
            var at = [Int](repeating: 0, count: 32)
            for (i, step) in steps.enumerated() {
                guard step.builtin != nil, step.bit != 0, step.bit > all else { rising = false; break }
                all |= step.bit
                if step.needsChartData { chart |= step.bit }
                at[step.bit.trailingZeroBitCount] = i
            }
            self.bitSteps = rising ? all : nil
            self.chartBits = chart
            self.stepAtBit = at
        }
    }

    /// The engine's sink: each hit of the rule at `rule` made a `Finding` in place, with the
    /// plan's stamp for that rule; fixes are kept (parallel to `findings`) when its settings allow.
    private struct FindingSink: HitSink {
        let plan: Plan
        var rule = 0
        var findings: [Finding] = []
        /// Fixes are rare: stays empty (no allocation) until a finding has one.
        var findingFixes: [[PatchOperation]] = []

        init(plan: Plan) { self.plan = plan }

        /// Not inlined: inlined into `take`'s loop, the finding was again laid out twice.
        @inline(never)
        mutating func report(
            path: consuming String, message: consuming String, codes: consuming FindingCodes, suggestion: consuming String?,
            evidence: consuming String?, fix: consuming [PatchOperation], reference: consuming String?,
            likelyDenial: consuming LikelyDenial?, usesAlternateDenial: Bool
        ) {
            var stamp = usesAlternateDenial ? plan.alternateStamps[rule] : plan.stamps[rule]
            if likelyDenial != nil { stamp = stamp.overriding(likelyDenial: likelyDenial, reference: nil) }
            if !fix.isEmpty && plan.appliesFixes[rule] {
                while findingFixes.count < findings.count { findingFixes.append([]) }
                findingFixes.append(fix)
            }
            append(stamp, text: message, suggestionStart: nil, separateSuggestion: suggestion, path: path, codes: codes, evidence: evidence)
            if reference != nil {
                findings.withUnsafeMutableBufferPointer { $0[$0.count - 1].referenceOverride = reference }
            }
        }

        mutating func report(
            path: consuming String, messageAndSuggestion text: consuming String, suggestionStart: Int, codes: consuming FindingCodes
        ) {
            append(plan.stamps[rule], text: text, suggestionStart: suggestionStart, separateSuggestion: nil, path: path, codes: codes, evidence: nil)
        }

        /// A blank finding appended, then its fields set in place: appending a finding built
        /// whole laid it out twice, one image copied into the array (every string retained)
        /// and the other destroyed (all released again).
        @inline(__always)
        private mutating func append(
            _ stamp: consuming RuleStamp, text: consuming String, suggestionStart: Int?, separateSuggestion: consuming String?,
            path: consuming String, codes: consuming FindingCodes, evidence: consuming String?
        ) {
            // The first finding (most claims have one) written straight into a new buffer: no
            // blank to copy and overwrite, no growth path.
            if findings.isEmpty {
                findings = [Finding(
                    stamp: stamp, text: text, suggestionStart: suggestionStart, separateSuggestion: separateSuggestion,
                    path: path, codes: codes, evidence: evidence)]
                return
            }
            findings.append(Finding.blank)
            findings.withUnsafeMutableBufferPointer { buffer in
                let f = buffer.baseAddress! + (buffer.count - 1)
                f.pointee.stamp = stamp
                f.pointee.suggestionStart = suggestionStart
                f.pointee.text = text
                f.pointee.path = path
                f.pointee.codeList = codes
                if separateSuggestion != nil { f.pointee.separateSuggestion = separateSuggestion }
                if evidence != nil { f.pointee.evidence = evidence }
            }
        }
    }

    private struct Step: Sendable {
        /// nil for a rule that is not one of the shipped ones (called through `any Rule`).
        let builtin: BuiltinRule?
        /// `builtin`'s bit in `ClaimFacts.mayReport`; 0 for a rule that always runs.
        let bit: UInt32
        let needsChartData: Bool
        let id: String
        let category: RuleCategory
    }

    /// Checks that every rule has settings in the configuration and the category it declares.
    public init(
        configuration: EngineConfiguration, library: CodeSetLibrary,
        rules: [any Rule] = RulePacks.rules, knowledge: Knowledge = Knowledge()
    ) throws(ConfigError) {
        let configured = Dictionary(configuration.rules.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var seen: Set<String> = []
        for rule in rules {
            guard seen.insert(rule.id).inserted else {
                throw ConfigError(file: ConfigLoader.rulesFileName, keyPath: "rules.\(rule.id)", "rule registered twice in RulePacks")
            }
            guard let s = configured[rule.id] else {
                throw ConfigError(file: ConfigLoader.rulesFileName, keyPath: "rules.\(rule.id)", "expected settings for this rule (it is missing)")
            }
            guard s.category == rule.category else {
                throw ConfigError(file: ConfigLoader.rulesFileName, keyPath: "rules.\(rule.id).category", "expected '\(rule.category.rawValue)'")
            }
        }
        self.configuration = configuration
        self.library = library
        self.rules = rules
        self.knowledge = knowledge
        let tables = KnowledgeTables(knowledge)
        self.tables = tables
        // Plans by profile name, as `PayerProfile.name` selects them.
        let plans = configuration.profiles.mapValues { resolved in
            let enabled: [(rule: any Rule, settings: RuleSettings)] = rules.compactMap { rule in
                guard let s = resolved.rules[rule.id], s.enabled else { return nil }
                return (rule, s)
            }
            return (rules: enabled.map(\.rule), settings: enabled.map(\.settings))
        }
        self.plansByProfile = configuration.profiles.mapValues { resolved in
            let plan = plans[resolved.profile.name] ?? ([], [])
            return Plan(
                profile: resolved.profile, rules: plan.rules, settings: plan.settings,
                contextShared: RuleContextShared(library: library, profile: resolved.profile, knowledge: knowledge, tables: tables))
        }
        self.planList = plansByProfile.sorted { $0.key < $1.key }.map { (key: $0.key, plan: $0.value) }
    }

    /// Loads everything from a configuration directory (`Config/`): rules.yaml,
    /// profiles.yaml, the code sets (via `CodeSetSource`) and each rule pack's data.
    public static func load(configDirectory dir: String) throws(ConfigError) -> ScrubEngine {
        let configuration = try ConfigLoader.load(configDirectory: dir)
        let library = try CodeSetSource.loadLibrary(configDirectory: dir)
        var knowledge = Knowledge()
        for loader in RulePacks.knowledgeLoaders {
            try loader.load(configDirectory: dir, into: &knowledge)
        }
        return try ScrubEngine(configuration: configuration, library: library, knowledge: knowledge)
    }

    public var rulesVersion: String { configuration.rulesVersion }

    /// Decodes and scrubs a request body. Throws only for malformed JSON / wrong types.
    public func scrub(json: [UInt8], today: ServiceDate) throws(ClaimInputError) -> ScrubResult {
        scrub(try ClaimDecoder.decode(json), today: today)
    }

    /// Same, over borrowed bytes (an NDJSON line inside a request buffer), without a copy.
    public func scrub(json buffer: UnsafeRawBufferPointer, today: ServiceDate) throws(ClaimInputError) -> ScrubResult {
        scrub(try ClaimDecoder.decode(buffer), today: today)
    }

    /// The date that selects the code-set release: the earliest real service date of
    /// the claim's lines (a claim spanning two releases is checked against the older
    /// one's codes); nil when no line has one (the newest release is used).
    public static func releaseSelectionDate(of claim: Claim) -> ServiceDate? {
        var earliest: ServiceDate?
        for line in claim.serviceLines ?? [] {
            if let d = line.serviceDate?.date, earliest.map({ d < $0 }) ?? true { earliest = d }
        }
        return earliest
    }

    /// The rule context for a claim (exposed for rule tests).
    public func context(for claim: Claim, today: ServiceDate) -> RuleContext {
        context(for: claim, profile: configuration.profile(for: claim.payer).profile, today: today)
    }

    private func context(for claim: Claim, profile: PayerProfile, today: ServiceDate) -> RuleContext {
        let (codeSet, covered) = library.release(for: Self.releaseSelectionDate(of: claim))
        return RuleContext(
            codeSet: codeSet, library: library, codeSetCoversDates: covered,
            profile: profile, today: today, knowledge: knowledge, tables: tables)
    }

    /// The engine's context: with the claim's facts, derived once for all rules. A `let`, so
    /// that each rule borrows it (a `var` was copied for every rule call).
    /// The facts pass also picks the release (`releaseSelectionDate`'s date, read as it goes).
    private func scrubContext(for claim: Claim, plan: Plan, today: ServiceDate) -> RuleContext {
        let facts = ClaimFacts.reusable(claim, library: library, tables: tables, today: today, profile: plan.profile)
        return RuleContext(
            codeSet: facts.codeSet, codeSetCoversDates: facts.codeSetCoversDates, today: today, shared: plan.contextShared,
            claimFacts: facts)
    }

    /// `plans[configuration.profile(for: payer).profile.name]` with its profile, in one step.
    private func plan(for payer: Payer?) -> Plan {
        if let id = payer?.id, let p = listedPlan(id) { return p }
        if let t = payer?.type, let p = listedPlan(t.profileName) { return p }
        return plansByProfile["default"]!
    }

    private func listedPlan(_ key: String) -> Plan? {
        for k in planList.indices where planList[k].key == key { return planList[k].plan }
        return nil
    }

    public func scrub(_ claim: Claim, today: ServiceDate) -> ScrubResult {
        let plan = plan(for: claim.payer)
        // The lookups and groupings most rules share, once per claim rather than once per rule.
        let context = scrubContext(for: claim, plan: plan, today: today)
        let mayReport = context.claimFacts!.mayReport

        // Findings and their fixes in rule order, as parallel arrays: the findings array becomes
        // the result's as it is when no reordering is needed (no copy of each finding).
        var sink = FindingSink(plan: plan)
        let rules = plan.rules, steps = plan.steps
        let chartData = claim.origin.carriesChartData
        if let all = plan.bitSteps {
            // Only the rules whose bit is set, lowest bit (earliest rule) first: skipping the
            // others one by one cost ~10 instructions a rule.
            var left = mayReport & all & (chartData ? ~0 : ~plan.chartBits)
            while left != 0 {
                let i = plan.stepAtBit[left.trailingZeroBitCount]
                left &= left &- 1
                sink.rule = i
                steps[i].builtin.unsafelyUnwrapped.check(claim, context, into: &sink)
            }
        } else {
            for i in steps.indices {
                if !chartData && steps[i].needsChartData { continue }
                // A shipped rule whose bit is clear finds nothing for this claim (`ruleBitBreaches` checks).
                if steps[i].bit != 0 && mayReport & steps[i].bit == 0 { continue }
                sink.rule = i
                if let builtin = steps[i].builtin {
                    builtin.check(claim, context, into: &sink)
                } else {
                    sink.take(rules[i].check(claim, context))
                }
            }
        }
        var findings = ScrubEngine.taken(&sink.findings, [])
        let findingFixes = ScrubEngine.taken(&sink.findingFixes, [])
        // Sorted as indices: moving the findings themselves retained and released every string
        // of each on every move. A single finding needs no order at all.
        var order: [Int] = []
        if findings.count > 1 {
            // Through the buffer: `findings[i].severity` copied the whole finding to read one field.
            findings.withUnsafeBufferPointer { f in
                func precedes(_ i: Int, _ j: Int) -> Bool {
                    let a = f[i].severity, b = f[j].severity
                    if a != b { return a < b }
                    if f[i].path != f[j].path { return JSONPointer.precedes(f[i].path, f[j].path) }
                    return i < j
                }
                // A total order (ties go by index): findings already in it, as rules often report
                // them, are recognised with a comparison per neighbour instead of a sort.
                if f.indices.dropLast().allSatisfy({ precedes($0, $0 + 1) }) { return }
                order = Array(f.indices)
                order.sort(by: precedes)
            }
        }

        var summary = Summary(errors: 0, warnings: 0, info: 0)
        var keep = 1.0
        var fixes: [PatchOperation] = []
        // A claim has a few fixes: comparing with those kept is cheaper than hashing each into a
        // set; the set is only filled past `linearFixLimit` (a claim with many lines to fix).
        var seenFixes: Set<PatchOperation> = []
        // The k-th finding in result order, read in place through the buffer: `findings[k].weight`
        // copied the whole finding (retaining every string of it) to read one field.
        findings.withUnsafeBufferPointer { f in
            for n in f.indices {
                let k = order.isEmpty ? n : order[n]
                switch f[k].severity {
                case .error: summary.errors += 1
                case .warning: summary.warnings += 1
                case .info: summary.info += 1
                }
                keep *= 1 - f[k].weight
                guard k < findingFixes.count else { continue }
                for op in findingFixes[k] { Self.addFix(op, to: &fixes, seen: &seenFixes) }
            }
        }
        let status: ClaimStatus = summary.errors > 0 ? .fail : summary.warnings > 0 ? .review : .pass
        Self.permute(&findings, by: order)
        return ScrubResult(
            claimId: claim.claimId, status: status, denialRisk: Self.denialRisk(keepProbability: keep),
            summary: summary, findings: findings, fixes: fixes,
            codeSetVersion: context.codeSet.version, rulesVersion: configuration.rulesVersion)
    }

    /// The ids of the rules `scrub` would skip for `claim` (bit clear in `ClaimFacts.mayReport`,
    /// after clearing `clearing` too) that report something when run anyway: none, unless a
    /// bit is wrong. For tests.
    func ruleBitBreaches(_ claim: Claim, today: ServiceDate, clearing: UInt32 = 0) -> [String] {
        let plan = plan(for: claim.payer)
        let context = scrubContext(for: claim, plan: plan, today: today)
        let mayReport = context.claimFacts!.mayReport & ~clearing
        let chartData = claim.origin.carriesChartData
        var breaches: [String] = []
        for i in plan.steps.indices {
            let step = plan.steps[i]
            guard chartData || !step.needsChartData, let builtin = step.builtin, mayReport & step.bit == 0 else { continue }
            if !builtin.check(claim, context).isEmpty { breaches.append(step.id) }
        }
        return breaches
    }

    /// `value`'s content, `empty` left in its place: a move, where a copy retained it.
    @inline(__always)
    static func taken<T>(_ value: inout T, _ empty: T) -> T {
        var out = empty
        swap(&out, &value)
        return out
    }

    /// Up to this many fixes, duplicates are found by comparison rather than by hashing.
    static let linearFixLimit = 8

    /// Appends `op` unless `fixes` has it. `seen` holds `fixes` once they are past `linearFixLimit`.
    static func addFix(_ op: PatchOperation, to fixes: inout [PatchOperation], seen: inout Set<PatchOperation>) {
        if fixes.count < linearFixLimit {
            if !fixes.contains(op) { fixes.append(op) }
            return
        }
        if seen.isEmpty { seen = Set(fixes) }
        if seen.insert(op).inserted { fixes.append(op) }
    }

    /// `findings = order.map { findings[$0] }` (unchanged when `order` is empty), by swapping the findings
    /// into place: a copy retained every string of each finding and released the old array's.
    /// In place (`inout`): a copy of the array passed in was not unique, and the first swap copied it.
    static func permute(_ findings: inout [Finding], by order: [Int]) {
        guard !order.isEmpty else { return }
        // `at[p]`: the original index of the finding now at `p`; `position[i]`: where original `i` is.
        var at = Array(findings.indices), position = at
        // Swapped through the buffer: `Array.swapAt` (MutableCollection's) copied both findings.
        findings.withUnsafeMutableBufferPointer { buffer in
            for k in order.indices {
                let source = order[k], p = position[source]
                guard p != k else { continue }
                buffer.swapAt(k, p)
                let displaced = at[k]
                at[p] = displaced
                position[displaced] = p
                at[k] = source
                position[source] = k
            }
        }
    }

    /// `round(100 × (1 − Π(1 − wᵢ)))`; low < 30 ≤ medium < 70 ≤ high.
    static func denialRisk(keepProbability keep: Double) -> DenialRisk {
        let score = min(100, max(0, Int((100 * (1 - keep)).rounded())))
        return DenialRisk(score: score, level: score < 30 ? .low : score < 70 ? .medium : .high)
    }

    public static func denialRisk(weights: [Double]) -> DenialRisk {
        denialRisk(keepProbability: weights.reduce(1.0) { $0 * (1 - $1) })
    }

    /// The rule catalog (`GET /v1/rules`) as a profile sees it (`default` when nil),
    /// in configuration order, with whether this build implements each rule.
    public func catalog(profile name: String? = nil) -> [CatalogEntry] {
        let resolved = name.flatMap { configuration.profiles[$0] } ?? configuration.profiles["default"]!
        let implemented = Set(rules.map(\.id))
        return configuration.rules.compactMap { base in
            guard let s = resolved.rules[base.id] else { return nil }
            return CatalogEntry(settings: s, implemented: implemented.contains(base.id))
        }
    }
}

/// One row of the rule catalog.
public struct CatalogEntry: Sendable, Equatable {
    public var settings: RuleSettings
    /// False for a catalog rule configured but not (yet) in `RulePacks.rules`.
    public var implemented: Bool
}
