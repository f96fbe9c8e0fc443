import Foundation
import Testing
@testable import ClaimScrub

/// The contract's promise for `fixes` (API.md §3): apply the patch, scrub again, and none
/// of the fixed findings and no new error appears. Checked over every example and the
/// fixable test claims below.
@Suite struct ClinicalFixInvariantTests {
    static let claims: [(String, Claim, PayerProfile)] = [
        ("thoracic from painRegions", claim(["M54.9"], [line("97110", ["GP"], minutes: 15)], documented(regions: ["thoracic"])), TestProfile.medicare),
        ("lumbar from notes, second position",
         claim(["J45.909", "M54.9"], [line("99213", pointers: [1, 2])], documented(notes: "Low back pain since lifting.")), TestProfile.medicare),
        ("radiculopathy by region", claim(["M54.10"], [line("97110", ["GP"], minutes: 15)], documented(regions: ["lumbar"])), TestProfile.medicare),
        ("arm by side", claim(["M79.603"], [line("97110", ["GP"], minutes: 15)], documented(laterality: "left")), TestProfile.medicare),
        ("symptom first, fracture third, pointers on three lines",
         claim(["M54.6", "J45.909", "S22.000A"],
               [line("97110", ["GP"], pointers: [1, 3], minutes: 15), line("99213", ["25"], pointers: [2]),
                line("97140", ["GP"], pointers: [3, 2, 1], minutes: 10)]), TestProfile.medicare),
        ("unspecified primary before scoliosis",
         claim(["M54.9", "M41.24"], [line("97110", ["GP"], pointers: [2, 1], minutes: 15)], documented(regions: ["thoracic"])), TestProfile.medicare),
        ("medicare one timed line over-billed", claim(["M54.6"], [line("97110", ["GP"], units: 4, minutes: 38)]), TestProfile.medicare),
        ("medicare one timed line under-billed", claim(["M54.6"], [line("97140", ["GP"], units: 1, minutes: 53)]), TestProfile.medicare),
        ("per-code two codes each over-billed",
         claim(["M54.6"], [line("97110", units: 2, minutes: 10), line("97140", units: 3, minutes: 25)]), TestProfile.commercial),
        ("timed line with start and end time",
         claim(["M54.6"], [line("97530", ["GP"], units: 3, start: "09:00", end: "09:25")]), TestProfile.medicare),
    ]

    static let exampleNames = ClinicalExampleTests.names

    @Test(arguments: exampleNames)
    func examplesKeepTheInvariant(name: String) throws {
        let (json, _) = try ClinicalExampleTests.load(name)
        try checkInvariant(json, profile: TestProfile.medicare)
    }

    @Test(arguments: claims.map(\.0))
    func testClaimsKeepTheInvariant(label: String) throws {
        let (_, c, profile) = Self.claims.first { $0.0 == label }!
        let before = scrubClinical(c, profile: profile)
        #expect(before.contains { !$0.hit.fix.isEmpty }, "the case must offer a fix to test it")
        try checkInvariant(jsonFromClaim(c), profile: profile)
    }

    func checkInvariant(_ json: JSON, profile: PayerProfile) throws {
        let before = scrubClinical(claimFromJSON(json), profile: profile)
        let patch = before.flatMap(\.hit.fix)
        let fixedJSON = try applyPatch(patch, to: json)
        let fixed = claimFromJSON(fixedJSON)
        let after = scrubClinical(fixed, profile: profile)

        let fixedFindings = Set(before.filter { !$0.hit.fix.isEmpty }.map { "\($0.rule) \($0.hit.path)" })
        let afterFindings = Set(after.map { "\($0.rule) \($0.hit.path)" })
        #expect(fixedFindings.isDisjoint(with: afterFindings), "fixed findings came back: \(fixedFindings.intersection(afterFindings))")

        let errorsBefore = Set(before.filter { catalogSeverity[$0.rule] == .error }.map(\.rule))
        let newErrors = after.filter { catalogSeverity[$0.rule] == .error && !errorsBefore.contains($0.rule) }
        #expect(newErrors.isEmpty, "new errors: \(newErrors.map(\.hit.message))")

        // What the structure rules would catch: the fix must keep the claim well formed.
        let dx = fixed.diagnoses ?? []
        #expect(Set(dx.map(\.display)).count == dx.count, "a fix created a duplicate diagnosis")
        for l in fixed.serviceLines ?? [] {
            #expect((l.units ?? 0) > 0, "a fix set units to 0 or removed them")
            #expect((l.diagnosisPointers ?? []).allSatisfy { (1...dx.count).contains($0) })
        }
        // Every line still points at the same codes.
        let original = claimFromJSON(json)
        for (a, b) in zip(original.serviceLines ?? [], fixed.serviceLines ?? []) {
            let namedBefore = original.pointedCodes(a).map { c in
                before.flatMap(\.hit.fix).compactMap { op -> ICD10Code? in
                    // A replaced diagnosis legitimately changes the code a pointer names.
                    if case .replace(let p, .string(let v)) = op, p.hasPrefix("/diagnoses/"),
                       original.diagnosisCodes[Int(p.dropFirst("/diagnoses/".count))!] == c { return ICD10Code(v) }
                    return nil
                }.first ?? c
            }
            #expect(namedBefore == fixed.pointedCodes(b))
        }
    }
}
