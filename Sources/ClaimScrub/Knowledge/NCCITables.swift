/// One procedure-to-procedure edit of the CMS practitioner PTP table.
public struct PTPEdit: Sendable, Equatable {
    public enum ModifierIndicator: Int, Sendable {
        /// Never billable together on one date.
        case notAllowed = 0
        /// Billable together when an NCCI-associated modifier is on the column-2 line.
        case allowed = 1
        /// Not applicable: the edit does nothing.
        case notApplicable = 9
    }

    public var column1: ProcedureCode
    public var column2: ProcedureCode
    public var existedBefore1996: Bool
    public var effective: ServiceDate
    /// First date on which the edit no longer applies; nil while in force.
    public var deletion: ServiceDate?
    public var modifierIndicator: ModifierIndicator
    public var rationale: String

    /// In force on `date`: effective on or before it and not yet deleted.
    public func isActive(on date: ServiceDate) -> Bool {
        effective <= date && deletion.map { date < $0 } ?? true
    }
}

/// The practitioner PTP table in CMS's tab-delimited layout (column 1, column 2, `*` if in
/// existence prior to 1996, effective date YYYYMMDD, deletion date YYYYMMDD or `*`,
/// modifier indicator, rationale), after a copyright preamble and a header row.
///
/// The real table has over a million rows, so rows are kept packed (24 bytes each: the code
/// pair as one integer, dates as day numbers, the rationale as an index into a shared list)
/// in one array sorted by pair, and files are parsed as bytes.
public struct PTPTable: Sendable {
    struct Row: Sendable {
        var pair: UInt64
        var effective: Int32
        /// `Int32.max` while in force.
        var deletion: Int32
        var indicator: UInt8
        var before1996: Bool
        var rationale: UInt16
    }

    private var rows: [Row] = []
    private var rationales: [String] = []
    private var rationaleIndex: [[UInt8]: UInt16] = [:]
    /// One bit per hash of a pair that has rows (about 8 bits per row): most pairs of a claim
    /// have no edit, and this says so without a binary search over the whole table.
    private var pairFilter: [UInt64] = [0]
    private var pairFilterShift: UInt64 = 58

    public var count: Int { rows.count }

    public init(edits: [PTPEdit] = []) {
        for e in edits { append(e) }
        sortRows()
    }

    public mutating func add(_ e: PTPEdit) {
        append(e)
        sortRows()
    }

    private mutating func append(_ e: PTPEdit) {
        guard let c1 = Self.pack(e.column1.value.utf8), let c2 = Self.pack(e.column2.value.utf8) else { return }
        rows.append(Row(
            pair: UInt64(c1) << 32 | UInt64(c2), effective: Int32(e.effective.daysSinceEpoch),
            deletion: e.deletion.map { Int32($0.daysSinceEpoch) } ?? Int32.max,
            indicator: UInt8(e.modifierIndicator.rawValue), before1996: e.existedBefore1996,
            rationale: rationaleNumber(Array(e.rationale.utf8)[...])))
    }

    /// The edit for the ordered pair in force on `date` (the newest when rows overlap).
    public func edit(column1: ProcedureCode, column2: ProcedureCode, on date: ServiceDate) -> PTPEdit? {
        guard let c1 = Self.pack(column1.value.utf8), let c2 = Self.pack(column2.value.utf8) else { return nil }
        return edit(packed: c1, c2, column1: column1, column2: column2, on: date)
    }

    /// False when the pair filter says the ordered pair has no row (then `edit` is nil).
    @inline(__always)
    func mayHaveEdit(_ c1: UInt32, _ c2: UInt32) -> Bool {
        let slot = Self.filterSlot(UInt64(c1) << 32 | UInt64(c2), shift: pairFilterShift)
        return pairFilter[Int(slot >> 6)] & (1 << (slot & 63)) != 0
    }

