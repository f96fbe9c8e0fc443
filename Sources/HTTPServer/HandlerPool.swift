import Foundation

/// Dedicated threads for handlers. Not a Dispatch queue: libdispatch on Linux caps a
/// concurrent queue near the core count and shares that pool with every connection's I/O
/// queue (and Swift concurrency), so handlers busy on all cores would stall reads, timeouts
/// and accepts. With their own threads, I/O keeps moving whatever the handlers do.
final class HandlerPool: @unchecked Sendable {
    // @unchecked: `jobs` and `stopping` are guarded by `condition`.
    private let condition = NSCondition()
    private var jobs: [@Sendable () -> Void] = []
    private var head = 0
    private var stopping = false

    init(threads: Int, name: String) {
        for index in 0..<max(1, threads) {
            let thread = Thread { [self] in
                nameCurrentThread("\(name)-\(index)")
                run()
            }
            thread.start()
        }
    }

    func submit(_ job: @escaping @Sendable () -> Void) {
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    /// Lets the threads exit once the queued jobs are done.
    func stop() {
        condition.lock()
        stopping = true
        condition.broadcast()
        condition.unlock()
    }

    private func run() {
        while true {
            condition.lock()
            while head == jobs.count && !stopping { condition.wait() }
            if head == jobs.count {
                condition.unlock()
                return
            }
            let job = jobs[head]
            head += 1
            if head > 1024 && head * 2 > jobs.count {
                jobs.removeFirst(head)
                head = 0
            }
            condition.unlock()
            job()
        }
    }
}
