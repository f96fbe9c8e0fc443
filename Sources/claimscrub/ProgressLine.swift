/// Running totals of the NDJSON files scrubbed so far.
struct BatchProgress: Equatable {
    /// Lines that were claims (scrubbed).
    var claims = 0
    /// Claims with at least one error finding.
    var withErrors = 0
    /// Lines that were not claims.
    var badLines = 0
}

/// The progress line on a terminal's stderr: rewritten in place (`\r`) at most twice a
/// second, then a last line with the totals. Only for a terminal: a log file gets no `\r` noise.
final class ProgressLine {
    private let start = ContinuousClock.now
    private var lastDraw: ContinuousClock.Instant?
    private var visible = false
    private var latest = BatchProgress()

    func update(_ progress: BatchProgress) {
        latest = progress
        let now = ContinuousClock.now
        if visible, let lastDraw, now - lastDraw < .milliseconds(500) { return }
        lastDraw = now
        visible = true
        writeStderr("\r" + Self.text(latest, elapsed: now - start) + "\u{1B}[K")
    }

    /// Clears the line so a message can take its place; the next update draws it again.
    func clear() {
        guard visible else { return }
        visible = false
        writeStderr("\r\u{1B}[K")
    }

    func finish() {
        guard latest != BatchProgress() else { return }
        writeStderr("\r" + Self.text(latest, elapsed: .now - start) + "\u{1B}[K\n")
    }

    static func text(_ p: BatchProgress, elapsed: Duration) -> String {
        let (seconds, attoseconds) = elapsed.components
        let secs = max(Double(seconds) + Double(attoseconds) / 1e18, 0.001)
        return "\(p.claims) claims done, \(Int(Double(p.claims) / secs)) claims/s, "
            + "\(p.withErrors) with error findings, \(p.badLines) bad lines"
    }
}
