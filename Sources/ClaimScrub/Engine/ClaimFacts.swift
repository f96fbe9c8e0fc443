/// The rule data of `Knowledge`, each table read once per engine (or per hand-built
/// context) instead of once per rule per claim, with integer-keyed copies of the procedure
/// tables: a claim's codes are looked up by binary search over packed codes, not hashed as strings.
final class KnowledgeTables: Sendable {
    let procedures: ProcedureTable?
    let mue: MUETable?
    let ptp: PTPTable?
    let specificity: SpecificityTable?
    let lexicon: PhraseLexicon?
    let sequencing: SequencingTable?
    let documentation: DocumentationRequirements?
    /// Whether `procedures`, `mue` and `lexicon` are loaded: the rules ask for every claim, and
    /// `!= nil` on a table copied it (retaining its storage) just to compare.
    let hasProcedures: Bool
    let hasMUE: Bool
    let hasLexicon: Bool
    /// `ptp`, or an empty table: called in place (binding the optional copied the table's
    /// four arrays for every claim).
    let ptpTable: PTPTable
    /// `procedures`' rows by packed code (`PTPTable.pack`), keys ascending.
    let procedureIndex: PackedCodeIndex<ProcedureInfo>
    /// `mue`'s edits by packed code.
    let mueIndex: PackedCodeIndex<MUEEdit>
    /// `specificity`'s unspecified codes, packed (`ICD10Code.packedKey`) and ascending.
    let specificityKeys: [UInt64]
    /// What a service line's facts take from `procedures` and `mue`, by packed code: one
    /// search per line instead of one per table.
    let lineIndex: PackedCodeIndex<LineTableFacts>
    /// The codes of each of `documentation`'s procedure requirements, by packed code.
    let documentedProcedures: [PackedCodeIndex<Bool>]
    /// The fields each of `documentation`'s diagnosis and procedure requirements names, as
    /// `DocumentationField.bit` masks, and all of them: a requirement whose fields a claim
    /// documents is not matched against its codes at all.
    let diagnosisDocumentationMasks: [UInt16]
    let procedureDocumentationMasks: [UInt16]
    let documentationFieldsRequired: UInt16

    init(_ knowledge: Knowledge) {
        procedures = knowledge[ProcedureTable.self]
        mue = knowledge[MUETable.self]
        ptp = knowledge[PTPTable.self]
        specificity = knowledge[SpecificityTable.self]
        lexicon = knowledge[PhraseLexicon.self]
        sequencing = knowledge[SequencingTable.self]
        documentation = knowledge[DocumentationRequirements.self]
        hasProcedures = procedures != nil
        hasMUE = mue != nil
        hasLexicon = lexicon != nil
        ptpTable = ptp ?? PTPTable()
        procedureIndex = PackedCodeIndex(procedures?.procedures ?? [:])
        mueIndex = PackedCodeIndex(mue?.edits ?? [:])
        var lineFacts: [ProcedureCode: LineTableFacts] = [:]
        for (code, info) in procedures?.procedures ?? [:] {
            lineFacts[code, default: LineTableFacts()].kind = info.kind
            lineFacts[code, default: LineTableFacts()].anyDiagnosisSupports = info.supportedBy == nil
        }
        for (code, edit) in mue?.edits ?? [:] {
            lineFacts[code, default: LineTableFacts()].mueValue = edit.value
            lineFacts[code, default: LineTableFacts()].mueAdjudication = edit.adjudication
        }
        lineIndex = PackedCodeIndex(lineFacts)
        specificityKeys = (specificity?.entries.keys.map(\.packedKey) ?? []).sorted()
        documentedProcedures = (documentation?.procedures ?? []).map { req in
            PackedCodeIndex(Dictionary(req.codes.map { ($0, true) }, uniquingKeysWith: { a, _ in a }))
        }
        func mask(_ fields: [DocumentationField]) -> UInt16 { fields.reduce(0) { $0 | $1.bit } }
        diagnosisDocumentationMasks = (documentation?.diagnoses ?? []).map { mask($0.requires) }
        procedureDocumentationMasks = (documentation?.procedures ?? []).map { mask($0.requires) }
        documentationFieldsRequired = (diagnosisDocumentationMasks + procedureDocumentationMasks).reduce(0, |)
    }

