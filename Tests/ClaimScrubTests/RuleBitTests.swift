import Foundation
import Testing
@testable import ClaimScrub

/// `ClaimFacts.mayReport` lets the engine skip a shipped rule whose bit is clear: a bit that is
/// clear while its rule would report drops a finding. Every rule is run anyway over the contract
/// examples, the benchmark fixtures and a few hundred generated claims with the mistakes each
/// rule catches, and none may report with its bit clear.
@Suite struct RuleBitTests {
    static let engine = ClinicalEngineExampleTests.engine
    static let today = ServiceDate(iso: "2026-06-01")!

    /// The corpus: (label, claim).
    static let corpus: [(String, Claim)] = {
        var claims: [(String, Claim)] = []
        let examples = ClinicalExampleTests.dir
        for name in ClinicalExampleTests.names {
            if let data = try? Data(contentsOf: examples.appendingPathComponent(name + ".claim.json")),
               let claim = try? ClaimDecoder.decode(Array(data)) {
                claims.append((name, claim))
            }
        }
        for name in ["typical", "worst-case"] {
            let url = clinicalRepoRoot.appendingPathComponent("Benchmarks/Fixtures/\(name).claim.json")
            if let data = try? Data(contentsOf: url), let claim = try? ClaimDecoder.decode(Array(data)) {
                claims.append((name, claim))
            }
        }
        var rng = SplitMix(seed: 12)
        for i in 0..<600 {
            var object = ClaimGenerator.claim(i, &rng)
            // Most claims get one to three of the mistakes below; some stay as generated.
            let count = i % 5 == 0 ? 0 : Int(rng.next() % 3) + 1
            var applied: [String] = []
            for _ in 0..<count {
                let k = Int(rng.next() % UInt64(ClaimGenerator.mutations.count))
                ClaimGenerator.mutations[k].apply(&object, &rng)
                applied.append(ClaimGenerator.mutations[k].label)
            }
            let bytes = Array(try! JSONSerialization.data(withJSONObject: object))
            // A mutation may make the claim undecodable (a type the decoder rejects): skipped.
            if let claim = try? ClaimDecoder.decode(bytes) {
                claims.append(("generated \(i): \(applied.joined(separator: ", "))", claim))
            }
        }
        return claims
    }()

    @Test func noRuleReportsWithItsBitClear() {
        for (label, claim) in Self.corpus {
            let breaches = Self.engine.ruleBitBreaches(claim, today: Self.today)
            #expect(breaches.isEmpty, "\(label): \(breaches) reported with their bit clear")
        }
    }

    /// The corpus makes every shipped rule report somewhere, so each bit is tested where it matters.
    @Test func corpusMakesEveryShippedRuleReport() {
        var reported: Set<String> = []
        for (_, claim) in Self.corpus {
            for f in Self.engine.scrub(claim, today: Self.today).findings { reported.insert(f.rule) }
        }
        let missing = RulePacks.rules.map(\.id).filter { !reported.contains($0) }
        #expect(missing.isEmpty, "no claim of the corpus makes \(missing) report")
    }

    /// The check itself: clearing a rule's bit by hand is caught on the claims where it reports.
    @Test func aClearedBitIsCaught() {
        for rule in RulePacks.rules {
            guard let builtin = BuiltinRule(rule) else { continue }
            let caught = Self.corpus.contains { _, claim in
                Self.engine.ruleBitBreaches(claim, today: Self.today, clearing: builtin.bit).contains(rule.id)
            }
            #expect(caught, "clearing \(rule.id)'s bit went unnoticed")
        }
    }

    /// Skipping leaves the findings as running every rule gives them.
    @Test func scrubFindsWhatEveryRuleFinds() {
        for (label, claim) in Self.corpus.prefix(200) {
            let result = Self.engine.scrub(claim, today: Self.today)
            let context = Self.engine.context(for: claim, today: Self.today)
            let settings = Self.engine.configuration.profile(for: claim.payer).rules
            var expected = 0
            for rule in Self.engine.rules where settings[rule.id]?.enabled == true {
                if rule.needsChartData && !claim.origin.carriesChartData { continue }
                expected += rule.check(claim, context).count
            }
            #expect(result.findings.count == expected, "\(label)")
        }
    }
}

