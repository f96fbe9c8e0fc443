import Foundation
import Testing
@testable import ClaimScrub

/// Runs pyx12's `x12valid` (pip install pyx12) on 837 data. pyx12 is a required test
/// tool: when it is missing the tests fail and say how to install it.
enum PyX12 {
    static func executable() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        for dir in path.split(separator: ":") where !dir.isEmpty {
            let candidate = "\(dir)/x12valid"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Validates a copy in a fresh directory (x12valid writes a 999 beside its input).
    /// OK means the "NAME: OK" verdict and no ERROR line. The exit status says nothing:
    /// pyx12 4.0's console script exits 1 after a successful run (`sys.exit(True)`).
    static func validate(_ bytes: [UInt8], name: String, executable: String) throws -> (ok: Bool, output: String) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("x12valid-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data(bytes).write(to: dir.appendingPathComponent(name))
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = [name]
        p.currentDirectoryURL = dir
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        let lines = out.split(separator: "\n")
        let ok = lines.contains { $0 == "\(name): OK" } && !out.contains(" ERROR ")
        return (ok, out)
    }
}

@Suite struct X12ValidationTests {
    static let inputs: [String] = X12Files.names + ["generated-100-claims.837", "writer-round-trip.837"]

    static func bytes(_ name: String) throws -> [UInt8] {
        switch name {
        case "generated-100-claims.837": X12Fixtures.interchange(claims: 100)
        case "writer-round-trip.837": X12Writer.interchange(claims: try X12Files.twinClaims())
        default: X12Files.bytes(name)
        }
    }

    @Test(arguments: inputs)
    func pyx12AcceptsTheInterchange(_ name: String) throws {
        guard let exe = PyX12.executable() else {
            Issue.record("pyx12 is required: `x12valid` is not on PATH. Install it with `pip install pyx12`.")
            return
        }
        let (ok, output) = try PyX12.validate(try Self.bytes(name), name: name, executable: exe)
        #expect(ok, "x12valid rejected \(name):\n\(output)")
    }

    @Test func pyx12RejectsABrokenCount() throws {
        // Proves the check above can fail: the verdict is read, not assumed.
        guard let exe = PyX12.executable() else {
            Issue.record("pyx12 is required: `x12valid` is not on PATH. Install it with `pip install pyx12`.")
            return
        }
        let broken = X12Files.text("multi-claim.837").replacing("SE*56*0001~", with: "SE*55*0001~")
        let (ok, _) = try PyX12.validate(Array(broken.utf8), name: "broken.837", executable: exe)
        #expect(!ok)
    }
}
