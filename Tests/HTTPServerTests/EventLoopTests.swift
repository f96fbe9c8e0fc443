import Dispatch
import Foundation
import Testing

@testable import HTTPServer

#if canImport(Glibc)
import Glibc
#endif

/// The event loops under the server: tasks from other threads, timers, watched descriptors,
/// and how connections share a loop.
@Suite(.serialized) struct EventLoopTests {
    // MARK: The loop on its own

    @Test func executeFromOtherThreadsRunsEveryTaskOnTheLoopInSubmissionOrderPerThread() async throws {
        let loop = EventLoop(name: "test.loop")
        defer { loop.stop() }
        let log = ThreadLog()
        DispatchQueue.concurrentPerform(iterations: 4) { thread in
            for n in 0..<250 {
                loop.execute { log.append(thread: thread, value: n, onLoop: loop.inEventLoop) }
            }
        }
        #expect(await eventually { log.count == 1000 })
        #expect(log.allOnLoop)
        for thread in 0..<4 {
            #expect(log.values(of: thread) == Array(0..<250))
        }
    }

    @Test func scheduledTasksRunOnTheLoopInDeadlineOrder() async throws {
        let loop = EventLoop(name: "test.loop")
        defer { loop.stop() }
        let log = ThreadLog()
        // Pushed in one loop turn so the deadlines are what the intervals say, not when calls landed.
        loop.execute {
            loop.schedule(after: .milliseconds(300)) { log.append(thread: 0, value: 3, onLoop: loop.inEventLoop) }
            loop.schedule(after: .milliseconds(100)) { log.append(thread: 0, value: 2, onLoop: loop.inEventLoop) }
            loop.schedule(after: .zero) { log.append(thread: 0, value: 1, onLoop: loop.inEventLoop) }
        }
        #expect(await eventually { log.count == 3 })
        #expect(log.values(of: 0) == [1, 2, 3])
        #expect(log.allOnLoop)
    }

    @Test func aWatchedDescriptorReportsReadinessOnlyWhileWanted() async throws {
        let loop = EventLoop(name: "test.loop")
        defer { loop.stop() }
        let pair = try SocketPair()
        let channel = RecordingChannel(loop: loop)
        loop.execute {
            channel.watch = loop.watch(fd: pair.server, channel: channel)
            channel.watch?.wantsRead = true
        }
        pair.sendToServer("x")
        #expect(await eventually { channel.readableCount == 1 })
        // Not wanted any more: the byte stays unread and nothing is reported. (The inner task
        // runs on the loop's next turn, after the change reached epoll.)
        let applied = Counter()
        loop.execute {
            channel.watch?.wantsRead = false
            loop.execute { applied.increment() }
        }
        #expect(await eventually { applied.count == 1 })
        pair.sendToServer("y")
        loop.execute { channel.watch?.wantsWrite = true }
        #expect(await eventually { channel.writableCount > 0 })
        #expect(channel.readableCount == 1)
        #expect(channel.allOnLoop)
        loop.execute { if let watch = channel.watch { loop.unwatch(watch) } }
    }

    @Test func aWatchDeadlineFiresOnTheLoopAndNotBeforeItWasMovedTo() async throws {
        let loop = EventLoop(name: "test.loop")
        defer { loop.stop() }
        let pair = try SocketPair()
        let channel = RecordingChannel(loop: loop)
        let finalDeadline = Locked(UInt64.max)
        loop.execute {
            let watch = loop.watch(fd: pair.server, channel: channel)
            channel.watch = watch
            // Due soon, then moved later: the early heap entry must not fire it.
            watch.deadline = DispatchTime.now().uptimeNanoseconds + 20_000_000
            watch.deadline = DispatchTime.now().uptimeNanoseconds + 200_000_000
            finalDeadline.withLock { $0 = watch.deadline }
        }
        #expect(await eventually { channel.deadlineCount == 1 })
        #expect(channel.deadlineFiredAt >= finalDeadline.withLock { $0 })
        // Far away, then moved earlier: fires at the earlier one.
        loop.execute {
            channel.watch?.deadline = DispatchTime.now().uptimeNanoseconds + 60_000_000_000
            channel.watch?.deadline = DispatchTime.now().uptimeNanoseconds + 10_000_000
        }
        #expect(await eventually { channel.deadlineCount == 2 })
        #expect(channel.allOnLoop)
        loop.execute { if let watch = channel.watch { loop.unwatch(watch) } }
    }

    @Test func deadlinesOfClosedWatchesDoNotPileUp() async throws {
        let loop = EventLoop(name: "test.loop")
        defer { loop.stop() }
        let pair = try SocketPair()
        let held = Locked(0)
        let done = Counter()
        loop.execute {
            // Many short connections, each leaving a far deadline behind when it closes.
            for _ in 0..<10_000 {
                let watch = loop.watch(fd: pair.server, channel: RecordingChannel(loop: loop))
                watch.deadline = DispatchTime.now().uptimeNanoseconds + 60_000_000_000
                loop.unwatch(watch)
            }
            held.withLock { $0 = loop.timerCount }
            done.increment()
        }
        #expect(await eventually { done.count == 1 })
        #expect(held.withLock { $0 } <= 1025)
    }

