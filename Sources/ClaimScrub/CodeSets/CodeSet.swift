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

/// A `CodePattern` as a packed key and mask over `ICD10Code.packedKey`: a code matches when
/// its key, masked to the pattern's length, equals the pattern's. Codes and prefixes are ASCII
/// without NUL bytes, so this is `==` / `hasPrefix` for anything of 8 bytes or fewer; longer
/// patterns (none in ICD-10-CM) are not packed and match the slow way.
struct PackedPattern: Sendable {
    var key: UInt64
    var mask: UInt64
    var isPacked: Bool

    init(_ pattern: CodePattern) {
        let bytes: String.UTF8View
        let whole: Bool
        switch pattern {
        case .code(let c): (bytes, whole) = (c.compact.utf8, true)
        case .prefix(let p): (bytes, whole) = (p.utf8, false)
        }
        guard bytes.count <= 8 else {
            (key, mask, isPacked) = (0, 0, false)
            return
        }
        var key: UInt64 = 0
        for b in bytes { key = key << 8 | UInt64(b) }
        let n = bytes.count
        key = n == 0 ? 0 : key << (8 * UInt64(8 - n))
        // An exact code compares all 8 bytes (its zero padding included); a prefix only its own.
        self.key = key
        self.mask = whole ? ~0 : (n == 0 ? 0 : ~0 << (8 * UInt64(8 - n)))
        self.isPacked = true
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
///
/// Codes are kept in one array sorted by code and found by binary search; parents and
/// children are index arrays built in one sweep, so loading a release hashes nothing.
public final class CodeSet: Sendable {
    /// The release's name in results: `codeSet.version`, e.g. `2026-04-01`.
    public let version: String
    public let validFrom: ServiceDate
    public let validThrough: ServiceDate
    /// Sorted by code, one entry per code.
    private let entries: [CodeEntry]
    /// Index of each entry's parent in `entries`, or -1.
    private let parentIndex: [Int32]
    /// Children of entry `i` are `childList[childStart[i]..<childStart[i + 1]]`, in code order.
    private let childStart: [Int32]
    private let childList: [Int32]
    /// `entries[i].code.packedKey`, for lookups that compare integers, not strings.
    private let keys: [UInt64]
    /// `keys` by hash: the lookup of a claim's codes.
    private let keyTable: PackedKeyTable<UInt64>
    /// Entry `i`'s own Excludes1 patterns as packed prefixes, `exclusions[exclusionStart[i]..<exclusionStart[i + 1]]`
    /// in `excludes1` order: matching one is a mask and a compare, not a `String.hasPrefix`.
    private let exclusionStart: [Int32]
    private let exclusions: [PackedPattern]
    /// Per entry, one bit per hash of the first three characters of each Excludes1 pattern
    /// along its lineage (`categoryBit`); every bit for a pattern shorter than that or not
    /// packed. A code whose bit is clear matches none of them: no walk up the lineage.
    private let lineageExclusionBits: [UInt64]
    public let billableCount: Int

    /// One of 64 bits for the first three characters of a packed code or pattern.
    private static func categoryBit(_ key: UInt64) -> UInt64 {
        1 << (((key >> 40) &* 0x9E37_79B9_7F4A_7C15) >> 58)
    }

    public init(version: String, validFrom: ServiceDate, validThrough: ServiceDate, entries unsorted: [CodeEntry]) {
        self.version = version
        self.validFrom = validFrom
        self.validThrough = validThrough
        var sorted = unsorted
        if !Self.isStrictlySorted(sorted) {
            sorted.sort { $0.code < $1.code }
            // A duplicate code keeps its last entry, as a dictionary insert would.
            var unique: [CodeEntry] = []
            unique.reserveCapacity(sorted.count)
            for e in sorted {
                if unique.last?.code == e.code { unique[unique.count - 1] = e } else { unique.append(e) }
            }
            sorted = unique
        }
        let count = sorted.count
        var parents = [Int32](repeating: -1, count: count)
        var childCounts = [Int32](repeating: 0, count: count + 1)
        var billable = 0
        // Sorted order puts a code right after its prefixes, so the chain of prefixes of
        // the current code is a stack; a parent is (nearly always) on it.
        var stack: [Int] = []
        for i in 0..<count {
            let code = sorted[i].code.compact.utf8
            while let top = stack.last, !code.starts(with: sorted[top].code.compact.utf8) { stack.removeLast() }
            if let parent = sorted[i].parent {
                let p = stack.last(where: { sorted[$0].code == parent }) ?? Self.search(sorted, parent)
                if let p {
                    parents[i] = Int32(p)
                    childCounts[p] += 1
                }
            }
            if sorted[i].billable { billable += 1 }
            stack.append(i)
        }
        // Prefix sums: childStart[i] is where entry i's children begin.
        var starts = [Int32](repeating: 0, count: count + 1)
        for i in 0..<count { starts[i + 1] = starts[i] + childCounts[i] }
        var fill = starts
        var list = [Int32](repeating: 0, count: Int(starts[count]))
        for i in 0..<count where parents[i] >= 0 {
            let p = Int(parents[i])
            list[Int(fill[p])] = Int32(i)
            fill[p] += 1
        }
        self.entries = sorted
        let packedKeys = sorted.map(\.code.packedKey)
        self.keys = packedKeys
        self.keyTable = PackedKeyTable(packedKeys)
        var exclusionStart = [Int32](repeating: 0, count: count + 1)
        var exclusions: [PackedPattern] = []
        for i in 0..<count {
            for pattern in sorted[i].excludes1 { exclusions.append(PackedPattern(pattern)) }
            exclusionStart[i + 1] = Int32(exclusions.count)
        }
        self.exclusionStart = exclusionStart
        self.exclusions = exclusions
        var ownBits = [UInt64](repeating: 0, count: count)
        for i in 0..<count {
            for k in Int(exclusionStart[i])..<Int(exclusionStart[i + 1]) {
                let p = exclusions[k]
                // A code matching a pattern of three or more characters starts with its first three.
                ownBits[i] |= p.isPacked && p.mask >> 40 == 0xFF_FFFF ? Self.categoryBit(p.key) : ~0
            }
        }
        var lineageBits = ownBits
        for i in 0..<count {
            var p = Int(parents[i]), depth = 0
            while p >= 0 && depth < 16 {
                lineageBits[i] |= ownBits[p]
                p = Int(parents[p])
                depth += 1
            }
            if p >= 0 { lineageBits[i] = ~0 }
        }
        self.lineageExclusionBits = lineageBits
        self.parentIndex = parents
        self.childStart = starts
        self.childList = list
        self.billableCount = billable
    }

    private static func isStrictlySorted(_ entries: [CodeEntry]) -> Bool {
        for i in entries.indices.dropFirst() where !(entries[i - 1].code < entries[i].code) { return false }
        return true
    }

    private static func search(_ entries: [CodeEntry], _ code: ICD10Code) -> Int? {
        var low = 0
        var high = entries.count
        while low < high {
            let mid = (low + high) / 2
            if entries[mid].code < code { low = mid + 1 } else { high = mid }
        }
        return low < entries.count && entries[low].code == code ? low : nil
    }

    private func index(_ code: ICD10Code) -> Int? { index(code, packedKey: code.packedKey) }

    private func index(_ code: ICD10Code, packedKey key: UInt64) -> Int? {
        keyTable.position(of: key, in: keys)
    }

    public var count: Int { entries.count }

    /// Along the lineage of the entry at `start` (itself, then its ancestors), the first
    /// entry with an Excludes1 pattern matching `other`: that entry's code and the pattern.
    func firstExcludes1(alongLineageOf start: Int, matching other: ICD10Code) -> (holder: ICD10Code, pattern: CodePattern)? {
        firstExcludes1(alongLineageOf: start, matching: other, packedKey: other.packedKey)
    }

    /// Same, with `other.packedKey` computed once by the caller.
    func firstExcludes1(
        alongLineageOf start: Int, matching other: ICD10Code, packedKey key: UInt64
    ) -> (holder: ICD10Code, pattern: CodePattern)? {
        let packable = other.compact.utf8.count <= 8
        if packable && lineageExclusionBits[start] & Self.categoryBit(key) == 0 { return nil }
        var current = start
        while true {
            var k = Int(exclusionStart[current])
            let end = Int(exclusionStart[current + 1])
            while k < end {
                let p = exclusions[k]
                let found = p.isPacked && packable ? key & p.mask == p.key
                    : entries[current].excludes1[k - Int(exclusionStart[current])].matches(other)
                if found { return (entries[current].code, entries[current].excludes1[k - Int(exclusionStart[current])]) }
                k += 1
            }
            let parent = Int(parentIndex[current])
            guard parent >= 0 else { return nil }
            current = parent
        }
    }

    /// The Excludes1 filter bits of the lineage of the entry at `i`, and the bit a code sets
    /// (all of them when the filter cannot tell): `firstExcludes1` finds nothing for a pair
    /// whose bits do not meet either way round.
    func excludes1Bits(at i: Int) -> UInt64 { lineageExclusionBits[i] }
    func excludes1Bit(of code: ICD10Code, packedKey key: UInt64) -> UInt64 {
        code.compact.utf8.count <= 8 ? Self.categoryBit(key) : ~0
    }

    /// Where `code` sits in this release, for facts a claim looks up once (`ClaimFacts`).
    func entryIndex(of code: ICD10Code) -> Int? { index(code) }
    func entryIndex(of code: ICD10Code, packedKey key: UInt64) -> Int? { index(code, packedKey: key) }
    func isBillable(at i: Int) -> Bool { entries[i].billable }

    /// `isManifestation` for the entry at `i`.
    func isManifestation(at start: Int) -> Bool {
        var i = start
        while true {
            if entries[i].manifestation { return true }
            guard parentIndex[i] >= 0 else { return false }
            i = Int(parentIndex[i])
        }
    }

    public func covers(_ date: ServiceDate) -> Bool { validFrom <= date && date <= validThrough }

    public func entry(_ code: ICD10Code) -> CodeEntry? { index(code).map { entries[$0] } }
    /// `entry(code)?.description`, read in place (a copy of the entry retained all of its fields).
    func entryDescription(_ code: ICD10Code) -> String? { index(code).map { entries[$0].description } }
    public func contains(_ code: ICD10Code) -> Bool { index(code) != nil }

    /// Direct children, in code order.
    public func children(of code: ICD10Code) -> [ICD10Code] {
        guard let i = index(code) else { return [] }
        return childList[Int(childStart[i])..<Int(childStart[i + 1])].map { entries[Int($0)].code }
    }

    /// Parent, grandparent … up to the category.
    public func ancestors(of code: ICD10Code) -> [ICD10Code] {
        guard let i = index(code) else { return [] }
        var out: [ICD10Code] = []
        var current = Int(parentIndex[i])
        while current >= 0 {
            out.append(entries[current].code)
            current = Int(parentIndex[current])
        }
        return out
    }

    /// Every billable code at or below `code`, in code order.
    public func billableDescendants(of code: ICD10Code) -> [ICD10Code] {
        guard let root = index(code) else { return [] }
        var out: [ICD10Code] = []
        var stack = [root]
        while let i = stack.popLast() {
            if entries[i].billable { out.append(entries[i].code) }
            stack.append(contentsOf: childList[Int(childStart[i])..<Int(childStart[i + 1])].map(Int.init))
        }
        return out.sorted()
    }

    /// Excludes1 patterns that apply to `code`: its own and every ancestor's.
    public func excludes1(of code: ICD10Code) -> [CodePattern] {
        guard var i = index(code) else { return [] }
        var out = entries[i].excludes1
        while parentIndex[i] >= 0 {
            i = Int(parentIndex[i])
            out += entries[i].excludes1
        }
        return out
    }

    /// True when the code or an ancestor is a manifestation code.
    public func isManifestation(_ code: ICD10Code) -> Bool {
        guard var i = index(code) else { return false }
        while true {
            if entries[i].manifestation { return true }
            guard parentIndex[i] >= 0 else { return false }
            i = Int(parentIndex[i])
        }
    }

    /// All codes in code order, for exports and counts.
    public var allEntries: some Sequence<CodeEntry> { entries }
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

/// Positions of packed keys (`ICD10Code.packedKey`, `PTPTable.pack`) in the array they were
/// built from, by open addressing: a claim's code is found with a multiply and a probe or
/// two, where a binary search took a dozen dependent steps (most of them cache misses).
/// Of equal keys, the first position is found, as a lower-bound search finds it.
struct PackedKeyTable<Key: FixedWidthInteger & Sendable>: Sendable {
    /// Position + 1 of the key in each slot; 0 for an empty slot.
    private let slots: [Int32]
    private let shift: UInt64
    private let mask: Int

    init(_ keys: [Key]) {
        // At most half full: probes stay short.
        var bits = 4
        while 1 << bits < keys.count * 2 { bits += 1 }
        let mask = (1 << bits) - 1, shift = UInt64(64 - bits)
        var slots = [Int32](repeating: 0, count: 1 << bits)
        for i in keys.indices {
            var s = Self.slot(of: keys[i], shift: shift)
            while slots[s] != 0 {
                if keys[Int(slots[s]) - 1] == keys[i] { break }
                s = (s + 1) & mask
            }
            if slots[s] == 0 { slots[s] = Int32(i + 1) }
        }
        self.slots = slots
        self.shift = shift
        self.mask = mask
    }

    @inline(__always)
    private static func slot(of key: Key, shift: UInt64) -> Int {
        Int(truncatingIfNeeded: (UInt64(truncatingIfNeeded: key) &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    /// The position of `key` in `keys`, the array this table was built from.
    @inline(__always)
    func position(of key: Key, in keys: [Key]) -> Int? {
        slots.withUnsafeBufferPointer { slots in
            keys.withUnsafeBufferPointer { keys in
                var s = Self.slot(of: key, shift: shift)
                while true {
                    let p = Int(slots[s])
                    if p == 0 { return nil }
                    if keys[p - 1] == key { return p - 1 }
                    s = (s + 1) & mask
                }
            }
        }
    }
}
