/// `docs/rules.md`, generated from what the engine loaded (rules.yaml, profiles.yaml and the
/// rule packs' data), so the documentation cannot drift from what runs. A test compares the
/// committed file with this output.
public enum RulesDocument {
    public static func markdown(_ engine: ScrubEngine) -> String {
        func cell(_ s: String) -> String {
            String(s.flatMap { $0 == "|" ? ["\\", "|"] : [$0] })
        }
        func denial(_ d: LikelyDenial?) -> String {
            guard let d else { return "—" }
            return ([d.group + "-" + d.carc] + d.rarc).joined(separator: " ")
        }
        var out = [
            "# Rule catalog",
            "",
            "<!-- Generated from Config/ by RulesDocument.markdown; do not edit by hand. "
                + "Regenerate: CLAIMSCRUB_WRITE_DOCS=1 swift test --filter RulesDocumentTests -->",
            "",
            "Rules version \(engine.rulesVersion.split(separator: "+").first.map(String.init) ?? engine.rulesVersion) "
                + "(`Config/rules.yaml`). Severity, weight and likely denial are the defaults; a payer profile may override them.",
            "",
            "| rule | category | severity | weight | likely denial | fixes | description |",
            "| --- | --- | --- | --- | --- | --- | --- |",
        ]
        for entry in engine.catalog() {
            let s = entry.settings
            out.append("| `\(s.id)` | \(s.category.rawValue) | \(s.severity.rawValue) | \(s.weight) | \(denial(s.likelyDenial)) | "
                + "\(s.appliesFixes ? "yes" : "—") | \(cell(s.description))\(entry.implemented ? "" : " (not implemented)") |")
        }
        out += ["", "## Payer profiles (`Config/profiles.yaml`)", "",
                "| profile | timed units | therapy modifier | filing limit (days) |", "| --- | --- | --- | --- |"]
        for name in engine.configuration.profiles.keys.sorted() {
            let p = engine.configuration.profiles[name]!.profile
            out.append("| \(name) | \(p.timedUnitMethod.rawValue) | \(p.requiresTherapyModifier ? "required" : "—") | "
                + "\(p.filingLimitDays.map(String.init) ?? "—") |")
        }
        out += ["", ClinicalReference.markdown(engine.knowledge)]
        return out.joined(separator: "\n")
    }
}
