import ArgumentParser
import ClaimScrub

/// `claimscrub codeset …`: convert official ICD-10-CM files to the compact form, and show
/// what the release index loads.
struct CodesetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "codeset",
        abstract: "Import and inspect ICD-10-CM code-set releases.",
        subcommands: [Import.self, Stats.self]
    )

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Convert an official release file to the compact form the service loads fast.",
            discussion: "Output ending in .gz is gzip-compressed. Example:\n  claimscrub codeset import --from icd10cm-tabular-2026-04-01.xml.gz --format tabular-xml --out icd10cm-2026-04-01.compact.gz"
        )

        @Option(help: "The official file (gzip or plain).")
        var from: String

        @Option(help: "Its format: tabular-xml, order-file or compact.")
        var format: String

        @Option(help: "Where to write the compact file.")
        var out: String

        func run() throws {
            guard let fileFormat = CodeSetFileFormat(rawValue: format) else {
                throw ValidationError("--format must be one of \(CodeSetFileFormat.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let entries: [CodeEntry]
            do {
                entries = try fileFormat.entries(file: from)
                try Gzip.writeFile(out, CompactCodeSetFormat.encode(entries), compress: out.hasSuffix(".gz"))
            } catch {
                // An unreadable or malformed file is unusable input: exit 2 (API.md §5), not 1.
                printError("claimscrub: codeset import: \(error)")
                throw ExitCode(2)
            }
            let billable = entries.reduce(0) { $0 + ($1.billable ? 1 : 0) }
            print("\(out): \(entries.count) codes, \(billable) billable")
        }
    }

    struct Stats: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Load every release of an index and print its counts and load time."
        )

        @Option(help: "The release index.")
        var index: String = "Config/codesets/index.yaml"

        @Flag(help: "Also time the stages of loading a compact release: read and inflate, decode, index.")
        var stages = false

        func run() throws {
            do {
                try report()
            } catch {
                printError("claimscrub: codeset stats: \(error)")
                throw ExitCode(2)
            }
        }

        private func report() throws {
            let clock = ContinuousClock()
            let start = clock.now
            let releases = try CodeSetIndex.releases(indexFile: index)
            for release in releases {
                if stages && release.format == .compact {
                    let t0 = clock.now
                    let bytes = try Gzip.readFile(release.file)
                    let t1 = clock.now
                    let entries = try CompactCodeSetFormat.decode(bytes, source: release.file)
                    let t2 = clock.now
                    let set = CodeSet(version: release.version, validFrom: release.validFrom, validThrough: release.validThrough, entries: entries)
                    let t3 = clock.now
                    print("\(set.version)\tread+inflate \((t1 - t0).milliseconds) ms\tdecode \((t2 - t1).milliseconds) ms\tindex \((t3 - t2).milliseconds) ms")
                }
                let t0 = clock.now
                let set = try release.load()
                let ms = (clock.now - t0).milliseconds
                print("\(set.version)\t\(set.validFrom)..\(set.validThrough)\t\(release.format.rawValue)\t\(set.count) codes\t\(set.billableCount) billable\t\(ms) ms")
            }
            print("total, one after another: \((clock.now - start).milliseconds) ms")
            let t0 = clock.now
            let library = try CodeSetLibrary.load(indexFile: index)
            print("start-up load (CodeSetLibrary.load, releases side by side): \((clock.now - t0).milliseconds) ms, \(library.releases.count) releases")
        }
    }
}

extension Duration {
    fileprivate var milliseconds: String {
        let (seconds, attoseconds) = components
        let ms = Double(seconds) * 1000 + Double(attoseconds) / 1e15
        return String(Int(ms.rounded()))
    }
}