    /// Same, for codes already packed (`pack`): a claim's codes are packed once, not per pair,
    /// and read only for an edit found (most pairs of a claim have none).
    func edit(
        packed c1: UInt32, _ c2: UInt32, column1: @autoclosure () -> ProcedureCode,
        column2: @autoclosure () -> ProcedureCode, on date: ServiceDate
    ) -> PTPEdit? {
        let key = UInt64(c1) << 32 | UInt64(c2)
        let slot = Self.filterSlot(key, shift: pairFilterShift)
        guard pairFilter[Int(slot >> 6)] & (1 << (slot & 63)) != 0 else { return nil }
        let day = Int32(date.daysSinceEpoch)
        // Lower bound of `key`.
        var lo = 0, hi = rows.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if rows[mid].pair < key { lo = mid + 1 } else { hi = mid }
        }
        var best: Row?
        var i = lo
        while i < rows.count, rows[i].pair == key {
            let r = rows[i]
            if r.effective <= day, day < r.deletion, best.map({ r.effective > $0.effective }) ?? true { best = r }
            i += 1
        }
        guard let r = best, let mi = PTPEdit.ModifierIndicator(rawValue: Int(r.indicator)) else { return nil }
        return PTPEdit(
            column1: column1(), column2: column2(), existedBefore1996: r.before1996,
            effective: ServiceDate(daysSinceEpoch: Int(r.effective)),
            deletion: r.deletion == Int32.max ? nil : ServiceDate(daysSinceEpoch: Int(r.deletion)),
            modifierIndicator: mi, rationale: rationales[Int(r.rationale)])
    }

    public mutating func load(text: String, file: String) throws {
        try load(bytes: Array(text.utf8), file: file)
    }

    /// Adds the rows of one file. Lines before the first data row are the preamble and
    /// header; after it, every non-blank line must be a well-formed row.
    public mutating func load(bytes: [UInt8], file: String) throws {
        var started = false
        var lineNumber = 0
        var lineStart = 0
        let tab = UInt8(ascii: "\t"), newline = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r"), star = UInt8(ascii: "*")
        var fields: [ArraySlice<UInt8>] = []
        fields.reserveCapacity(8)
        while lineStart < bytes.count {
            lineNumber += 1
            var lineEnd = lineStart
            while lineEnd < bytes.count, bytes[lineEnd] != newline { lineEnd += 1 }
            let next = lineEnd + 1
            var end = lineEnd
            if end > lineStart, bytes[end - 1] == cr { end -= 1 }
            let line = bytes[lineStart..<end]
            lineStart = next
            if line.allSatisfy({ $0 == 32 || $0 == 9 }) { continue }

            fields.removeAll(keepingCapacity: true)
            var fieldStart = line.startIndex
            for i in line.indices where line[i] == tab {
                fields.append(Self.trim(line[fieldStart..<i]))
                fieldStart = i + 1
            }
            fields.append(Self.trim(line[fieldStart..<line.endIndex]))

            let c1 = fields.count > 0 ? Self.pack(fields[0]) : nil
            let c2 = fields.count > 1 ? Self.pack(fields[1]) : nil
            let effective = fields.count > 3 ? Self.day(fields[3]) : nil
            if !started && (fields.count < 6 || c1 == nil || c2 == nil || effective == nil) { continue }
            started = true
            let fail = { (what: String) in KnowledgeLoadError(file: file, line: lineNumber, expected: what) }
            guard fields.count >= 6 else { throw fail("7 tab-separated fields (column 1, column 2, *, effective, deletion, modifier indicator, rationale)") }
            guard let c1, let c2 else { throw fail("five-character procedure codes in columns 1 and 2") }
            guard fields[2].isEmpty || fields[2].elementsEqual([star]) else { throw fail("`*` or nothing in the prior-to-1996 field") }
            guard let effective else { throw fail("an effective date YYYYMMDD") }
            let deletion: Int32
            if fields[4].isEmpty || fields[4].elementsEqual([star]) {
                deletion = Int32.max
            } else if let d = Self.day(fields[4]) {
                deletion = d
            } else {
                throw fail("a deletion date YYYYMMDD or `*`")
            }
            guard fields[5].count == 1, let mi = fields[5].first, mi == 48 || mi == 49 || mi == 57 else {
                throw fail("a modifier indicator 0, 1 or 9")
            }
            rows.append(Row(
                pair: UInt64(c1) << 32 | UInt64(c2), effective: effective, deletion: deletion, indicator: mi - 48,
                before1996: !fields[2].isEmpty, rationale: rationaleNumber(fields.count > 6 ? fields[6] : [][...])))
        }
        if !started { throw KnowledgeLoadError(file: file, expected: "at least one PTP edit row") }
        sortRows()
    }

    private mutating func sortRows() {
        rows.sort { $0.pair < $1.pair }
        var bits = 64
        while bits < rows.count * 8 { bits *= 2 }
        pairFilterShift = UInt64(64 - bits.trailingZeroBitCount)
        pairFilter = Array(repeating: 0, count: bits / 64)
        for r in rows {
            let h = Self.filterSlot(r.pair, shift: pairFilterShift)
            pairFilter[Int(h >> 6)] |= 1 << (h & 63)
        }
    }

    private static func filterSlot(_ pair: UInt64, shift: UInt64) -> UInt64 {
        (pair &* 0x9E37_79B9_7F4A_7C15) >> shift
    }

    private mutating func rationaleNumber(_ bytes: ArraySlice<UInt8>) -> UInt16 {
        let key = Array(bytes)
        if let n = rationaleIndex[key] { return n }
        let n = UInt16(truncatingIfNeeded: min(rationales.count, Int(UInt16.max)))
        if rationales.count < Int(UInt16.max) {
            rationales.append(String(decoding: key, as: UTF8.self))
            rationaleIndex[key] = n
        }
        return n
    }

    private static func trim(_ s: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var lo = s.startIndex, hi = s.endIndex
        while lo < hi, s[lo] == 32 || s[lo] == 9 { lo += 1 }
        while hi > lo, s[hi - 1] == 32 || s[hi - 1] == 9 { hi -= 1 }
        return s[lo..<hi]
    }

    /// A five-character CPT/HCPCS code in base 36 (fits in 26 bits); nil for anything else.
    /// Generic so a lookup packs a code's `utf8` view in place: copying it into an
    /// `Array` first cost two allocations per pair of lines looked up.
    /// `pack(code.value.utf8)` over the code's bytes in place (a code is a small string: walking
    /// its UTF-8 view decoded it byte by byte).
    static func pack(_ code: ProcedureCode) -> UInt32? {
        code.value.utf8.withContiguousStorageIfAvailable { pack($0) } ?? pack(code.value.utf8)
    }

    static func pack<Bytes: Collection<UInt8>>(_ s: Bytes) -> UInt32? {
        guard s.count == 5 else { return nil }
        var v: UInt32 = 0
        for b in s {
            let d: UInt32
            switch b {
            case 48...57: d = UInt32(b - 48)
            case 65...90: d = UInt32(b - 55)
            case 97...122: d = UInt32(b - 87)
            default: return nil
            }
            v = v * 36 + d
        }
        return v
    }

    /// `YYYYMMDD` as days since 1970-01-01; nil unless a real date.
    static func day(_ s: ArraySlice<UInt8>) -> Int32? {
        guard s.count == 8, s.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        let d = s.map { Int($0 - 48) }
        let y = d[0] * 1000 + d[1] * 100 + d[2] * 10 + d[3], m = d[4] * 10 + d[5], dd = d[6] * 10 + d[7]
        return ServiceDate(year: y, month: m, day: dd).map { Int32($0.daysSinceEpoch) }
    }
}

