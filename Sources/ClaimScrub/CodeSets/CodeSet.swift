/// A pattern an Excludes1 note names: one code (`M54.6`) or every code under a
/// category or subcategory (`M51.-`, `M51.2-`).
public enum CodePattern: Hashable, Sendable, CustomStringConvertible {
    case code(ICD10Code)
    /// Compact prefix: `M51` for `M51.-`.
    case prefix(String)

    public func matches(_ code: ICD10Code) -> Bool {
        switch self {
        case .code(let c): c == code
        case .prefix(let p): code.compact.hasPrefix(p)
        }
    }

    public var description: String {
        switch self {
        case .code(let c): c.dotted
        case .prefix(let p):
            p.count > 3 ? ICD10Code(uncheckedCompact: p).dotted + "-" : p + ".-"
        }
    }
}

/// One code of a release, with the notes that are its own (not inherited).
public struct CodeEntry: Sendable, Equatable {
    public var code: ICD10Code
    public var description: String
    /// A leaf: valid for submission.
    public var billable: Bool
    public var parent: ICD10Code?
    /// The Excludes1 patterns of this code's own notes.
    public var excludes1: [CodePattern]
    /// This code's own title or notes mark it a manifestation (inherited via `CodeSet`).
    public var manifestation: Bool

    public init(
        code: ICD10Code, description: String, billable: Bool, parent: ICD10Code?,
        excludes1: [CodePattern] = [], manifestation: Bool = false
    ) {
        self.code = code
        self.description = description
        self.billable = billable
        self.parent = parent
        self.excludes1 = excludes1
        self.manifestation = manifestation
    }
}

/// One ICD-10-CM release (e.g. the April 2026 update of FY2026), in force for a range
/// of dates of service.
public final class CodeSet: Sendable {
    /// The release's name in results: `codeSet.version`, e.g. `2026-04-01`.
    public let version: String
    public let validFrom: ServiceDate
    public let validThrough: ServiceDate
    private let entries: [ICD10Code: CodeEntry]
    private let childrenOf: [ICD10Code: [ICD10Code]]

    public init(version: String, validFrom: ServiceDate, validThrough: ServiceDate, entries: [CodeEntry]) {
        self.version = version
        self.validFrom = validFrom
        self.validThrough = validThrough
        var byCode: [ICD10Code: CodeEntry] = [:]
        byCode.reserveCapacity(entries.count)
        var children: [ICD10Code: [ICD10Code]] = [:]
        for e in entries {
            byCode[e.code] = e
            if let p = e.parent { children[p, default: []].append(e.code) }
        }
        for k in children.keys { children[k]!.sort() }
        self.entries = byCode
        self.childrenOf = children
    }

    public var count: Int { entries.count }
    public var billableCount: Int { entries.values.reduce(0) { $0 + ($1.billable ? 1 : 0) } }

    public func covers(_ date: ServiceDate) -> Bool { validFrom <= date && date <= validThrough }

    public func entry(_ code: ICD10Code) -> CodeEntry? { entries[code] }
    public func contains(_ code: ICD10Code) -> Bool { entries[code] != nil }

    public func children(of code: ICD10Code) -> [ICD10Code] { childrenOf[code] ?? [] }

    /// Parent, grandparent … up to the category.
    public func ancestors(of code: ICD10Code) -> [ICD10Code] {
        var out: [ICD10Code] = []
        var current = entries[code]?.parent
        while let c = current {
            out.append(c)
            current = entries[c]?.parent
        }
        return out
    }

    /// Every billable code at or below `code`, in code order.
    public func billableDescendants(of code: ICD10Code) -> [ICD10Code] {
        var out: [ICD10Code] = []
        var stack = [code]
        while let c = stack.popLast() {
            if entries[c]?.billable == true { out.append(c) }
            stack.append(contentsOf: children(of: c))
        }
        return out.sorted()
    }

    /// Excludes1 patterns that apply to `code`: its own and every ancestor's.
    public func excludes1(of code: ICD10Code) -> [CodePattern] {
        var out = entries[code]?.excludes1 ?? []
        for a in ancestors(of: code) { out += entries[a]?.excludes1 ?? [] }
        return out
    }

    /// True when the code or an ancestor is a manifestation code.
    public func isManifestation(_ code: ICD10Code) -> Bool {
        if entries[code]?.manifestation == true { return true }
        return ancestors(of: code).contains { entries[$0]?.manifestation == true }
    }

    /// All codes, for exports and counts.
    public var allEntries: some Sequence<CodeEntry> { entries.values }
}

/// Every loaded release, chosen per claim by date of service.
public struct CodeSetLibrary: Sendable {
    /// Oldest first.
    public let releases: [CodeSet]

    public init(releases: [CodeSet]) {
        precondition(!releases.isEmpty, "a code-set library needs at least one release")
        self.releases = releases.sorted { $0.validFrom < $1.validFrom }
    }

    public var newest: CodeSet { releases[releases.count - 1] }

    /// The release in force on `date`; when none covers it, the newest and `covered: false`.
    /// A nil date (missing or unreadable) gets the newest, covered.
    public func release(for date: ServiceDate?) -> (codeSet: CodeSet, covered: Bool) {
        guard let date else { return (newest, true) }
        if let r = releases.last(where: { $0.covers(date) }) { return (r, true) }
        return (newest, false)
    }

    /// Releases other than `excluded` that contain `code` (for `DX_NOT_VALID_FOR_DOS`).
    public func otherReleases(containing code: ICD10Code, excluding excluded: CodeSet) -> [CodeSet] {
        releases.filter { $0 !== excluded && $0.contains(code) }
    }
}