/// `ClaimBytesDecoderTests`' seeded generator, with the picks the claim generator makes.
extension SplitMix {
    mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + below(range.count) }
    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
}

/// Claims like `scripts/gen-claims`' (lumbar and thoracic pain, therapy, visits, imaging), as
/// JSON objects, and the mistakes each rule catches as edits of them.
enum ClaimGenerator {
    static let diagnoses = ["M51.26", "M54.16", "M62.830", "M54.50", "M47.816", "M48.061", "G89.29", "M54.6",
                            "M41.24", "M54.2", "M50.20", "M99.03", "M54.9", "M54.5", "M54.12", "M25.511"]
    static let procedures: [(String, Int?)] = [
        ("97110", 30), ("97140", 15), ("97112", 15), ("97530", 25), ("99213", nil), ("99214", nil), ("72148", nil),
        ("97161", nil), ("72146", nil), ("20610", nil), ("97035", 15)]
    static var payers: [[String: Any]] { [
        ["id": "MEDICARE-JL", "type": "medicare"], ["id": "ACME-PPO", "type": "commercial"],
        ["id": "STATE-MCD", "type": "medicaid"], ["type": "medicare"], ["type": "other"]] }

    static func claim(_ i: Int, _ rng: inout SplitMix) -> [String: Any] {
        let count = rng.int(1...4)
        var dx: [String] = []
        while dx.count < count {
            let d = rng.pick(diagnoses)
            if !dx.contains(d) { dx.append(d) }
        }
        let date = String(format: "2026-%02d-%02d", rng.int(3...5), rng.int(1...28))
        var lines: [[String: Any]] = []
        for _ in 0..<rng.int(1...6) {
            let (code, minutes) = rng.pick(procedures)
            var pointers: [Int] = []
            for p in 1...count where pointers.isEmpty || rng.chance(0.5) { pointers.append(p) }
            var line: [String: Any] = [
                "procedureCode": code, "units": 1, "chargeAmount": 80.0, "serviceDate": date, "diagnosisPointers": pointers]
            if let minutes {
                line["modifiers"] = rng.chance(0.9) ? ["GP"] : []
                let units = rng.int(1...3)
                line["units"] = units
                line["minutes"] = minutes * units + rng.pick([0, 0, 0, -10, 8])
            } else if code.hasPrefix("992") {
                line["modifiers"] = rng.chance(0.7) ? ["25"] : []
            }
            lines.append(line)
        }
        return [
            "claimId": "GEN-\(i)",
            "payer": rng.pick(payers),
            "patient": ["birthDate": "1958-09-03", "sex": "F"],
            "billingProvider": ["npi": "1234567893"],
            "renderingProvider": ["npi": "1245319599"],
            "placeOfService": "11",
            "diagnoses": dx,
            "serviceLines": lines,
            "documentation": [
                "onsetDate": "2026-01-15", "severity": "6/10", "painRegions": [rng.pick(["lumbar", "thoracic", "cervical"])],
                "examFindings": ["paraspinal tenderness"], "neurologicalDeficits": rng.chance(0.3),
            ] as [String: Any],
        ]
    }

    struct Mutation: Sendable {
        let label: String
        let apply: @Sendable (inout [String: Any], inout SplitMix) -> Void
    }

    /// Edits one random line (when the claim has one).
    static func line(_ label: String, _ edit: @escaping @Sendable (inout [String: Any], inout SplitMix) -> Void) -> Mutation {
        Mutation(label: label) { claim, rng in
            guard var lines = claim["serviceLines"] as? [[String: Any]], !lines.isEmpty else { return }
            let i = rng.int(0...(lines.count - 1))
            edit(&lines[i], &rng)
            claim["serviceLines"] = lines
        }
    }

