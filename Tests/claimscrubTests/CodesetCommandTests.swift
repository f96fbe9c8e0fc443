import ArgumentParser
import Testing
@testable import claimscrub

/// An unreadable release file or index is unusable input: exit 2 (API.md §5), like `scrub`.
@Suite struct CodesetCommandTests {
    @Test func statsOfAMissingIndexExitsTwo() throws {
        let command = try CodesetCommand.Stats.parse(["--index", "/nonexistent/index.yaml"])
        #expect(throws: ExitCode(2)) { try command.run() }
    }

    @Test func importOfAMissingFileExitsTwo() throws {
        let command = try CodesetCommand.Import.parse(["--from", "/nonexistent/tabular.xml", "--format", "tabular-xml", "--out", "/nonexistent/out.gz"])
        #expect(throws: ExitCode(2)) { try command.run() }
    }
}
