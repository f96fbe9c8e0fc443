import Foundation

/// The clinical data as Markdown, for `docs/rules.md`: generated from the loaded
/// `Knowledge`, so the documentation says what the running rules read.
public enum ClinicalReference {
    public static func markdown(_ knowledge: Knowledge) -> String {
        var out: [String] = []
        func cell(_ s: String) -> String { s.replacingOccurrences(of: "|", with: "\\|") }

        if let table = knowledge[SpecificityTable.self] {
            out += ["## Specific codes (`DX_UNSPECIFIED`, `Config/clinical/specificity.yaml`)", "",
                    "| unspecified | by | documented → specific |", "| --- | --- | --- |"]
            for e in table.entries.values.sorted(by: { $0.unspecified < $1.unspecified }) {
                let pairs: [String] = switch e.axis {
                case .region: e.byRegion.sorted { $0.key < $1.key }.map { "\($0.key.rawValue) → \($0.value.dotted)" }
                case .laterality: Laterality.allCases.compactMap { s in e.bySide[s].map { "\(s.rawValue) → \($0.dotted)" } }
                }
                out.append("| \(e.unspecified.dotted) | \(e.axis.rawValue) | \(pairs.joined(separator: ", ")) |")
            }
            out.append("")
        }
        if let lexicon = knowledge[PhraseLexicon.self] {
            out += ["## Phrases in notes (`Config/clinical/lexicon.yaml`)", "",
                    "| fact | phrases |", "| --- | --- |"]
            for r in SpineRegion.allCases { if let p = lexicon.regions[r] { out.append("| \(r.rawValue) | \(cell(p.joined(separator: ", "))) |") } }
            for s in Laterality.allCases { if let p = lexicon.laterality[s] { out.append("| \(s.rawValue) | \(cell(p.joined(separator: ", "))) |") } }
            out += ["", "Negated before: \(lexicon.negationBefore.joined(separator: ", ")).",
                    "Negated after: \(lexicon.negationAfter.joined(separator: ", ")).",
                    "Not negations: \(lexicon.pseudoNegation.joined(separator: ", ")).",
                    "Scope ends at: . ! ? ; : line breaks, \(lexicon.scopeTerminators.joined(separator: ", ")).",
                    "Ignored (establish nothing): \(lexicon.ignored.joined(separator: ", ")).", ""]
        }
        if let table = knowledge[SequencingTable.self] {
            out += ["## Symptoms and definitive conditions (`DX_SYMPTOM_PRIMARY`, `Config/clinical/sequencing.yaml`)", "",
                    "| symptom first | definitive condition also coded |", "| --- | --- |"]
            for r in table.relations {
                let groups = r.definitive.map { "\($0.name) (\($0.patterns.map(\.description).joined(separator: ", ")))" }
                out.append("| \(r.symptoms.map(\.description).joined(separator: ", ")) | \(groups.joined(separator: "; ")) |")
            }
            out.append("")
            if !table.regions.isEmpty {
                out.append("Related only when their spine regions overlap (a code in no region relates to all):")
                out.append("")
                for r in table.regions { out.append("- \(r.name): \(r.patterns.map(\.description).joined(separator: ", "))") }
                out.append("")
            }
        }
        if let table = knowledge[ProcedureTable.self] {
            out += ["## Procedures (`PAIR_DX_PROCEDURE`, `TIMED_*`, `MOD_*`, `Config/clinical/procedures.yaml`)", "",
                    "| code | kind | region | supported by |", "| --- | --- | --- | --- |"]
            for p in table.procedures.values.sorted(by: { $0.code < $1.code }) {
                out.append("| \(p.code) | \(p.kind.rawValue) | \(p.region) | \(p.supportNames.joined(separator: ", ")) |")
            }
            out.append("")
        }
        if let table = knowledge[DocumentationRequirements.self] {
            out += ["## Documentation (`DOC_MISSING`, `Config/clinical/documentation.yaml`)", "",
                    "| when | requires |", "| --- | --- |"]
            for d in table.diagnoses {
                out.append("| \(d.label): \(d.patterns.map(\.description).joined(separator: ", ")) | \(d.requires.map(\.rawValue).joined(separator: ", ")) |")
            }
            for p in table.procedures {
                out.append("| \(p.label): \(p.codes.sorted().map(\.value).joined(separator: ", ")) | \(p.requires.map(\.rawValue).joined(separator: ", ")) |")
            }
            out.append("")
        }
        let ptp = knowledge[PTPTable.self]?.count ?? 0
        let mue = knowledge[MUETable.self]?.edits.count ?? 0
        out += ["## NCCI (`NCCI_PTP`, `NCCI_MUE`, `Config/ncci/`)", "",
                "\(ptp) PTP edits and \(mue) MUE values loaded. The shipped files are illustrative samples in the CMS "
                    + "layouts; see `Config/ncci/README.md` for dropping in the quarterly files.", ""]
        return out.joined(separator: "\n")
    }
}
