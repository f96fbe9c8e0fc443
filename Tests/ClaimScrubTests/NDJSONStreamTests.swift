import Testing
@testable import ClaimScrub

/// NDJSONReader over a chunk source (a request body) rather than a file.
@Suite struct NDJSONStreamTests {
    /// A source handing out `parts` one at a time; `ready` says how many may be taken without waiting.
    final class Parts: @unchecked Sendable {
        var parts: [[UInt8]]
        var ready: Int
        init(_ parts: [String], ready: Int = .max) {
            self.parts = parts.map { Array($0.utf8) }
            self.ready = ready
        }
        func next() -> [UInt8]? {
            guard !parts.isEmpty else { return nil }
            ready -= 1
            return parts.removeFirst()
        }
    }

    func reader(_ parts: Parts, maxLineBytes: Int = 64) -> NDJSONReader {
        NDJSONReader(maxLineBytes: maxLineBytes, isReady: { parts.ready > 0 }) { () throws(NDJSONReadError) -> [UInt8]? in parts.next() }
    }

    @Test func aBatchStopsAtWhatHasArrivedInsteadOfWaitingForMore() throws {
        let parts = Parts(["{\"a\":1}\n{\"b\"", ":2}\n", "{\"c\":3}\n"], ready: 1)
        let r = reader(parts)
        var lines: [NDJSONLine] = []
        #expect(try r.nextBatch(into: &lines, maxLines: 100))
        #expect(lines.map(\.number) == [1])
        parts.ready = .max
        #expect(try r.nextBatch(into: &lines, maxLines: 100))
        #expect(lines.map(\.number) == [2, 3])
        #expect(try !r.nextBatch(into: &lines, maxLines: 100))
    }

    @Test(arguments: [1, 5, 200])
    func aLineOverTheLimitIsOversizedAndTheNextLineIsReadWhole(partSize: Int) throws {
        let text = "{\"a\":1}\n" + String(repeating: "x", count: 150) + "\n{\"c\":3}\n" + String(repeating: "y", count: 100)
        let bytes = Array(text.utf8)
        let parts = Parts(stride(from: 0, to: bytes.count, by: partSize).map {
            String(decoding: bytes[$0..<min(bytes.count, $0 + partSize)], as: UTF8.self)
        })
        let r = reader(parts)
        var all: [NDJSONLine] = []
        var lines: [NDJSONLine] = []
        while try r.nextBatch(into: &lines, maxLines: 2) { all += lines }
        #expect(all.map(\.number) == [1, 2, 3, 4])
        #expect(all.map(\.oversized) == [false, true, false, true])
        #expect(all[2].bytes == Array("{\"c\":3}".utf8))
        #expect(all[1].bytes.isEmpty)
    }

    @Test func anOversizedLineIsAnInputErrorThatDoesNotStopTheBatch() {
        let lines = [NDJSONLine(number: 1, bytes: [], oversized: true), NDJSONLine(number: 2, bytes: Array("{}".utf8))]
        let outputs = BatchScrubber(engine: Fixtures.engine, today: Fixtures.today).scrub(lines) { line, result in
            (line.number, result)
        }
        #expect(outputs.map(\.0) == [1, 2])
        #expect(throws: BatchScrubber.oversizedLine) { try outputs[0].1.get() }
        #expect((try? outputs[1].1.get()) != nil)
    }

    @Test func aFailingSourceIsAReadErrorAtTheLineBeingRead() {
        var calls = 0
        let r = NDJSONReader { () throws(NDJSONReadError) -> [UInt8]? in
            calls += 1
            if calls == 1 { return Array("{}\n{}\n{".utf8) }
            throw NDJSONReadError(lineNumber: 0)
        }
        var lines: [NDJSONLine] = []
        #expect(throws: NDJSONReadError(lineNumber: 3)) { _ = try r.nextBatch(into: &lines, maxLines: 10) }
    }
}
