import ArgumentParser
import ClaimScrub

struct CodesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "codes",
        abstract: "Look an ICD-10-CM code up in the release in force on a date.",
        discussion: "Exit codes: 0 found, 1 not in that release (the message says whether another loaded release has it), 2 not shaped like a code, configuration or usage."
    )

    @Argument(help: "The code, with or without the dot (M54.6, m546).")
    var code: String

    @Option(help: "Date of service (YYYY-MM-DD) that selects the release (default: the newest release).")
    var date: String?

    @Option(help: "Configuration directory (default: $CLAIMSCRUB_CONFIG, ./Config, the package's Config/).")
    var config: String?

    func validate() throws {
        if let date, ServiceDate(iso: date) == nil { throw ValidationError("--date must be a real date as YYYY-MM-DD.") }
        if ICD10Code(code) == nil { throw ValidationError("'\(code)' is not shaped like an ICD-10-CM code (e.g. M54.6).") }
    }

    func run() throws {
        let library: CodeSetLibrary
        do {
            library = try CodeSetSource.loadLibrary(configDirectory: ConfigLocator.locate(explicit: config))
        } catch {
            printError("claimscrub: configuration: \(error)")
            throw ExitCode(2)
        }
        let (text, status) = Self.describe(ICD10Code(code)!, date: date.flatMap { ServiceDate(iso: $0) }, library: library)
        if status == 0 { writeStdout(Array(text.utf8)) } else { printError(text) }
        if status != 0 { throw ExitCode(status) }
    }

    /// The text shown and the exit code.
    static func describe(_ code: ICD10Code, date: ServiceDate?, library: CodeSetLibrary) -> (String, Int32) {
        guard let info = CodeInfo.lookup(code, date: date, in: library) else {
            let (set, _) = library.release(for: date)
            let others = library.otherReleases(containing: code, excluding: set).map(\.version)
            let elsewhere = others.isEmpty ? "nor in any loaded release" : "(it is in release \(others.joined(separator: ", ")))"
            return ("\(code.dotted) is not in ICD-10-CM \(set.version) \(elsewhere).", 1)
        }
        var s = "\(info.code)  \(info.description)\n"
        s += "  release:        \(info.release)\(info.releaseCoversDate ? "" : " (no loaded release covers the date; newest used)")\n"
        s += "  billable:       \(info.billable ? "yes" : "no (header)")\n"
        s += "  parent:         \(info.parent ?? "—")\n"
        s += "  children:       \(info.children.isEmpty ? "—" : info.children.joined(separator: ", "))\n"
        s += "  manifestation:  \(info.manifestation ? "yes (may not be listed first)" : "no")\n"
        if info.excludes1.isEmpty {
            s += "  excludes1:      —\n"
        } else {
            s += "  excludes1:\n"
            for e in info.excludes1 {
                let from = e.from == info.code ? "" : "  (note of \(e.from))"
                s += "    \(e.pattern)\(e.description.map { "  \($0)" } ?? "")\(from)\n"
            }
        }
        return (s, 0)
    }
}
