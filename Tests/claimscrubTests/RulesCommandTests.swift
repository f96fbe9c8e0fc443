import Foundation
import Testing
@testable import claimscrub

@Suite struct RulesCommandTests {
    func run(_ args: [String]) throws -> (code: Int32, out: String) {
        let r = try ExecutableTests.exec(["rules", "--config", ScrubRunTests.configDirectory] + args)
        return (r.code, r.out)
    }

    /// docs/rules.md and `claimscrub rules` come from the same data, so they cannot drift.
    @Test func markdownIsTheCommittedRulesPage() throws {
        let r = try run(["--format", "markdown"])
        #expect(r.code == 0)
        let page = try String(contentsOfFile: ScrubRunTests.configDirectory + "/../docs/rules.md", encoding: .utf8)
        #expect(r.out == page)
    }

    @Test func jsonListsEveryCatalogRule() throws {
        let r = try run(["--format", "json"])
        #expect(r.code == 0)
        let object = try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any]
        let ids = (object?["rules"] as? [[String: Any]])?.compactMap { $0["id"] as? String } ?? []
        #expect(ids.count == 22)
        #expect(ids.contains("MOD_THERAPY") && ids.contains("CLAIM_NPI"))
    }

    @Test func anUnknownProfileIsAUsageError() throws {
        #expect(try run(["--profile", "no-such-payer"]).code == 2)
    }
}
