import CLinux
import Dispatch
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// What an event loop calls for a watched descriptor, always on the loop's thread.
protocol EventLoopChannel: AnyObject {
    /// The descriptor is readable (or hung up / in error) and the channel wants to read.
    func channelReadable()
    /// The descriptor is writable (or hung up / in error) and the channel wants to write.
    func channelWritable()
    /// `EventLoopWatch.deadline` has passed (it is reset to none before this call).
    func channelDeadlinePassed()
    /// The output the channel held back with `EventLoop.sendWithBatch` is due.
    func channelFlushDue()
}

extension EventLoopChannel {
    func channelFlushDue() {}
}

/// The loop's record of one watched descriptor: what its channel wants now, what epoll was
/// last told, and the channel's one deadline. Loop thread only.
///
/// Interest changes are applied lazily, just before the loop waits again: a connection that
/// stops reading for an inline answer and resumes once it is written costs no `epoll_ctl`.
final class EventLoopWatch {
    let fd: Int32
    fileprivate let id: UInt64
    fileprivate unowned let loop: EventLoop
    /// nil once unwatched, which also breaks the channel ↔ watch cycle.
    fileprivate var channel: (any EventLoopChannel)?
    /// The events epoll is watching for; 0 when the descriptor is not in the epoll set.
    fileprivate var registered: UInt32 = 0
    fileprivate var queuedForUpdate = false
    /// The earliest deadline this watch has in the loop's timer heap (`.max`: none).
    fileprivate var heapDeadline = UInt64.max

    var wantsRead = false {
        didSet { if wantsRead != oldValue { loop.interestChanged(self) } }
    }
    var wantsWrite = false {
        didSet { if wantsWrite != oldValue { loop.interestChanged(self) } }
    }
    /// `DispatchTime.uptimeNanoseconds` at which the channel is told; `.max` for never.
    /// Moving it later costs nothing: the heap entry is re-checked when it comes due.
    var deadline = UInt64.max {
        didSet { if deadline < heapDeadline { loop.deadlineMovedEarlier(self) } }
    }

    fileprivate init(fd: Int32, id: UInt64, loop: EventLoop, channel: any EventLoopChannel) {
        self.fd = fd
        self.id = id
        self.loop = loop
        self.channel = channel
    }
}

/// One thread running `epoll_wait` (level-triggered) over the descriptors it watches, a task
/// queue other threads feed through `execute` (woken by an eventfd), and a timer heap whose
/// nearest entry sets the wait's timeout. Everything a channel does runs on this thread, so
/// a channel's state needs no lock.
final class EventLoop: @unchecked Sendable {
    // @unchecked: `pending`, `awake` and `stopping` are guarded by `lock`; every other `var`
    // is touched on the loop thread only.
    let name: String
    private let epollFD: Int32
    private let wakeFD: Int32
    private var thread: Thread?

    private let lock = NSLock()
    private var pending: [@Sendable () -> Void] = []
    /// False only while the loop is (about to be) blocked in `epoll_wait`: then `execute` must wake it.
    private var awake = true
    private var stopping = false

    private var running: [@Sendable () -> Void] = []
    private var watches: [UInt64: EventLoopWatch] = [:]
    private var nextWatchID: UInt64 = 1
    private var interestUpdates: [EventLoopWatch] = []
    private var timers = TimerHeap()
    /// True while the events of one `epoll_wait` are being dispatched.
    private(set) var inBatch = false
    /// Channels holding back output until the batch ends (`sendWithBatch`), and since when.
    private var flushWaiters: [any EventLoopChannel] = []
    private var flushWaitersSince: UInt64 = 0
    /// Output held back longer than this goes out mid-batch (a batch of slow requests).
    static let maxHoldNanoseconds: UInt64 = 1_000_000

    /// The eventfd's slot in epoll; watches count from 1.
    private static let wakeID: UInt64 = 0
    private static let maxEvents = 128

