import ArgumentParser

@main
struct ClaimScrubCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "claimscrub",
        abstract: "Scrub professional medical claims before they reach a payer."
    )
}