    static func diagnosis(_ label: String, _ edit: @escaping @Sendable (inout [String], inout SplitMix) -> Void) -> Mutation {
        Mutation(label: label) { claim, rng in
            var dx = claim["diagnoses"] as? [String] ?? []
            edit(&dx, &rng)
            claim["diagnoses"] = dx
        }
    }

    static func field(_ label: String, _ path: [String], _ value: (any Sendable)?) -> Mutation {
        Mutation(label: label) { claim, _ in
            if path.count == 1 {
                claim[path[0]] = value
            } else {
                var inner = claim[path[0]] as? [String: Any] ?? [:]
                inner[path[1]] = value
                claim[path[0]] = inner
            }
        }
    }

    static let mutations: [Mutation] = [
        field("no claimId", ["claimId"], nil), field("blank claimId", ["claimId"], " "),
        field("blank billing NPI", ["billingProvider", "npi"], ""), field("short NPI", ["billingProvider", "npi"], "12345"),
        field("NPI check digit", ["billingProvider", "npi"], "1234567890"),
        field("spaced NPI", ["billingProvider", "npi"], " 1234567893\t"),
        field("rendering NPI letters", ["renderingProvider", "npi"], "12345678AB"),
        field("rendering NPI check digit", ["renderingProvider", "npi"], "1245319598"),
        field("no diagnoses", ["diagnoses"], [String]()), field("no lines", ["serviceLines"], [[String: String]]()),
        field("future birth date", ["patient", "birthDate"], "2027-01-01"),
        field("unreal birth date", ["patient", "birthDate"], "1958-02-30"),
        field("blank birth date", ["patient", "birthDate"], " "),
        field("unreal onset", ["documentation", "onsetDate"], "2026-13-01"),
        field("future onset", ["documentation", "onsetDate"], "2026-07-01"),
        field("no documentation", ["documentation"], nil),
        field("no severity", ["documentation", "severity"], nil),
        field("thoracic documented", ["documentation", "painRegions"], ["thoracic"]),
        field("left documented", ["documentation", "laterality"], "left"),
        field("medicare", ["payer"], ["type": "medicare"]), field("commercial", ["payer"], ["type": "commercial"]),
        line("no date") { l, _ in l["serviceDate"] = nil },
        line("blank date") { l, _ in l["serviceDate"] = "" },
        line("unreal date") { l, _ in l["serviceDate"] = "2026-02-30" },
        line("future date") { l, _ in l["serviceDate"] = "2026-08-01" },
        line("old date") { l, rng in l["serviceDate"] = rng.pick(["2025-01-15", "2025-10-20", "2024-06-01", "2019-05-01"]) },
        line("other date") { l, rng in l["serviceDate"] = String(format: "2026-04-%02d", rng.int(1...28)) },
        line("end before start") { l, _ in l["serviceDateEnd"] = "2026-01-01" },
        line("end after start") { l, _ in l["serviceDateEnd"] = "2026-05-30" },
        line("unreal end") { l, _ in l["serviceDateEnd"] = "soon" },
        line("future end") { l, _ in l["serviceDateEnd"] = "2026-09-01" },
        line("no code") { l, _ in l["procedureCode"] = nil },
        line("odd code") { l, rng in l["procedureCode"] = rng.pick(["9711", "A-123", "99999", "j1030"]) },
        line("no units") { l, _ in l["units"] = nil },
        line("zero units") { l, rng in l["units"] = rng.pick([0, -2]) },
        line("many units") { l, rng in l["units"] = rng.pick([4, 6, 9, 40]) },
        line("no pointers") { l, _ in l["diagnosisPointers"] = nil },
        line("empty pointers") { l, _ in l["diagnosisPointers"] = [Int]() },
        line("pointer out of range") { l, rng in l["diagnosisPointers"] = [1, rng.pick([0, 5, 13, -1])] },
        line("repeated pointer") { l, _ in l["diagnosisPointers"] = [1, 1] },
        line("five pointers") { l, _ in l["diagnosisPointers"] = [1, 2, 3, 4, 1] },
        line("no modifiers") { l, _ in l["modifiers"] = [String]() },
        line("modifier 25") { l, _ in l["modifiers"] = ["25"] },
        line("modifier 59") { l, rng in l["modifiers"] = [rng.pick(["59", "XS", "GO"])] },
        line("no minutes") { l, _ in l["minutes"] = nil },
        line("times instead") { l, rng in
            l["minutes"] = nil
            l["startTime"] = "09:00"
            l["endTime"] = rng.pick(["09:40", "08:50", "9:70"])
        },
        line("odd minutes") { l, rng in l["minutes"] = rng.pick([0, 5, 7, 8, 22, 23, 53, 120]) },
        line("therapy code") { l, rng in
            l["procedureCode"] = rng.pick(["97110", "97140", "97530", "97161"])
            let minutes = rng.pick([15, 30, 0])
            l["minutes"] = minutes == 0 ? nil : minutes
        },
        line("visit code") { l, rng in l["procedureCode"] = rng.pick(["99213", "99214", "99203"]) },
        line("PTP pair code") { l, rng in l["procedureCode"] = rng.pick(["97140", "97530", "97150", "20610", "97016"]) },
        line("MRI code") { l, rng in l["procedureCode"] = rng.pick(["72146", "72148", "72141"]) },
        Mutation(label: "duplicate line") { claim, rng in
            guard var lines = claim["serviceLines"] as? [[String: Any]], !lines.isEmpty else { return }
            var copy = lines[rng.int(0...(lines.count - 1))]
            copy["units"] = rng.int(1...4)
            lines.append(copy)
            claim["serviceLines"] = lines
        },
        Mutation(label: "lines reversed") { claim, _ in
            claim["serviceLines"] = (claim["serviceLines"] as? [[String: Any]] ?? []).reversed() as [[String: Any]]
        },
        diagnosis("repeated diagnosis") { dx, _ in if let first = dx.first { dx.append(first.lowercased()) } },
        diagnosis("same code undotted") { dx, _ in if let first = dx.first { dx.append(first.replacingOccurrences(of: ".", with: "")) } },
        diagnosis("not a code") { dx, rng in dx.append(rng.pick(["", " ", "back pain", "12345", "M5"])) },
        diagnosis("not a code twice") { dx, _ in dx += ["lumbago", " LUMBAGO "] },
        diagnosis("unknown code") { dx, rng in dx.append(rng.pick(["M54.99", "Z99.999", "Q00.0XX"])) },
        diagnosis("header code") { dx, rng in dx.insert(rng.pick(["M51.2", "M54.1", "M54", "M47.81", "S22"]), at: 0) },
        diagnosis("deleted code") { dx, _ in dx.append("S30.1XXA") },
        diagnosis("manifestation first") { dx, _ in dx.insert("M49.84", at: 0) },
        diagnosis("manifestation later") { dx, _ in dx += ["A18.01", "M49.84"] },
        diagnosis("unspecified code") { dx, rng in dx.insert(rng.pick(["M54.9", "M54.50", "M54.10", "M79.603", "M25.50"]), at: 0) },
        diagnosis("symptom first") { dx, rng in dx = [rng.pick(["M54.6", "M54.50", "M54.2", "M54.9"])] + dx + [rng.pick(["S22.000A", "M41.24", "M51.26", "M48.061"])] },
        diagnosis("excludes1 pair") { dx, rng in dx += rng.pick([["M54.5", "M54.16"], ["M54.50", "M51.26"], ["M54.2", "M50.20"], ["G89.29", "M54.6"]]) },
        diagnosis("thirteen diagnoses") { dx, _ in dx = Array(diagnoses.prefix(13)) },
        diagnosis("twelve diagnoses") { dx, _ in dx = Array(diagnoses.prefix(12)) },
    ]
}
