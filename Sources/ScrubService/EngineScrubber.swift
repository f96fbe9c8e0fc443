import ClaimScrub
import Foundation

/// `ClaimScrubbing` over the loaded `ScrubEngine`: the one place the routes meet the engine.
public struct EngineScrubber: ClaimScrubbing {
    public let engine: ScrubEngine
    public let rulesCatalogJSON: [UInt8]
    private let today: @Sendable () -> ServiceDate

    /// `today` is asked per claim (future dates, filing limits); the UTC date by default.
    public init(engine: ScrubEngine, today: @escaping @Sendable () -> ServiceDate = { ServiceDate.todayUTC() }) {
        self.engine = engine
        self.today = today
        // The catalog is fixed once the engine is loaded: encode it once.
        self.rulesCatalogJSON = engine.encodeCatalogJSON()
    }

    public func scrub(json: [UInt8]) -> ScrubOutcome {
        do {
            let result = try engine.scrub(json: json, today: today())
            return .scrubbed(result, json: result.encodeJSON())
        } catch {
            return .invalidInput(error)
        }
    }

    public func scrub(x12: [UInt8]) -> X12Outcome? {
        do throws(X12Error) {
            let scrubbed = try X12Scrub.scrub(x12, engine: engine, today: today())
            return .scrubbed(scrubbed.map(\.result), json: X12Scrub.encodeResults(scrubbed))
        } catch {
            return .invalidInterchange(problem: error.encodeProblem())
        }
    }

    public func batchScrubber() -> BatchScrubber? { BatchScrubber(engine: engine, today: today()) }

    public func lookup(code: ICD10Code, on date: ServiceDate?) -> CodeLookupOutcome {
        let (release, covered) = engine.library.release(for: date)
        // A date before (or after) every loaded release is not answered from another one.
        guard covered else { return .noReleaseForDate }
        guard let info = CodeInfo.lookup(code, date: date, in: engine.library) else {
            return .unknownCode(codeSetVersion: release.version)
        }
        return .found(CodeLookup(
            code: info.code, description: info.description, billable: info.billable, parent: info.parent,
            children: info.children, excludes1: info.excludes1.map(\.pattern), manifestation: info.manifestation,
            codeSetVersion: info.release))
    }

    /// An engine exists only once its configuration and code sets have loaded.
    public var isReady: Bool { true }
    public var rulesVersion: String { engine.rulesVersion }
    public var codeSetVersion: String { engine.library.newest.version }
}