    @Test func theTimerHeapPopsInDeadlineOrderAfterRemovals() {
        var heap = TimerHeap()
        let deadlines: [UInt64] = [50, 10, 40, 30, 20, 70, 60, 0, 90, 80]
        for (index, deadline) in deadlines.enumerated() { heap.push(.init(deadline: deadline, target: .watch(UInt64(index)))) }
        heap.removeAll { $0.deadline % 20 == 0 }
        var popped: [UInt64] = []
        while !heap.isEmpty { popped.append(heap.removeFirst().deadline) }
        #expect(popped == [10, 30, 50, 70, 90])
    }

    // MARK: Connections on loops

    @Test func manyConnectionsSpreadOverTwoLoopsAreAllAnswered() async throws {
        var configuration = testConfiguration()
        configuration.eventLoops = 2
        let handler = ThreadRecordingHandler()
        try await withServer(configuration, handler: handler) { server in
            #expect(server.loops.loops.count == 2)
            let clients = try (0..<40).map { _ in try RawClient(port: server.port) }
            for round in 0..<3 {
                for (i, client) in clients.enumerated() { try client.send("GET /c\(i)r\(round) HTTP/1.1\r\nHost: x\r\n\r\n") }
                for (i, client) in clients.enumerated() {
                    let response = try client.readResponse()
                    #expect(response.status == 200)
                    #expect(response.bodyText == "hello /c\(i)r\(round)")
                }
            }
            // Inline handlers run on the loop that owns the connection: both loops served.
            #expect(handler.threadNames == ["http-loop-0", "http-loop-1"])
        }
    }