    init(name: String) {
        self.name = name
        epollFD = epoll_create1(Int32(EPOLL_CLOEXEC))
        wakeFD = eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC))
        precondition(epollFD >= 0 && wakeFD >= 0, "\(name): epoll_create1/eventfd failed (errno \(errno))")
        var event = epoll_event()
        event.events = EPOLLIN.rawValue
        event.data.u64 = Self.wakeID
        epoll_ctl(epollFD, EPOLL_CTL_ADD, wakeFD, &event)
        // Named from inside, so `top -H` and `perf` show which thread is a loop.
        let thread = Thread { [self] in
            nameCurrentThread(name)
            run()
        }
        self.thread = thread
        thread.start()
    }

    /// True on the loop's own thread.
    var inEventLoop: Bool { Thread.current === thread }

    /// Runs `task` on the loop thread, after the events and tasks already due. From any thread.
    /// Tasks given after `stop()` never run.
    func execute(_ task: @escaping @Sendable () -> Void) {
        let wake = lock.withLock { () -> Bool in
            pending.append(task)
            if awake { return false }
            awake = true
            return true
        }
        if wake { signalWake() }
    }

    /// Runs `task` on the loop thread once `interval` has passed. From any thread.
    func schedule(after interval: Duration, _ task: @escaping @Sendable () -> Void) {
        let deadline = DispatchTime.now().uptimeNanoseconds &+ UInt64(max(0, interval.dispatchNanoseconds))
        execute { [self] in timers.push(TimerHeap.Entry(deadline: deadline, target: .task(task))) }
    }

    /// Calls the channel's `channelFlushDue` once the current batch of events has been
    /// dispatched (or `maxHoldNanoseconds` after the first such call, if sooner). Only while
    /// `inBatch`.
    ///
    /// Why: on cores shared with the clients (the load test's wrk), every `send` wakes a client
    /// thread that preempts the loop at once, so a batch of ready requests was served in
    /// pieces, about one context switch per two answers. Answers sent together at the end of
    /// the batch let the loop serve the batch in one go and wake each client once
    /// (`claimscrub` under wrk: 15–20 % less CPU per request, and a shorter tail).
    func sendWithBatch(_ channel: any EventLoopChannel) {
        if flushWaiters.isEmpty { flushWaitersSince = DispatchTime.now().uptimeNanoseconds }
        flushWaiters.append(channel)
    }

    private func flushHeldOutput() {
        guard !flushWaiters.isEmpty else { return }
        let waiters = flushWaiters
        flushWaiters.removeAll(keepingCapacity: true)
        for channel in waiters { channel.channelFlushDue() }
    }

    /// Lets the thread finish its current iteration and exit; descriptors still watched are
    /// not closed (their owners close them).
    func stop() {
        let wake = lock.withLock { () -> Bool in
            stopping = true
            defer { awake = true }
            return !awake
        }
        if wake { signalWake() }
    }

    // MARK: Watches (loop thread only)

    func watch(fd: Int32, channel: any EventLoopChannel) -> EventLoopWatch {
        let watch = EventLoopWatch(fd: fd, id: nextWatchID, loop: self, channel: channel)
        nextWatchID += 1
        watches[watch.id] = watch
        return watch
    }

    /// Takes the descriptor out of epoll at once (the caller closes it afterwards) and forgets
    /// the channel; events already fetched for it are dropped.
    func unwatch(_ watch: EventLoopWatch) {
        guard watch.channel != nil else { return }
        if watch.registered != 0 {
            epoll_ctl(epollFD, EPOLL_CTL_DEL, watch.fd, nil)
            watch.registered = 0
        }
        watches[watch.id] = nil
        watch.channel = nil
        // A closed connection's deadline stays in the heap until it comes due (up to the
        // keep-alive timeout): with many short connections, drop such entries in one pass.
        if timers.count > 1024 && timers.count > 4 * watches.count {
            timers.removeAll { entry in
                guard case .watch(let id) = entry.target else { return false }
                return watches[id]?.heapDeadline != entry.deadline
            }
        }
    }

    /// Timer entries held, stale ones included (tests). Loop thread only.
    var timerCount: Int { timers.count }

    fileprivate func interestChanged(_ watch: EventLoopWatch) {
        guard !watch.queuedForUpdate, watch.channel != nil else { return }
        watch.queuedForUpdate = true
        interestUpdates.append(watch)
    }

    fileprivate func deadlineMovedEarlier(_ watch: EventLoopWatch) {
        guard watch.channel != nil else { return }
        watch.heapDeadline = watch.deadline
        timers.push(TimerHeap.Entry(deadline: watch.deadline, target: .watch(watch.id)))
    }

    // MARK: The loop

    private func run() {
        let events = UnsafeMutablePointer<epoll_event>.allocate(capacity: Self.maxEvents)
        defer {
            events.deallocate()
            Glibc.close(epollFD)
            Glibc.close(wakeFD)
        }
        while true {
            applyInterestUpdates()
            let timerTimeout = timeoutToNextTimer()
            let timeout = lock.withLock { () -> Int32? in
                if stopping { return nil }
                if !pending.isEmpty { return 0 }
                awake = false
                return timerTimeout
            }
            guard let timeout else { return }
            let count = epoll_wait(epollFD, events, Int32(Self.maxEvents), timeout)
            lock.withLock { awake = true }
            inBatch = true
            for index in 0..<max(0, Int(count)) {
                dispatch(events[index])
                if !flushWaiters.isEmpty, DispatchTime.now().uptimeNanoseconds &- flushWaitersSince >= Self.maxHoldNanoseconds {
                    flushHeldOutput()
                }
            }
            inBatch = false
            flushHeldOutput()
            // Let the threads our answers woke (clients on shared cores) run before the next
            // batch; with nothing else runnable this returns at once.
            if count > 0 { sched_yield() }
            fireTimers()
            runTasks()
        }
    }

    private func dispatch(_ event: epoll_event) {
        let id = event.data.u64
        if id == Self.wakeID {
            var counter: UInt64 = 0
            _ = Glibc.read(wakeFD, &counter, 8)
            return
        }
        guard let watch = watches[id] else { return }
        // A hang-up or error goes to whichever side is interested: its recv/send reports it.
        let failed = event.events & (EPOLLERR.rawValue | EPOLLHUP.rawValue) != 0
        if watch.wantsRead && (failed || event.events & EPOLLIN.rawValue != 0) {
            watch.channel?.channelReadable()
        }
        if watch.wantsWrite && (failed || event.events & EPOLLOUT.rawValue != 0) {
            watch.channel?.channelWritable()
        }
        // Interested in neither (the change is not applied yet): the next update drops it from
        // epoll, so a level-triggered hang-up cannot spin the loop.
    }

    private func applyInterestUpdates() {
        guard !interestUpdates.isEmpty else { return }
        for watch in interestUpdates {
            watch.queuedForUpdate = false
            guard watch.channel != nil else { continue }
            let wanted = (watch.wantsRead ? EPOLLIN.rawValue : 0) | (watch.wantsWrite ? EPOLLOUT.rawValue : 0)
            guard wanted != watch.registered else { continue }
            var event = epoll_event()
            event.events = wanted
            event.data.u64 = watch.id
            if wanted == 0 {
                epoll_ctl(epollFD, EPOLL_CTL_DEL, watch.fd, nil)
            } else {
                epoll_ctl(epollFD, watch.registered == 0 ? EPOLL_CTL_ADD : EPOLL_CTL_MOD, watch.fd, &event)
            }
            watch.registered = wanted
        }
        interestUpdates.removeAll(keepingCapacity: true)
    }

    /// Milliseconds to the nearest timer, rounded up; -1 (wait for ever) when there is none.
    private func timeoutToNextTimer() -> Int32 {
        guard let next = timers.first?.deadline else { return -1 }
        let now = DispatchTime.now().uptimeNanoseconds
        guard next > now else { return 0 }
        let milliseconds = (next - now + 999_999) / 1_000_000
        return Int32(min(milliseconds, UInt64(Int32.max)))
    }

    private func fireTimers() {
        guard !timers.isEmpty else { return }
        let now = DispatchTime.now().uptimeNanoseconds
        while let entry = timers.first, entry.deadline <= now {
            timers.removeFirst()
            switch entry.target {
            case .task(let task):
                task()
            case .watch(let id):
                // Stale when the watch is gone or an earlier entry replaced this one.
                guard let watch = watches[id], watch.heapDeadline == entry.deadline else { continue }
                watch.heapDeadline = .max
                if watch.deadline <= now {
                    watch.deadline = .max
                    watch.channel?.channelDeadlinePassed()
                } else if watch.deadline != .max {
                    // Moved later since this entry was pushed: wait for the new one.
                    deadlineMovedEarlier(watch)
                }
            }
        }
    }

    /// Runs the tasks queued so far; ones they queue wait for the next turn, after the
    /// loop has looked at its descriptors again (this is how a busy connection yields).
    private func runTasks() {
        lock.withLock { swap(&pending, &running) }
        guard !running.isEmpty else { return }
        for task in running { task() }
        running.removeAll(keepingCapacity: true)
    }

    private func signalWake() {
        var one: UInt64 = 1
        _ = Glibc.write(wakeFD, &one, 8)
    }
}

