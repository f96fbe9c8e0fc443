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
public struct PTPTable: Sendable {
    private var byPair: [PairKey: [PTPEdit]] = [:]
    public private(set) var count = 0

    struct PairKey: Hashable, Sendable {
        var column1: ProcedureCode
        var column2: ProcedureCode
    }

    public init(edits: [PTPEdit] = []) {
        for e in edits { add(e) }
    }

    public mutating func add(_ e: PTPEdit) {
        byPair[PairKey(column1: e.column1, column2: e.column2), default: []].append(e)
        count += 1
    }

    /// The edit for the ordered pair in force on `date` (the newest when rows overlap).
    public func edit(column1: ProcedureCode, column2: ProcedureCode, on date: ServiceDate) -> PTPEdit? {
        byPair[PairKey(column1: column1, column2: column2)]?
            .filter { $0.isActive(on: date) }
            .max { $0.effective < $1.effective }
    }

    /// Adds the rows of one file. Lines before the first data row are the preamble and
    /// header; after it, every non-blank line must be a well-formed row.
    public mutating func load(text: String, file: String) throws {
        var started = false
        // CMS files use CRLF; "\r\n" is one Character in Swift, so split on any newline.
        for (offset, line) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            if line.trimmingSpaces.isEmpty { continue }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map { String($0.trimmingSpaces) }
            let looksLikeData = fields.count >= 6 && fields[0].count == 5 && fields[1].count == 5
                && Self.date(fields[3]) != nil
            if !started && !looksLikeData { continue }
            started = true
            let fail = { (what: String) in KnowledgeLoadError(file: file, line: offset + 1, expected: what) }
            guard fields.count >= 6 else { throw fail("7 tab-separated fields (column 1, column 2, *, effective, deletion, modifier indicator, rationale)") }
            guard let c1 = ProcedureCode(fields[0]), c1.isWellFormed,
                  let c2 = ProcedureCode(fields[1]), c2.isWellFormed else {
                throw fail("five-character procedure codes in columns 1 and 2")
            }
            guard fields[2].isEmpty || fields[2] == "*" else { throw fail("`*` or nothing in the prior-to-1996 field") }
            guard let effective = Self.date(fields[3]) else { throw fail("an effective date YYYYMMDD") }
            let deletion: ServiceDate?
            if fields[4] == "*" || fields[4].isEmpty {
                deletion = nil
            } else if let d = Self.date(fields[4]) {
                deletion = d
            } else {
                throw fail("a deletion date YYYYMMDD or `*`")
            }
            guard let mi = Int(fields[5]).flatMap(PTPEdit.ModifierIndicator.init(rawValue:)) else {
                throw fail("a modifier indicator 0, 1 or 9")
            }
            add(PTPEdit(
                column1: c1, column2: c2, existedBefore1996: fields[2] == "*", effective: effective,
                deletion: deletion, modifierIndicator: mi, rationale: fields.count > 6 ? fields[6] : ""))
        }
        if !started { throw KnowledgeLoadError(file: file, expected: "at least one PTP edit row") }
    }

    static func date(_ text: String) -> ServiceDate? {
        guard text.count == 8, text.allSatisfy(\.isNumber) else { return nil }
        let s = Array(text)
        return ServiceDate(iso: String(s[0..<4]) + "-" + String(s[4..<6]) + "-" + String(s[6..<8]))
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