    /// Requests that become ready together are answered in one batch, their answers sent at
    /// its end: every answer still arrives, pipelined ones in order, a closing one closes.
    @Test func answersHeldForTheirBatchAllGoOut() async throws {
        var configuration = testConfiguration()
        configuration.eventLoops = 1
        try await withServer(configuration, handler: InlineTestHandler()) { server in
            let clients = try (0..<24).map { _ in try RawClient(port: server.port) }
            let pipelining = try RawClient(port: server.port)
            let closing = try RawClient(port: server.port)
            // Served one at a time first, so every connection is watched before the loop is held.
            for client in clients + [pipelining, closing] {
                try client.send("GET /warm HTTP/1.1\r\nHost: x\r\n\r\n")
                #expect(try client.readResponse().status == 200)
            }
            // Hold the loop while every request arrives: one epoll_wait then finds them all.
            let held = DispatchSemaphore(value: 0)
            server.loops.loops[0].execute {
                held.signal()
                usleep(200_000)
            }
            held.wait()
            for (i, client) in clients.enumerated() { try client.send("GET /c\(i) HTTP/1.1\r\nHost: x\r\n\r\n") }
            try pipelining.send("GET /p1 HTTP/1.1\r\nHost: x\r\n\r\nGET /p2 HTTP/1.1\r\nHost: x\r\n\r\nGET /p3 HTTP/1.1\r\nHost: x\r\n\r\n")
            try closing.send("GET /close HTTP/1.1\r\nHost: x\r\n\r\n")
            for (i, client) in clients.enumerated() { #expect(try client.readResponse().bodyText == "hello /c\(i)") }
            for path in ["/p1", "/p2", "/p3"] { #expect(try pipelining.readResponse().bodyText == "hello \(path)") }
            #expect(try closing.readResponse().bodyText == "bye")
            #expect(try closing.readsEOF())
        }
    }

    @Test func aSlowPooledHandlerDoesNotStallOtherConnectionsOnTheSameLoop() async throws {
        var configuration = testConfiguration()
        configuration.eventLoops = 1
        let gate = GateHandler()
        try await withServer(configuration, handler: gate) { server in
            let blocked = try RawClient(port: server.port)
            try blocked.send("GET /block HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(await eventually { gate.waiting == 1 })
            let other = try RawClient(port: server.port)
            for i in 0..<5 {
                try other.send("GET /quick\(i) HTTP/1.1\r\nHost: x\r\n\r\n")
                #expect(try other.readResponse().bodyText == "quick /quick\(i)")
            }
            gate.release()
            #expect(try blocked.readResponse().bodyText == "released")
        }
    }

    @Test func aConnectionClosedByTheDrainDeadlineWhileItsHandlerRunsOnThePool() async throws {
        var configuration = testConfiguration()
        configuration.eventLoops = 1
        let gate = GateHandler()
        let server = HTTPServer(configuration: configuration, handler: gate, logger: quietLogger)
        try server.start()
        let client = try RawClient(port: server.port)
        try client.send("GET /block HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(await eventually { gate.waiting == 1 })
        let stopped = Counter()
        server.shutdown(deadline: .milliseconds(100)) { stopped.increment() }
        // The deadline closes the connection under the running handler: no answer, just EOF.
        #expect(try client.readsEOF())
        #expect(await eventually { stopped.count == 1 })
        #expect(server.connectionCount == 0)
        // The handler's late answer finds its connection gone and is dropped.
        gate.release()
        #expect(await eventually { gate.finished == 1 })
    }

    @Test func aClientThatLeavesWhileItsHandlerRunsIsCleanedUpOnceTheHandlerReturns() async throws {
        var configuration = testConfiguration()
        configuration.eventLoops = 1
        let gate = GateHandler()
        try await withServer(configuration, handler: gate) { server in
            var client: RawClient? = try RawClient(port: server.port)
            try client?.send("GET /block HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(await eventually { gate.waiting == 1 })
            client = nil
            gate.release()
            #expect(await eventually { server.connectionCount == 0 })
            // The loop goes on serving.
            let next = try RawClient(port: server.port)
            try next.send("GET /after HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try next.readResponse().bodyText == "quick /after")
        }
    }
}

// MARK: Helpers

/// Values appended from loop tasks, with whether each ran on the loop thread.
final class ThreadLog: @unchecked Sendable {
    private var entries: [(thread: Int, value: Int)] = []
    private var offLoop = 0
    private let lock = NSLock()

    func append(thread: Int, value: Int, onLoop: Bool) {
        lock.withLock {
            entries.append((thread, value))
            if !onLoop { offLoop += 1 }
        }
    }

    var count: Int { lock.withLock { entries.count } }
    var allOnLoop: Bool { lock.withLock { offLoop == 0 } }
    func values(of thread: Int) -> [Int] { lock.withLock { entries.filter { $0.thread == thread }.map(\.value) } }
}

/// A loop channel that counts what the loop told it (and drains what it reads).
final class RecordingChannel: EventLoopChannel, @unchecked Sendable {
    private let lock = NSLock()
    private let loop: EventLoop
    private var readable = 0
    private var writable = 0
    private var deadlines = 0
    private var firedAt: UInt64 = 0
    private var offLoop = 0
    /// Loop thread only.
    var watch: EventLoopWatch?

    init(loop: EventLoop) { self.loop = loop }

    func channelReadable() {
        var byte: UInt8 = 0
        _ = recv(watch!.fd, &byte, 1, Int32(MSG_DONTWAIT))
        note { $0.readable += 1 }
    }

    func channelWritable() {
        watch?.wantsWrite = false
        note { $0.writable += 1 }
    }

    func channelDeadlinePassed() {
        let now = DispatchTime.now().uptimeNanoseconds
        note {
            $0.deadlines += 1
            $0.firedAt = now
        }
    }

    private func note(_ change: (RecordingChannel) -> Void) {
        let onLoop = loop.inEventLoop
        lock.withLock {
            change(self)
            if !onLoop { offLoop += 1 }
        }
    }

    var readableCount: Int { lock.withLock { readable } }
    var writableCount: Int { lock.withLock { writable } }
    var deadlineCount: Int { lock.withLock { deadlines } }
    var deadlineFiredAt: UInt64 { lock.withLock { firedAt } }
    var allOnLoop: Bool { lock.withLock { offLoop == 0 } }
}

/// A connected pair of non-blocking Unix stream sockets.
final class SocketPair: @unchecked Sendable {
    let server: Int32
    let client: Int32

    init() throws {
        var fds: [Int32] = [0, 0]
        guard socketpair(AF_UNIX, socketStream | socketFlags, 0, &fds) == 0 else {
            throw ClientError(description: "socketpair failed: \(errno)")
        }
        server = fds[0]
        client = fds[1]
    }

    func sendToServer(_ text: String) {
        _ = Array(text.utf8).withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    deinit {
        Glibc.close(server)
        Glibc.close(client)
    }
}

/// Answers inline and notes which threads ran it.
final class ThreadRecordingHandler: HTTPHandler, @unchecked Sendable {
    private let lock = NSLock()
    private var names: Set<String> = []
    private let inner = TestHandler()

    func handle(_ request: HTTPRequest) -> HTTPResponse {
        let name = Thread.current.name ?? "?"
        lock.withLock { _ = names.insert(name) }
        return inner.handle(request)
    }

    func runsInline(_ request: HTTPRequest) -> Bool { true }

    var threadNames: [String] { lock.withLock { names.sorted() } }
}

/// `/block` waits on the handler pool until `release()`; anything else answers inline at once.
final class GateHandler: HTTPHandler, @unchecked Sendable {
    private let gate = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var blocked = 0
    private var done = 0

    func handle(_ request: HTTPRequest) -> HTTPResponse {
        guard request.path == "/block" else {
            return HTTPResponse(status: 200, headers: HTTPHeaders(), body: Array("quick \(request.path)".utf8))
        }
        lock.withLock { blocked += 1 }
        gate.wait()
        lock.withLock { done += 1 }
        return HTTPResponse(status: 200, headers: HTTPHeaders(), body: Array("released".utf8))
    }

    func runsInline(_ request: HTTPRequest) -> Bool { request.path != "/block" }

    func release() { gate.signal() }
    var waiting: Int { lock.withLock { blocked } }
    var finished: Int { lock.withLock { done } }
}
