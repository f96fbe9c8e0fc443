import Testing
@testable import ClaimScrub

/// The result's findings order and its list of distinct fixes, built without copies or hashing.
@Suite struct EngineBookkeepingTests {
    static func findings(_ n: Int) -> [Finding] {
        (0..<n).map { Finding(rule: "R\($0)", category: .validity, severity: .error, message: "m\($0)", path: "/p/\($0)") }
    }

    @Test(arguments: [[Int](), [0], [1, 0], [2, 0, 1], [1, 2, 0], [3, 1, 0, 2], [4, 3, 2, 1, 0], [0, 2, 1, 4, 3]])
    func permutePutsEachFindingWhereTheOrderSays(order: [Int]) {
        let n = order.isEmpty ? 3 : order.count
        let original = Self.findings(n)
        let expected = order.isEmpty ? original : order.map { original[$0] }
        var findings = original
        ScrubEngine.permute(&findings, by: order)
        #expect(findings == expected)
    }

    @Test(arguments: [3, 8, 9, 20])
    func addFixKeepsTheFirstOfEachInOrder(distinct: Int) {
        let ops = (0..<distinct).map { PatchOperation.replace(path: "/serviceLines/\($0)/units", value: .int($0)) }
        // Each operation twice, the repeats interleaved and at the end.
        let input = ops.enumerated().flatMap { i, op in i > 0 ? [op, ops[i - 1]] : [op] } + ops.reversed()
        var fixes: [PatchOperation] = [], seen: Set<PatchOperation> = []
        for op in input { ScrubEngine.addFix(op, to: &fixes, seen: &seen) }
        #expect(fixes == ops)
    }
}
