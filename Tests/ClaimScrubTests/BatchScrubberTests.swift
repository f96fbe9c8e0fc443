import Foundation
import Testing
@testable import ClaimScrub

@Suite struct NDJSONReaderTests {
    /// Writes `text` to a temporary file and reads it back through the reader.
    private func read(_ text: String, chunkSize: Int, batch: Int = 3) throws -> [NDJSONLine] {
        let path = NSTemporaryDirectory() + "ndjson-\(UUID().uuidString).ndjson"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let reader = try #require(NDJSONReader(path: path, chunkSize: chunkSize))
        var all: [NDJSONLine] = []
        var lines: [NDJSONLine] = []
        while try reader.nextBatch(into: &lines, maxLines: batch) { all += lines }
        return all
    }

    private static let text = "{\"a\":1}\r\n\n   \t\n{\"b\":22}\n{\"c\":333}"

    @Test(arguments: [1, 2, 3, 5, 8, 64, 1 << 20])
    func linesNumbersAndEndsAreTheSameAtEveryChunkSize(chunkSize: Int) throws {
        let lines = try read(Self.text, chunkSize: chunkSize)
        #expect(lines.map(\.number) == [1, 4, 5])
        #expect(lines.map { String(decoding: $0.bytes, as: UTF8.self) } == ["{\"a\":1}", "{\"b\":22}", "{\"c\":333}"])
    }

    @Test func emptyAndBlankFilesHaveNoLines() throws {
        #expect(try read("", chunkSize: 4).isEmpty)
        #expect(try read("\n \n\r\n", chunkSize: 2).isEmpty)
    }

    @Test func aMissingFileIsNil() {
        #expect(NDJSONReader(path: "/nonexistent/claims.ndjson") == nil)
    }
}

@Suite struct BatchScrubberTests {
    private static let claims: [String] = (0..<40).map { i in
        i % 7 == 3
            ? "{\"claimId\": 5}"  // a type error: not a claim
            : "{\"claimId\":\"C\(i)\",\"diagnoses\":[\"M54.\(i % 2 == 0 ? "6" : "9")\"],"
                + "\"serviceLines\":[{\"procedureCode\":\"97110\",\"units\":\(1 + i % 3),\"serviceDate\":\"2026-05-04\","
                + "\"diagnosisPointers\":[1]}]}"
    }

    @Test(arguments: [1, 5, 64])
    func parallelOutputKeepsLineOrderAndMatchesScrubbingOneByOne(grain: Int) {
        let engine = Fixtures.engine
        let lines = Self.claims.enumerated().map { NDJSONLine(number: $0.offset + 1, bytes: Array($0.element.utf8)) }
        let scrubber = BatchScrubber(engine: engine, today: Fixtures.today, batchSize: 16, grain: grain)
        let outputs = scrubber.scrub(lines) { line, result in
            (line.number, (try? result.get())?.encodeJSON())
        }
        #expect(outputs.map(\.0) == Array(1...40))
        for (i, claim) in Self.claims.enumerated() {
            let expected = try? engine.scrub(json: Array(claim.utf8), today: Fixtures.today).encodeJSON()
            #expect(outputs[i].1 == expected, "line \(i + 1)")
        }
        #expect(outputs.filter { $0.1 == nil }.count == 6)
    }

    @Test(arguments: [1, 5, 64])
    func chunksComeInLineOrderWithTheSameResultsAsOneByOne(grain: Int) {
        let engine = Fixtures.engine
        let lines = Self.claims.enumerated().map { NDJSONLine(number: $0.offset + 1, bytes: Array($0.element.utf8)) }
        let scrubber = BatchScrubber(engine: engine, today: Fixtures.today, batchSize: 16, grain: grain)
        let chunks = scrubber.scrubChunks(lines) { chunk, scrub in
            chunk.map { line in (line.number, (try? scrub(line).get())?.encodeJSON()) }
        }
        #expect(chunks.map(\.count) == stride(from: 0, to: 40, by: grain).map { min(grain, 40 - $0) })
        let outputs = chunks.flatMap { $0 }
        #expect(outputs.map(\.0) == Array(1...40))
        for (i, claim) in Self.claims.enumerated() {
            let expected = try? engine.scrub(json: Array(claim.utf8), today: Fixtures.today).encodeJSON()
            #expect(outputs[i].1 == expected, "line \(i + 1)")
        }
    }

    @Test func runReadsAWholeFileInBatches() throws {
        let path = NSTemporaryDirectory() + "batch-\(UUID().uuidString).ndjson"
        try Data((Self.claims.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let reader = try #require(NDJSONReader(path: path, chunkSize: 100))
        var batches: [[Int]] = []
        try BatchScrubber(engine: Fixtures.engine, today: Fixtures.today, batchSize: 16, grain: 4)
            .run(reader, transform: { line, _ in line.number }, emit: { batches.append($0) })
        #expect(batches.map(\.count) == [16, 16, 8])
        #expect(batches.flatMap { $0 } == Array(1...40))
    }

    @Test func aReadErrorComesAfterTheBatchesReadBeforeIt() {
        // 20 claims, then the source fails: the first batch of 16 is still emitted, in full.
        var chunks = [Array((Self.claims.prefix(20).joined(separator: "\n") + "\n").utf8)]
        let reader = NDJSONReader { () throws(NDJSONReadError) -> [UInt8]? in
            guard !chunks.isEmpty else { throw NDJSONReadError(lineNumber: 21) }
            return chunks.removeFirst()
        }
        var batches: [[Int]] = []
        #expect(throws: NDJSONReadError(lineNumber: 21)) {
            try BatchScrubber(engine: Fixtures.engine, today: Fixtures.today, batchSize: 16, grain: 4)
                .run(reader, transform: { line, _ in line.number }, emit: { batches.append($0) })
        }
        #expect(batches == [Array(1...16)])
    }
}
