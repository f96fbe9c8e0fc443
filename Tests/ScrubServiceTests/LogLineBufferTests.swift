import Foundation
import Logging
import Testing
@testable import ScrubService

#if canImport(Glibc)
import Glibc
#endif

@Suite struct LogLineBufferTests {
    /// Reads the pipe until its write end is closed.
    private func drain(_ fd: Int32) -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while case let n = read(fd, &chunk, chunk.count), n > 0 { bytes += chunk[0..<n] }
        return bytes
    }

    private func append(_ text: String, to buffer: LogLineBuffer) {
        Array(text.utf8).withUnsafeBytes { buffer.append($0) }
    }

    @Test func linesFromManyThreadsArriveWholeAndAllOfThem() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("loglines-\(UUID().uuidString)").path
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        #expect(fd >= 0)
        defer { unlink(path) }
        let buffer = LogLineBuffer(fileDescriptor: fd)
        let threads = 8, perThread = 2_000
        DispatchQueue.concurrentPerform(iterations: threads) { t in
            for n in 0..<perThread { append("{\"thread\":\(t),\"n\":\(n),\"pad\":\"\(String(repeating: "x", count: n % 97))\"}\n", to: buffer) }
        }
        buffer.flush()
        close(fd)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let lines = text.split(separator: "\n")
        #expect(lines.count == threads * perThread)
        var seen = Set<String>()
        for line in lines {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(line)")
            seen.insert("\(object["thread"]!)-\(object["n"]!)")
        }
        #expect(seen.count == threads * perThread)
    }

    @Test func aLineWrittenWhileIdleGoesOutWithoutAFlush() {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        defer { close(fds[0]); close(fds[1]) }
        let buffer = LogLineBuffer(fileDescriptor: fds[1])
        append("one\n", to: buffer)
        // A blocking read: it returns as soon as the writer thread has written the line.
        var chunk = [UInt8](repeating: 0, count: 16)
        let n = read(fds[0], &chunk, chunk.count)
        #expect(n == 4 && Array(chunk[0..<4]) == Array("one\n".utf8))
    }

    /// A descriptor that stops taking bytes holds appenders back instead of growing the
    /// buffer without bound; once it is read again every line arrives.
    @Test func aStuckDescriptorHoldsAppendersBackAndLosesNothing() {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        defer { close(fds[0]) }
        let buffer = LogLineBuffer(fileDescriptor: fds[1], maxPendingBytes: 4_096)
        let line = String(repeating: "y", count: 999) + "\n"
        let lines = 600  // 600 KB: more than a pipe (64 KiB) and the buffer's limit together
        let appended = DispatchSemaphore(value: 0)
        let writeEnd = fds[1]
        DispatchQueue.global().async {
            for _ in 0..<lines { append(line, to: buffer) }
            buffer.flush()
            close(writeEnd)
            appended.signal()
        }
        // Nothing reads yet: the appender must be held back, not finished.
        #expect(appended.wait(timeout: .now() + .milliseconds(300)) == .timedOut)
        let bytes = drain(fds[0])
        appended.wait()
        #expect(bytes.count == lines * 1_000)
        #expect(bytes.split(separator: UInt8(ascii: "\n")).allSatisfy { $0.count == 999 })
    }

    @Test func theHandlerWritesTheSameLinesThroughTheBuffer() throws {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        defer { close(fds[0]) }
        let buffer = LogLineBuffer(fileDescriptor: fds[1])
        var logger = Logger(label: "t") { JSONLogHandler(label: $0, buffer: buffer, now: { 0 }) }
        logger.logLevel = .info
        logger.info("request", metadata: ["status": "200", "route": "/v1/scrub", "bytesIn": .stringConvertible(12)])
        logger.debug("not at this level")
        logger.notice("second")
        buffer.flush()
        close(fds[1])
        let lines = String(decoding: drain(fds[0]), as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 3 && lines[2].isEmpty)
        #expect(lines[0] == #"{"timestamp":"1970-01-01T00:00:00.000Z","level":"info","message":"request","label":"t","bytesIn":"12","route":"/v1/scrub","status":"200"}"#)
        #expect(lines[1] == #"{"timestamp":"1970-01-01T00:00:00.000Z","level":"notice","message":"second","label":"t"}"#)
    }
}
