/// `DX_UNSPECIFIED`: an unspecified code where the documentation establishes the region or
/// side that selects a specific sibling (M54.9 + thoracic → M54.6). One documented fact
/// gives a fix; several that select different codes give a suggestion only.
public struct DxUnspecifiedRule: Rule {
    public var id: String { "DX_UNSPECIFIED" }
    public var category: RuleCategory { .specificity }
    public init() {}

    /// A documented fact of an entry's axis, with the code it selects (if any). The label is
    /// only spelled out for a finding's text.
    private struct Candidate {
        let fact: Fact
        let evidence: String
        let target: ICD10Code?

        enum Fact {
            case region(SpineRegion)
            case side(Laterality)
        }

        var label: String {
            switch fact {
            case .region(let r): r.spokenPlace
            case .side(let s): s.spokenPlace
            }
        }
    }

    /// What the rule decides for one unspecified code, before any text is built.
    private enum Decision {
        /// Several documented facts: a suggestion naming each usable target, no fix.
        case several(candidates: [Candidate], usable: [Candidate])
        /// One fact selecting `target`: a fix unless the target is already listed or conflicts.
        case one(Candidate, target: ICD10Code, alreadyListed: Bool, conflict: ICD10Code?)
    }

    /// Calls `body` with each diagnosis the rule reports, in claim order.
    private func decide(
        _ claim: Claim, _ context: RuleContext,
        _ body: (_ index: Int, _ code: ICD10Code, _ entry: SpecificityTable.Entry, _ decision: Decision) -> Void
    ) {
        guard context.tables.hasLexicon else { return }
        let claimFacts = context.facts(of: claim)
        let codes = claimFacts.diagnosisCodes
        // Most claims have no unspecified code of the table: the packed keys' table says so
        // without hashing each code as a string (the facts pass asks it the same way).
        let tables = context.tables
        guard codes.indices.contains(where: { codes[$0].map { tables.isUnspecified($0.packedKey) } ?? false }),
              let table = context.tables.specificity
        else { return }
        // The lexicon is copied out of the tables only now (a dozen arrays to retain).
        let facts = DocumentedFacts(claim.documentation, lexicon: context.tables.lexicon!)
        for (index, code) in codes.enumerated() {
            guard let code, let entry = table.entries[code] else { continue }
            let candidates: [Candidate]
            switch entry.axis {
            case .region:
                candidates = facts.regions.map { Candidate(fact: .region($0.value), evidence: $0.evidence, target: entry.byRegion[$0.value]) }
            case .laterality:
                candidates = facts.sides.map { Candidate(fact: .side($0.value), evidence: $0.evidence, target: entry.bySide[$0.value]) }
            }
            let usable = candidates.filter { c in
                c.target.map { context.codeSet.entry($0)?.billable == true } ?? false
            }
            guard let first = usable.first, let target = first.target else { continue }
            if candidates.count > 1 {
                body(index, code, entry, .several(candidates: candidates, usable: usable))
                continue
            }
            let alreadyListed = codes.contains(target)
            let conflict = Self.excludes1Conflict(target, with: codes, replacing: index, context)
            body(index, code, entry, .one(first, target: target, alreadyListed: alreadyListed, conflict: conflict))
        }
    }

    /// Whether this rule's hits carry a fix replacing a diagnosis at an index ≤ `limit`: the
    /// decision alone, without the findings' texts (DX_SYMPTOM_PRIMARY asks for every claim it flags).
    func replacesDiagnosis(atOrBefore limit: Int, _ claim: Claim, _ context: RuleContext) -> Bool {
        var replaces = false
        decide(claim, context) { index, _, _, decision in
            if index <= limit, case .one(_, _, alreadyListed: false, conflict: nil) = decision { replaces = true }
        }
        return replaces
    }

    public func check(_ claim: Claim, _ context: RuleContext) -> [RuleHit] {
        var hits: [RuleHit] = []
        decide(claim, context) { index, code, entry, decision in
            let guideline = entry.reference ?? "ICD-10-CM Official Guidelines I.B"
            switch decision {
            case .several(let candidates, let usable):
                let targets = usable.compactMap(\.target).map(\.dotted)
                hits.append(RuleHit(
                    path: "/diagnoses/\(index)",
                    message: joinedText(
                        context.describe(code), " is unspecified, and the documentation places the pain ",
                        candidates.map(\.label).spokenList, ": report the specific code of each documented site instead."),
                    codes: [code.dotted],
                    suggestion: joinedText(
                        "Replace ", code.dotted, " with the specific code(s) the documentation supports: ", targets.spokenList, "."),
                    evidence: joinedList(candidates.map(\.evidence), separator: "; ", last: "; "),
                    reference: joinedText(guideline, "; Tabular ", joinedList(targets, separator: ", ", last: ", "))))
            case .one(let first, let target, let alreadyListed, let conflict):
                // Texts built at their final size (`joinedText`): one of the commonest findings.
                let dotted = code.dotted, targetDotted = target.dotted
                let suggestion: String
                if alreadyListed {
                    suggestion = joinedText(
                        targetDotted, " is already listed: remove ", dotted, " and point its lines at ", targetDotted, ".")
                } else if let conflict {
                    let conflictDotted = conflict.dotted
                    suggestion = joinedText(
                        targetDotted, " and ", conflictDotted, " exclude each other (Excludes1): if ", conflictDotted,
                        " accounts for the pain, remove ", dotted, " instead.")
                } else {
                    suggestion = joinedText("Replace ", dotted, " with ", context.describe(target), ".")
                }
                hits.append(RuleHit(
                    path: "/diagnoses/\(index)",
                    message: joinedText(
                        context.describe(code), " is unspecified, but the documentation places the pain ", first.label,
                        ": report ", targetDotted, "."),
                    codes: [dotted],
                    suggestion: suggestion,
                    evidence: first.evidence,
                    // A duplicate or an Excludes1 pair would trade this warning for an error: no automatic fix then.
                    fix: alreadyListed || conflict != nil ? [] : [.replace(path: "/diagnoses/\(index)", value: .string(targetDotted))],
                    reference: joinedText(guideline, "; Tabular ", targetDotted)))
            }
        }
        return hits
    }

    /// Another code on the claim that an Excludes1 note forbids beside `target` (either way round).
    static func excludes1Conflict<Codes: Collection<ICD10Code?>>(
        _ target: ICD10Code, with codes: Codes, replacing index: Int, _ context: RuleContext
    ) -> ICD10Code? {
        let targetExcludes = context.codeSet.excludes1(of: target)
        for (i, other) in codes.enumerated() where i != index {
            guard let other else { continue }
            if targetExcludes.contains(where: { $0.matches(other) })
                || context.codeSet.excludes1(of: other).contains(where: { $0.matches(target) }) {
                return other
            }
        }
        return nil
    }
}
