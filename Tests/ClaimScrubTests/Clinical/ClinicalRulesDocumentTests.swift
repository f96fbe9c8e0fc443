import Foundation
import Testing
@testable import ClaimScrub

/// docs/rules.md is generated from Config; this fails when the two drift apart.
@Suite struct RulesDocumentTests {
    @Test func committedDocMatchesConfig() throws {
        let url = clinicalRepoRoot.appendingPathComponent("docs/rules.md")
        let generated = RulesDocument.markdown(ClinicalEngineExampleTests.engine)
        if ProcessInfo.processInfo.environment["CLAIMSCRUB_WRITE_DOCS"] == "1" {
            try generated.write(to: url, atomically: true, encoding: .utf8)
        }
        let committed = try String(contentsOf: url, encoding: .utf8)
        #expect(committed == generated, "docs/rules.md is stale: CLAIMSCRUB_WRITE_DOCS=1 swift test --filter RulesDocumentTests")
    }

    @Test func docNamesEveryRuleAndTheClinicalTables() {
        let md = RulesDocument.markdown(ClinicalEngineExampleTests.engine)
        for rule in ClinicalRules.all { #expect(md.contains("`\(rule.id)`")) }
        #expect(md.contains("| 72146 | imaging | thoracic spine | thoracic-spine |"))
        #expect(md.contains("| M54.9 | region | cervical → M54.2, thoracic → M54.6, lumbar → M54.50 |"))
    }
}
