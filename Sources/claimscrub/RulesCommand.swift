import ArgumentParser
import ClaimScrub

/// `claimscrub rules`: the catalog exactly as the configuration in use defines it, so an
/// operator sees what a payer profile changes before a claim does.
struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "Print the rule catalog from the configuration (severity, weight, likely denial, on/off).",
        discussion: "--format markdown prints the page docs/rules.md is generated from."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json, markdown
    }

    @Option(help: "Output: text, json (as GET /v1/rules) or markdown (docs/rules.md).")
    var format: Format = .text

    @Option(help: "A payer profile or payer id (default: the default profile).")
    var profile: String?

    @Option(help: "Configuration directory (default: $CLAIMSCRUB_CONFIG, ./Config, the package's Config/).")
    var config: String?

    func run() throws {
        let engine: ScrubEngine
        do {
            engine = try ScrubEngine.load(configDirectory: ConfigLocator.locate(explicit: config))
        } catch {
            printError("claimscrub: configuration: \(error)")
            throw ExitCode(2)
        }
        if let profile, engine.configuration.profiles[profile] == nil {
            let known = engine.configuration.profiles.keys.sorted().joined(separator: ", ")
            printError("claimscrub: no payer profile '\(profile)'; the configuration has: \(known)")
            throw ExitCode(2)
        }
        switch format {
        case .json: writeStdout(engine.encodeCatalogJSON(profile: profile) + [0x0A])
        case .markdown: writeStdout(Array(RulesDocument.markdown(engine).utf8))
        case .text: writeStdout(Array(Self.table(engine.catalog(profile: profile), profile: profile ?? "default").utf8))
        }
    }

    static func table(_ entries: [CatalogEntry], profile: String) -> String {
        var s = "Rule catalog (profile \(profile))\n\n"
        s += "rule".padding(25) + "category".padding(14) + "severity".padding(9) + "weight".padding(7) + "denial".padding(14) + "\n"
        for e in entries {
            let r = e.settings
            let state = !r.enabled ? "  (off in this profile)" : !e.implemented ? "  (not implemented)" : ""
            s += r.id.padding(25) + r.category.rawValue.padding(14) + r.severity.rawValue.padding(9)
            s += String(r.weight).padding(7) + (r.likelyDenial?.text ?? "—").padding(14) + state + "\n"
            s += "    " + r.description + "\n"
        }
        return s
    }
}
