import ClaimScrub

/// What the routes need from the engine. Kept this small so the HTTP layer can be
/// tested against a double, and so the adapter over `ScrubEngine` is one file.
public protocol ClaimScrubbing: Sendable {
    /// Decodes and scrubs one claim given as JSON bytes.
    func scrub(json: [UInt8]) -> ScrubOutcome
    /// Reads an ASC X12 837P interchange and scrubs each of its claims; nil when this
    /// scrubber does not read X12 (the route answers 415).
    func scrub(x12: [UInt8]) -> X12Outcome?
    /// The rule catalog as a JSON document (API.md §4), served by `GET /v1/rules`.
    var rulesCatalogJSON: [UInt8] { get }
    /// Looks a diagnosis code up in the release in force on `date` (the newest when nil).
    func lookup(code: ICD10Code, on date: ServiceDate?) -> CodeLookupOutcome
    /// Code sets and rules are loaded.
    var isReady: Bool { get }
    /// For `claimscrub_build_info`: the rules version and the newest code-set release.
    var rulesVersion: String { get }
    var codeSetVersion: String { get }
}

public enum ScrubOutcome: Sendable {
    /// The claim was read; `json` is the ScrubResult document (also for a failing claim).
    case scrubbed(ScrubResult, json: [UInt8])
    /// The body is not JSON, or a field has the wrong JSON type: a `400`.
    case invalidInput(ClaimInputError)
}

extension ClaimScrubbing {
    public func scrub(x12: [UInt8]) -> X12Outcome? { nil }
}

public enum X12Outcome: Sendable {
    /// Every CLM was read: `json` is `{"results": [...]}`, findings naming their segments.
    case scrubbed([ScrubResult], json: [UInt8])
    /// The interchange is not well formed: a 400 problem naming the segment and what was expected.
    case invalidInterchange(problem: [UInt8])
}

/// A diagnosis code as `GET /v1/codes/icd10cm/{code}` reports it.
public struct CodeLookup: Sendable, Equatable {
    public var code: String
    public var description: String
    public var billable: Bool
    public var parent: String?
    public var children: [String]
    /// Excludes1 patterns in force for the code (its own and its ancestors'), as `M51.-`.
    public var excludes1: [String]
    public var manifestation: Bool
    public var codeSetVersion: String

    public init(
        code: String, description: String, billable: Bool, parent: String?, children: [String],
        excludes1: [String], manifestation: Bool, codeSetVersion: String
    ) {
        self.code = code
        self.description = description
        self.billable = billable
        self.parent = parent
        self.children = children
        self.excludes1 = excludes1
        self.manifestation = manifestation
        self.codeSetVersion = codeSetVersion
    }
}

public enum CodeLookupOutcome: Sendable, Equatable {
    case found(CodeLookup)
    /// The release in force has no such code.
    case unknownCode(codeSetVersion: String)
    /// No loaded release covers the date asked for.
    case noReleaseForDate
}