    /// The procedure table's row for `code`.
    func procedure(_ code: ProcedureCode, packed: UInt32?) -> ProcedureInfo? {
        procedureIndex.lookup(code, packed: packed)
    }

    func mueEdit(_ code: ProcedureCode, packed: UInt32?) -> MUEEdit? {
        mueIndex.lookup(code, packed: packed)
    }
}

/// A `[ProcedureCode: Value]` table as a sorted array of packed codes. Codes that cannot
/// be packed (not five letters or digits) stay in a dictionary; packing is one-to-one on
/// the upper-case codes `ProcedureCode` holds, so a packed key finds exactly its code.
struct PackedCodeIndex<Value: Sendable>: Sendable {
    private let keys: [UInt32]
    private let values: [Value]
    private let unpacked: [ProcedureCode: Value]

    init(_ table: [ProcedureCode: Value]) {
        var packed: [(key: UInt32, value: Value)] = []
        var unpacked: [ProcedureCode: Value] = [:]
        for (code, value) in table {
            if let key = PTPTable.pack(code.value.utf8) { packed.append((key, value)) } else { unpacked[code] = value }
        }
        packed.sort { $0.key < $1.key }
        keys = packed.map(\.key)
        values = packed.map(\.value)
        self.unpacked = unpacked
    }

    /// `packed` is `PTPTable.pack(code.value.utf8)`, computed once by the caller.
    func lookup(_ code: ProcedureCode, packed: UInt32?) -> Value? {
        guard let key = packed else { return unpacked.isEmpty ? nil : unpacked[code] }
        return position(of: key).map { values[$0] }
    }

    /// Reads one field of the value for `code` without copying the whole value.
    func lookup<T>(_ code: ProcedureCode, packed: UInt32?, _ field: (Value) -> T) -> T? {
        guard let key = packed else { return unpacked.isEmpty ? nil : unpacked[code].map(field) }
        return position(of: key).map { field(values[$0]) }
    }

    private func position(of key: UInt32) -> Int? {
        let low = keys.lowerBound(of: key, in: keys.indices)
        return low < keys.count && keys[low] == key ? low : nil
    }
}

/// A procedure code's row of the procedure table and MUE edit, as `LineFacts` holds them.
struct LineTableFacts: Sendable {
    var kind: ProcedureInfo.Kind?
    var anyDiagnosisSupports = false
    var mueValue = 0
    var mueAdjudication: MUEEdit.Adjudication?
}

/// What the rules know of one service line, looked up once per claim. Plain values only,
/// so that the array of them costs no reference counting.
struct LineFacts: Sendable {
    /// The readable date of service.
    var date: ServiceDate?
    /// The procedure table's kind of the line's code (nil when the table lacks it).
    var kind: ProcedureInfo.Kind?
    /// The table says any diagnosis supports the code (`supportedBy` is nil).
    var anyDiagnosisSupports = false
    /// The line's code packed (`PTPTable.pack`; nil unless five letters or digits).
    var packedCode: UInt32?
    /// The MUE of the line's code: its value and adjudication (nil when none).
    var mueValue: Int
    var mueAdjudication: MUEEdit.Adjudication?
    /// `ServiceLine.treatmentMinutes` (parsing the times once).
    var treatmentMinutes: Int?
}

/// One diagnosis of the claim: its code and the index of its entry in the chosen release.
struct DiagnosisFacts: Sendable {
    let code: ICD10Code?
    /// -1 when the release has no entry for it.
    let entry: Int32
}

/// The codes of `ClaimFacts`' diagnoses, in claim order, as a collection.
struct DiagnosisCodes: RandomAccessCollection, Sendable {
    fileprivate let diagnoses: [DiagnosisFacts]
    var startIndex: Int { 0 }
    var endIndex: Int { diagnoses.count }
    subscript(i: Int) -> ICD10Code? { diagnoses[i].code }
}