/// A binary min-heap of deadlines, earliest first; equal deadlines in push order.
struct TimerHeap {
    enum Target {
        case watch(UInt64)
        case task(@Sendable () -> Void)
    }

    struct Entry {
        var deadline: UInt64
        var target: Target
        fileprivate var sequence: UInt64 = 0

        init(deadline: UInt64, target: Target) {
            self.deadline = deadline
            self.target = target
        }
    }

    private var entries: [Entry] = []
    private var pushed: UInt64 = 0

    var first: Entry? { entries.first }
    var isEmpty: Bool { entries.isEmpty }
    var count: Int { entries.count }

    private func precedes(_ a: Int, _ b: Int) -> Bool {
        let x = entries[a], y = entries[b]
        return x.deadline != y.deadline ? x.deadline < y.deadline : x.sequence < y.sequence
    }

    mutating func push(_ entry: Entry) {
        var entry = entry
        entry.sequence = pushed
        pushed &+= 1
        entries.append(entry)
        var child = entries.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard precedes(child, parent) else { break }
            entries.swapAt(child, parent)
            child = parent
        }
    }

    /// Drops every entry `shouldRemove` picks and restores the heap order, in O(n).
    mutating func removeAll(where shouldRemove: (Entry) -> Bool) {
        entries.removeAll(where: shouldRemove)
        var index = entries.count / 2
        while index > 0 {
            index -= 1
            siftDown(from: index)
        }
    }

    @discardableResult
    mutating func removeFirst() -> Entry {
        let top = entries[0]
        let last = entries.removeLast()
        guard !entries.isEmpty else { return top }
        entries[0] = last
        siftDown(from: 0)
        return top
    }

    private mutating func siftDown(from start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < entries.count && precedes(left, smallest) { smallest = left }
            if right < entries.count && precedes(right, smallest) { smallest = right }
            guard smallest != parent else { break }
            entries.swapAt(parent, smallest)
            parent = smallest
        }
    }
}

/// The server's loops; connections are handed out round-robin by the acceptor.
final class EventLoopGroup: Sendable {
    let loops: [EventLoop]
    private let nextIndex = Locked(0)

    init(count: Int, name: String) {
        loops = (0..<max(1, count)).map { EventLoop(name: "\(name)-\($0)") }
    }

    func next() -> EventLoop {
        let index = nextIndex.withLock { index in
            defer { index = (index + 1) % loops.count }
            return index
        }
        return loops[index]
    }

    func stop() { loops.forEach { $0.stop() } }
}

/// Names the calling thread for `top -H`, `perf` and `Thread.current.name`. Foundation's
/// setter is unreliable here: before `start()` the name is dropped, and from inside a
/// thread that runs before `start()` has returned it may not reach the OS either.
func nameCurrentThread(_ name: String) {
    #if os(Linux)
    _ = claimscrub_name_current_thread(name)
    #else
    Thread.current.name = name
    #endif
}

extension Duration {
    var dispatchNanoseconds: Int {
        let (seconds, attoseconds) = components
        return Int(min(seconds, Int64(Int.max / 1_000_000_000 - 1))) * 1_000_000_000 + Int(attoseconds / 1_000_000_000)
    }
}
