import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Log lines written to a file descriptor by one writer thread, so that under load many
/// lines go out in one `write(2)` instead of one each (that call was ~15 % of the service's
/// throughput on the request path).
///
/// A line is appended whole and the writer writes whole lines, so lines never interleave.
/// When the writer is idle a line goes out at once; while lines keep coming it writes what
/// has gathered, then waits `gatherInterval` for more. At most that long's worth of lines is
/// lost if the process dies; `flush()` (called before a normal exit) loses nothing. If the
/// descriptor stops taking bytes, appends block once `maxPendingBytes` are waiting, as a
/// direct `write(2)` would.
public final class LogLineBuffer: @unchecked Sendable {
    // @unchecked: every `var` is guarded by `condition`, except `batch` (writer thread only).
    private let fd: Int32
    private let gatherInterval: Duration
    private let maxPendingBytes: Int
    private let condition = NSCondition()
    private var pending: [UInt8] = []
    private var writerIdle = false
    private var writing = false
    private var batch: [UInt8] = []

    public init(fileDescriptor: Int32, gatherInterval: Duration = .microseconds(500), maxPendingBytes: Int = 1 << 20) {
        fd = fileDescriptor
        self.gatherInterval = gatherInterval
        self.maxPendingBytes = maxPendingBytes
        pending.reserveCapacity(64 * 1024)
        let thread = Thread { [self] in run() }
        thread.name = "log-writer"
        thread.start()
    }

    /// Queues one line (its newline included).
    public func append(_ line: UnsafeRawBufferPointer) {
        condition.lock()
        while pending.count >= maxPendingBytes { condition.wait() }
        pending.append(contentsOf: line)
        if writerIdle { condition.broadcast() }
        condition.unlock()
    }

    /// Returns once every line appended before the call has been written.
    public func flush() {
        condition.lock()
        while !pending.isEmpty || writing {
            if writerIdle { condition.broadcast() }
            condition.wait()
        }
        condition.unlock()
    }

    private func run() {
        let pause = useconds_t(max(0, gatherInterval.components.attoseconds / 1_000_000_000_000)
            + gatherInterval.components.seconds * 1_000_000)
        condition.lock()
        while true {
            while pending.isEmpty {
                writerIdle = true
                condition.wait()
                writerIdle = false
            }
            swap(&pending, &batch)
            writing = true
            condition.unlock()
            Self.writeAll(batch, to: fd)
            batch.removeAll(keepingCapacity: batch.capacity <= 1 << 20)
            condition.lock()
            writing = false
            condition.broadcast()
            // Let the next lines gather (outside the lock, so appends do not wait).
            condition.unlock()
            if pause > 0 { usleep(pause) }
            condition.lock()
        }
    }

    /// `write(2)` until every byte is out (a short write or EINTR continues; other errors drop the lines).
    static func writeAll(_ bytes: [UInt8], to fd: Int32) {
        bytes.withUnsafeBytes { writeAll($0, to: fd) }
    }

    static func writeAll(_ raw: UnsafeRawBufferPointer, to fd: Int32) {
        var offset = 0
        while offset < raw.count {
            let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
            if n > 0 {
                offset += n
            } else if n < 0 && errno == EINTR {
                continue
            } else {
                return
            }
        }
    }
}