/// One medically unlikely edit of the CMS practitioner MUE table.
public struct MUEEdit: Sendable, Equatable {
    public enum Adjudication: Int, Sendable {
        /// Units are counted per claim line.
        case line = 1
        /// Units are counted per code per date of service (policy).
        case dateOfServicePolicy = 2
        /// Units are counted per code per date of service (clinical).
        case dateOfServiceClinical = 3

        public var perDate: Bool { self != .line }
        public var label: String {
            switch self {
            case .line: "1 Line Edit"
            case .dateOfServicePolicy: "2 Date of Service Edit: Policy"
            case .dateOfServiceClinical: "3 Date of Service Edit: Clinical"
            }
        }
    }

    public var code: ProcedureCode
    public var value: Int
    public var adjudication: Adjudication
    public var rationale: String
}

/// The practitioner MUE table in CMS's CSV layout (code, MUE value, adjudication indicator
/// text, rationale; fields may be quoted), after a preamble and a header row.
public struct MUETable: Sendable {
    public private(set) var edits: [ProcedureCode: MUEEdit] = [:]

    public init(edits: [MUEEdit] = []) {
        for e in edits { self.edits[e.code] = e }
    }

    public subscript(code: ProcedureCode?) -> MUEEdit? { code.flatMap { edits[$0] } }

    public mutating func load(text: String, file: String) throws {
        var started = false
        // CMS files use CRLF; "\r\n" is one Character in Swift, so split on any newline.
        for (offset, line) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            if line.trimmingSpaces.isEmpty { continue }
            let fields = Self.csvFields(line)
            let looksLikeData = fields.count >= 3 && fields[0].count == 5 && Int(fields[1]) != nil
            if !started && !looksLikeData { continue }
            started = true
            let fail = { (what: String) in KnowledgeLoadError(file: file, line: offset + 1, expected: what) }
            guard fields.count >= 3 else { throw fail("4 comma-separated fields (code, MUE value, adjudication indicator, rationale)") }
            guard let code = ProcedureCode(fields[0]), code.isWellFormed else { throw fail("a five-character procedure code") }
            guard let value = Int(fields[1]), value >= 0 else { throw fail("an MUE value as a whole number") }
            guard let digit = fields[2].first.flatMap({ Int(String($0)) }),
                  let mai = MUEEdit.Adjudication(rawValue: digit) else {
                throw fail("an adjudication indicator starting with 1, 2 or 3 (\"1 Line Edit\")")
            }
            edits[code] = MUEEdit(code: code, value: value, adjudication: mai, rationale: fields.count > 3 ? fields[3] : "")
        }
        if !started { throw KnowledgeLoadError(file: file, expected: "at least one MUE row") }
    }

    /// Splits one CSV record (RFC 4180 quoting, `""` for a quote inside quotes).
    static func csvFields(_ line: Substring) -> [String] {
        var fields: [String] = []
        var current = ""
        var quoted = false
        var i = line.startIndex
        while i < line.endIndex {
            let c = line[i]
            if quoted {
                if c == "\"" {
                    let next = line.index(after: i)
                    if next < line.endIndex, line[next] == "\"" {
                        current.append("\"")
                        i = next
                    } else {
                        quoted = false
                    }
                } else {
                    current.append(c)
                }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                fields.append(String(current.trimmingSpaces))
                current = ""
            } else {
                current.append(c)
            }
            i = line.index(after: i)
        }
        fields.append(String(current.trimmingSpaces))
        return fields
    }
}