/// The entry indices of `ClaimFacts`' diagnoses, in claim order, as a collection.
struct DiagnosisEntries: RandomAccessCollection, Sendable {
    fileprivate let diagnoses: [DiagnosisFacts]
    var startIndex: Int { 0 }
    var endIndex: Int { diagnoses.count }
    subscript(i: Int) -> Int32 { diagnoses[i].entry }
}

/// Lines of one date of service, `range` positions into `ClaimFacts.datedLines`.
struct DateRun: Sendable {
    let date: ServiceDate
    let range: Range<Int>
}

/// The date runs of a claim: most claims have one date, held inline (no array).
struct DateRuns: RandomAccessCollection, Sendable {
    fileprivate let single: DateRun?
    fileprivate let many: [DateRun]
    var startIndex: Int { 0 }
    var endIndex: Int { many.isEmpty ? (single == nil ? 0 : 1) : many.count }
    subscript(i: Int) -> DateRun { many.isEmpty ? single! : many[i] }
}

/// Line indices in (date, index) order, or a range of them: `order` is empty when the
/// dated lines are every line in its own order (the usual claim), which needs no array.
struct LineIndices: RandomAccessCollection, Sendable {
    fileprivate let order: [Int]
    fileprivate let range: Range<Int>
    var startIndex: Int { range.lowerBound }
    var endIndex: Int { range.upperBound }
    subscript(k: Int) -> Int { order.isEmpty ? k : order[k] }
}

/// Facts about one claim that several rules read, derived once per claim by the engine:
/// each code-set and table lookup of the claim's codes, and the lines grouped by date.
/// Rules read them through `RuleContext.facts(of:)` and index the claim's own arrays, so
/// that no rule copies lines or rebuilds arrays of codes for a claim that passes.
final class ClaimFacts: Sendable {
    /// Per diagnosis, its code and entry (one array for both).
    private let diagnoses: [DiagnosisFacts]
    /// `diagnoses[i].code`, in claim order (nil where an entry is not code-shaped).
    var diagnosisCodes: DiagnosisCodes { DiagnosisCodes(diagnoses: diagnoses) }
    /// Index of each diagnosis's entry in the chosen release, -1 when it has none.
    var entryIndex: DiagnosisEntries { DiagnosisEntries(diagnoses: diagnoses) }
    /// True when the chosen release is one of the library's (so a code it contains is
    /// known to some loaded release).
    let codeSetInLibrary: Bool
    /// One per service line.
    let lines: [LineFacts]
    /// Indices of the lines with a readable date, ordered by (date, index).
    var datedLines: LineIndices { LineIndices(order: datedOrder, range: 0..<datedCount) }
    /// `datedLines` when it is not every line in order (else empty).
    private let datedOrder: [Int]
    private let datedCount: Int
    /// Runs of `datedLines` that share a date, dates ascending.
    let dateRuns: DateRuns

