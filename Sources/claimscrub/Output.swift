#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import ClaimScrub

/// Writes to stderr (diagnostics), unbuffered.
func printError(_ message: String) {
    writeAll(2, Array((message.hasSuffix("\n") ? message : message + "\n").utf8))
}

/// Writes to stderr as is (a progress line rewritten with `\r`).
func writeStderr(_ text: String) {
    writeAll(2, Array(text.utf8))
}

/// A person is watching stderr (a progress line is worth drawing).
var stderrIsTerminal: Bool { isatty(2) == 1 }
var stdoutIsTerminal: Bool { isatty(1) == 1 }

/// Writes raw bytes to stdout, unbuffered (reports are written a claim at a time).
func writeStdout(_ bytes: [UInt8]) {
    writeAll(1, bytes)
}

private func writeAll(_ fd: Int32, _ bytes: [UInt8]) {
    bytes.withUnsafeBytes { buf in
        var offset = 0
        while offset < buf.count {
            let n = write(fd, buf.baseAddress! + offset, buf.count - offset)
            if n <= 0 { return }
            offset += n
        }
    }
}

/// Where the configuration directory is, first match wins:
/// `--config`, `$CLAIMSCRUB_CONFIG`, `./Config`, then the package's `Config/` as of build time.
enum ConfigLocator {
    static let bakedDirectory: String = {
        // #filePath is …/Sources/claimscrub/Output.swift; the package root is two levels up.
        var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        return parts.joined(separator: "/") + "/Config"
    }()

    static func locate(explicit: String?) -> String {
        if let explicit { return explicit }
        if let env = getenv("CLAIMSCRUB_CONFIG"), case let s = String(cString: env), !s.isEmpty { return s }
        if FileBytes.exists("Config/" + ConfigLoader.rulesFileName) { return "Config" }
        return bakedDirectory
    }
}
