import Dispatch

/// Scrubs a stream of NDJSON claims on every core while keeping input order: lines are
/// read in batches, each batch is decoded, scrubbed and turned into output in parallel
/// (`DispatchQueue.concurrentPerform`), then handed out in line order.
///
/// Memory holds two batches of lines and one of outputs, whatever the file's length.
public struct BatchScrubber: Sendable {
    public let engine: ScrubEngine
    public let today: ServiceDate
    /// Lines per batch: large enough to keep every core busy, small enough to stay flat.
    public var batchSize: Int
    /// Claims one worker takes at a time within a batch.
    public var grain: Int
    /// Line bytes per batch: many long lines make a shorter batch, so memory stays bounded
    /// even when every line is near the reader's line limit.
    public var batchBytes: Int

    public init(engine: ScrubEngine, today: ServiceDate, batchSize: Int = 8_192, grain: Int = 64, batchBytes: Int = 16 << 20) {
        self.engine = engine
        self.today = today
        self.batchSize = max(1, batchSize)
        self.grain = max(1, grain)
        self.batchBytes = max(1, batchBytes)
    }

    /// Reads every line of `reader`; for each, in parallel, `transform` gets the line and
    /// its scrub result (or why it is not a claim) and makes the output; `emit` then gets
    /// each batch's outputs in line order, on the calling thread.
    ///
    /// The next batch is read on another thread while this one is scrubbed and emitted, so
    /// the cores do not idle while the calling thread reads (two batches of lines are in
    /// memory). A read error is thrown after every batch read before it has been emitted,
    /// as when nothing overlapped.
    public func run<Output: Sendable>(
        _ reader: NDJSONReader,
        transform: @Sendable (NDJSONLine, Result<ScrubResult, ClaimInputError>) -> Output,
        emit: ([Output]) -> Void
    ) throws(NDJSONReadError) {
        try readingAhead(reader) { lines in emit(scrub(lines, transform: transform)) }
    }

    /// As `run`, but `transform` makes one output per chunk of up to `grain` consecutive
    /// lines, calling `scrub` on each of them in order: a chunk's results can go into one
    /// buffer rather than one per line copied together afterwards.
    public func runChunks<Output: Sendable>(
        _ reader: NDJSONReader,
        transform: @Sendable (_ chunk: ArraySlice<NDJSONLine>, _ scrub: (NDJSONLine) -> Result<ScrubResult, ClaimInputError>) -> Output,
        emit: ([Output]) -> Void
    ) throws(NDJSONReadError) {
        try readingAhead(reader) { lines in emit(scrubChunks(lines, transform: transform)) }
    }

    /// Hands each batch of `reader`'s lines to `body` while the next batch is read.
    private func readingAhead(_ reader: NDJSONReader, _ body: ([NDJSONLine]) -> Void) throws(NDJSONReadError) {
        let source = BatchReadAhead(reader: reader, maxLines: batchSize, maxBytes: batchBytes)
        var lines = try source.readNow()
        while !lines.isEmpty {
            source.start()
            body(lines)
            lines = try source.wait()
        }
    }

    /// One batch by chunks: the outputs of `lines[0..<grain]`, `lines[grain..<2 * grain]`, …, in order.
    public func scrubChunks<Output: Sendable>(
        _ lines: [NDJSONLine],
        transform: @Sendable (_ chunk: ArraySlice<NDJSONLine>, _ scrub: (NDJSONLine) -> Result<ScrubResult, ClaimInputError>) -> Output
    ) -> [Output] {
        let count = lines.count
        guard count > 0 else { return [] }
        let grain = self.grain
        let chunks = (count + grain - 1) / grain
        return [Output](unsafeUninitializedCapacity: chunks) { buffer, initialized in
            // Each iteration writes its own slot of `buffer`, so no lock is needed.
            nonisolated(unsafe) let base = buffer.baseAddress!
            DispatchQueue.concurrentPerform(iterations: chunks) { c in
                let lower = c * grain
                let upper = min(count, lower + grain)
                (base + c).initialize(to: transform(lines[lower..<upper], result(of:)))
            }
            initialized = chunks
        }
    }

    /// One line's scrub result, or why it is not a claim.
    @inline(__always)
    private func result(of line: NDJSONLine) -> Result<ScrubResult, ClaimInputError> {
        if line.oversized { return .failure(Self.oversizedLine) }
        // Read in place in the reader's chunk: no copy of the line.
        return line.slice.withUnsafeBytes { buffer in
            do throws(ClaimInputError) {
                return .success(try engine.scrub(json: buffer, today: today))
            } catch {
                return .failure(error)
            }
        }
    }

    /// Why an over-long line (`NDJSONLine.oversized`) is not a claim: its bytes were never kept.
    public static let oversizedLine = ClaimInputError(
        kind: .syntax, errors: [.init(pointer: "", detail: "the line is longer than a claim may be and was not read")])

    /// One batch: the outputs of `lines`, in order.
    public func scrub<Output: Sendable>(
        _ lines: [NDJSONLine],
        transform: @Sendable (NDJSONLine, Result<ScrubResult, ClaimInputError>) -> Output
    ) -> [Output] {
        let count = lines.count
        guard count > 0 else { return [] }
        let grain = self.grain
        return [Output](unsafeUninitializedCapacity: count) { buffer, initialized in
            // Each iteration writes its own disjoint slots of `buffer`, so no lock is needed.
            nonisolated(unsafe) let base = buffer.baseAddress!
            let chunks = (count + grain - 1) / grain
            DispatchQueue.concurrentPerform(iterations: chunks) { c in
                let lower = c * grain
                let upper = min(count, lower + grain)
                for i in lower..<upper {
                    let line = lines[i]
                    (base + i).initialize(to: transform(line, result(of: line)))
                }
            }
            initialized = count
        }
    }
}


/// Reads a reader's batches, the next one on a global-queue thread while the caller works.
/// Only one thread touches the reader at a time: `start` hands it over and `wait` takes it back.
private final class BatchReadAhead: @unchecked Sendable {
    // @unchecked: `reader` and `result` are used by the reading thread only between `start`
    // and the semaphore's signal, and by the caller only outside that span.
    private let reader: NDJSONReader
    private let maxLines: Int
    private let maxBytes: Int
    private var result: Result<[NDJSONLine], NDJSONReadError> = .success([])
    private let done = DispatchSemaphore(value: 0)

    init(reader: NDJSONReader, maxLines: Int, maxBytes: Int) {
        self.reader = reader
        self.maxLines = maxLines
        self.maxBytes = maxBytes
    }

    /// The next batch (empty at the end of the input), read on the calling thread.
    func readNow() throws(NDJSONReadError) -> [NDJSONLine] {
        var lines: [NDJSONLine] = []
        lines.reserveCapacity(min(maxLines, 8_192))
        guard try reader.nextBatch(into: &lines, maxLines: maxLines, maxBytes: maxBytes) else { return [] }
        return lines
    }

    func start() {
        DispatchQueue.global().async { [self] in
            do throws(NDJSONReadError) {
                result = .success(try readNow())
            } catch {
                result = .failure(error)
            }
            done.signal()
        }
    }

    /// The batch `start` read.
    func wait() throws(NDJSONReadError) -> [NDJSONLine] {
        done.wait()
        defer { result = .success([]) }
        return try result.get()
    }
}
