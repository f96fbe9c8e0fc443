import ArgumentParser

@main
struct ClaimScrubCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "claimscrub",
        abstract: "Scrub professional medical claims before they reach a payer.",
        discussion: "Exit codes: 0 no error finding, 1 at least one error finding (or code not found), 2 unusable input or usage.",
        subcommands: [
            ScrubCommand.self,
            CodesCommand.self,
            CodesetCommand.self,
            ServeCommand.self,
            APIKeyCommand.self,
            RulesCommand.self,
        ]
    )

    /// Like ArgumentParser's `main`, but usage errors exit with 2 (API.md §5), not 64.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure {
                printError(fullMessage(for: error))
                exit(withError: ExitCode(2))
            }
            exit(withError: error)
        }
    }
}