    init(_ claim: borrowing Claim, codeSet: CodeSet, library: CodeSetLibrary, tables: KnowledgeTables) {
        let diagnoses = claim.diagnoses ?? []
        var facts: [DiagnosisFacts] = []
        facts.reserveCapacity(diagnoses.count)
        for d in diagnoses.indices {
            let code = diagnoses[d].code
            facts.append(DiagnosisFacts(
                code: code, entry: code.flatMap { codeSet.entryIndex(of: $0, packedKey: $0.packedKey) }.map(Int32.init) ?? -1))
        }
        self.diagnoses = facts
        codeSetInLibrary = library.releases.contains { $0 === codeSet }

        let serviceLines = claim.serviceLines ?? []
        var lines: [LineFacts] = []
        lines.reserveCapacity(serviceLines.count)
        // The dated lines so far are 0..<datedCount in order (no array) until one breaks that.
        var identity = true
        var order: [Int] = []
        var datedCount = 0
        var inDateOrder = true
        var lastDate: ServiceDate?
        for i in serviceLines.indices {
            let date = serviceLines[i].serviceDate?.date
            if let date {
                if let lastDate, date < lastDate { inDateOrder = false }
                lastDate = date
                if identity && datedCount != i {
                    identity = false
                    order = Array(0..<datedCount)
                }
                if !identity { order.append(i) }
                datedCount += 1
            }
            var line = LineFacts(
                date: date, kind: nil, packedCode: nil, mueValue: 0, mueAdjudication: nil,
                treatmentMinutes: serviceLines[i].treatmentMinutes)
            if let code = serviceLines[i].procedureCode {
                let packed = PTPTable.pack(code)
                line.packedCode = packed
                if let row = tables.lineIndex.lookup(code, packed: packed) {
                    line.kind = row.kind
                    line.anyDiagnosisSupports = row.anyDiagnosisSupports
                    line.mueValue = row.mueValue
                    line.mueAdjudication = row.mueAdjudication
                }
            }
            lines.append(line)
        }
        // Lines usually come in date order; (date, index) order is then the order they came in.
        if !inDateOrder {
            if identity { order = Array(0..<datedCount) }
            identity = false
            order.sort { lines[$0].date! != lines[$1].date! ? lines[$0].date! < lines[$1].date! : $0 < $1 }
        }
        self.lines = lines
        self.datedOrder = order
        self.datedCount = datedCount
        func line(_ k: Int) -> Int { identity ? k : order[k] }
        var single: DateRun?
        var runs: [DateRun] = []
        for k in 0..<datedCount {
            let date = lines[line(k)].date!
            if let current = single, current.date == date {
                single = DateRun(date: date, range: current.range.lowerBound..<(k + 1))
            } else {
                if let current = single { runs.append(current) }
                single = DateRun(date: date, range: k..<(k + 1))
            }
        }
        if !runs.isEmpty, let last = single { runs.append(last) }
        dateRuns = DateRuns(single: single, many: runs)
    }

    /// The procedure table's row for line `i` (messages; `lines[i].kind` answers most questions).
    func procedure(_ i: Int, of claim: Claim, _ tables: KnowledgeTables) -> ProcedureInfo? {
        guard lines[i].kind != nil, let code = claim.serviceLines?[i].procedureCode else { return nil }
        return tables.procedure(code, packed: lines[i].packedCode)
    }

    /// The MUE edit of line `i`.
    func mueEdit(_ i: Int, of claim: Claim, _ tables: KnowledgeTables) -> MUEEdit? {
        guard lines[i].mueAdjudication != nil, let code = claim.serviceLines?[i].procedureCode else { return nil }
        return tables.mueEdit(code, packed: lines[i].packedCode)
    }

    /// Lines `i` and `j` bill the same procedure code (both with one, or both without):
    /// packed codes are compared as integers, packing being one-to-one.
    func sameProcedure(_ i: Int, _ j: Int, _ serviceLines: [ServiceLine]) -> Bool {
        if let a = lines[i].packedCode, let b = lines[j].packedCode { return a == b }
        if (lines[i].packedCode == nil) != (lines[j].packedCode == nil) { return false }
        return serviceLines[i].procedureCode == serviceLines[j].procedureCode
    }

    /// The line indices of one date run, ascending.
    func lines(of run: DateRun) -> LineIndices { LineIndices(order: datedOrder, range: run.range) }
}

extension [UInt64] {
    /// Binary search of an ascending array.
    func containsSorted(_ key: UInt64) -> Bool {
        let low = lowerBound(of: key, in: indices)
        return low < count && self[low] == key
    }
}

extension Array where Element: Comparable & BitwiseCopyable {
    /// The first position whose element is not less than `key` in this ascending array, in
    /// `range`. Each step picks a half with a conditional move rather than a branch: a claim's
    /// codes are looked up in tables it shares nothing with, so the branches were mispredicted.
    func lowerBound(of key: Element, in range: Range<Int>) -> Int {
        guard !range.isEmpty else { return range.lowerBound }
        return withUnsafeBufferPointer { buffer in
            // The answer is in base...base + length; each step halves that without a branch.
            var base = range.lowerBound, length = range.count
            while length > 1 {
                let half = length >> 1
                base &+= half &* Int(unsafeBitCast(buffer[base &+ half] < key, to: UInt8.self))
                length &-= half
            }
            return base &+ Int(unsafeBitCast(buffer[base] < key, to: UInt8.self))
        }
    }
}
