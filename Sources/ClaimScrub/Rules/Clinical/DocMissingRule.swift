/// `DOC_MISSING`: a documentation element that a coded diagnosis family or a billed
/// procedure requires is absent. One finding per missing element.
public struct DocMissingRule: Rule {
    public var id: String { "DOC_MISSING" }
    public var category: RuleCategory { .documentation }
    public var needsChartData: Bool { true }
    public init() {}

    public func check(_ claim: Claim, _ context: RuleContext) -> [RuleHit] {
        // Only requirements naming a field the claim lacks can add anything; usually there is none.
        let facts = context.facts(of: claim)
        let missing = facts.missingDocumentation
        let tables = context.tables
        guard missing & tables.documentationFieldsRequired != 0, let table = tables.documentation else { return [] }
        // Field → the reasons that require it, in first-seen order.
        var needs: [(field: DocumentationField, reasons: [String], codes: [String])] = []
        // Reason and code are only spelled out for a field that is missing (usually none is).
        func require(_ field: DocumentationField, _ reason: @autoclosure () -> String, _ code: @autoclosure () -> String) {
            guard missing & field.bit != 0 else { return }
            let reason = reason(), code = code()
            if let k = needs.firstIndex(where: { $0.field == field }) {
                if !needs[k].reasons.contains(reason) { needs[k].reasons.append(reason) }
                if !needs[k].codes.contains(code) { needs[k].codes.append(code) }
            } else {
                needs.append((field, [reason], [code]))
            }
        }
        for case let code? in facts.diagnosisCodes {
            // Requirements read in place: a copy of each retained its label and lists.
            for k in table.diagnoses.indices
            where tables.diagnosisDocumentationMasks[k] & missing != 0 && table.diagnoses[k].patterns.anyMatches(code) {
                let req = table.diagnoses[k]
                for f in req.requires { require(f, joinedText(req.label, " (", code.dotted, ")"), code.dotted) }
            }
        }
        let lines = claim.serviceLines ?? []
        for i in lines.indices {
            guard let code = lines[i].procedureCode else { continue }
            for k in table.procedures.indices where tables.procedureDocumentationMasks[k] & missing != 0
                && tables.documentedProcedures[k].lookup(code, packed: facts.lines[i].packedCode) != nil {
                let req = table.procedures[k]
                for f in req.requires { require(f, joinedText(req.label, " (", code.value, ")"), code.value) }
            }
        }
        // Texts built at their final size (`joinedText`): a chart may lack several fields.
        return needs.map { need in
            let field = need.field.rawValue
            return RuleHit(
                path: joinedText("/documentation/", field),
                message: joinedText("The documentation has no ", field, ", which ", need.reasons.spokenList, " requires."),
                codes: need.codes,
                suggestion: joinedText("Document ", field, " in the chart and send it in documentation.", field, "."))
        }
    }
}
