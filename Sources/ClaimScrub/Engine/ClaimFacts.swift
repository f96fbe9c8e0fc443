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
    /// `procedures`' rows by packed code (`PTPTable.pack`), keys ascending.
    let procedureIndex: PackedCodeIndex<ProcedureInfo>
    /// `mue`'s edits by packed code.
    let mueIndex: PackedCodeIndex<MUEEdit>
    /// `specificity`'s unspecified codes, packed (`ICD10Code.packedKey`) and ascending.
    let specificityKeys: [UInt64]
    /// The codes of each of `documentation`'s procedure requirements, by packed code.
    let documentedProcedures: [PackedCodeIndex<Bool>]

    init(_ knowledge: Knowledge) {
        procedures = knowledge[ProcedureTable.self]
        mue = knowledge[MUETable.self]
        ptp = knowledge[PTPTable.self]
        specificity = knowledge[SpecificityTable.self]
        lexicon = knowledge[PhraseLexicon.self]
        sequencing = knowledge[SequencingTable.self]
        documentation = knowledge[DocumentationRequirements.self]
        procedureIndex = PackedCodeIndex(procedures?.procedures ?? [:])
        mueIndex = PackedCodeIndex(mue?.edits ?? [:])
        specificityKeys = (specificity?.entries.keys.map(\.packedKey) ?? []).sorted()
        documentedProcedures = (documentation?.procedures ?? []).map { req in
            PackedCodeIndex(Dictionary(req.codes.map { ($0, true) }, uniquingKeysWith: { a, _ in a }))
        }
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
        var low = 0, high = keys.count
        while low < high {
            let mid = (low + high) / 2
            if keys[mid] < key { low = mid + 1 } else { high = mid }
        }
        return low < keys.count && keys[low] == key ? low : nil
    }
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

/// Facts about one claim that several rules read, derived once per claim by the engine:
/// each code-set and table lookup of the claim's codes, and the lines grouped by date.
/// Rules read them through `RuleContext.facts(of:)` and index the claim's own arrays, so
/// that no rule copies lines or rebuilds arrays of codes for a claim that passes.
final class ClaimFacts: Sendable {
    /// `diagnoses[i].code`, in claim order (nil where an entry is not code-shaped).
    let diagnosisCodes: [ICD10Code?]
    /// Index of each diagnosis's entry in the chosen release, -1 when it has none.
    let entryIndex: [Int32]
    /// `ICD10Code.packedKey` of each diagnosis's code (0 where not code-shaped).
    let diagnosisKeys: [UInt64]
    /// True when the chosen release is one of the library's (so a code it contains is
    /// known to some loaded release).
    let codeSetInLibrary: Bool
    /// One per service line.
    let lines: [LineFacts]
    /// Indices of the lines with a readable date, ordered by (date, index).
    let datedLines: [Int]
    /// Runs of `datedLines` that share a date, dates ascending.
    let dateRuns: [(date: ServiceDate, range: Range<Int>)]

    init(_ claim: Claim, codeSet: CodeSet, library: CodeSetLibrary, tables: KnowledgeTables) {
        let diagnoses = claim.diagnoses ?? []
        var codes: [ICD10Code?] = []
        var entries: [Int32] = []
        var keys: [UInt64] = []
        codes.reserveCapacity(diagnoses.count)
        entries.reserveCapacity(diagnoses.count)
        keys.reserveCapacity(diagnoses.count)
        for d in diagnoses {
            codes.append(d.code)
            let key = d.code?.packedKey ?? 0
            keys.append(key)
            entries.append(d.code.flatMap { codeSet.entryIndex(of: $0, packedKey: key) }.map(Int32.init) ?? -1)
        }
        diagnosisCodes = codes
        entryIndex = entries
        diagnosisKeys = keys
        codeSetInLibrary = library.releases.contains { $0 === codeSet }

        let serviceLines = claim.serviceLines ?? []
        var lines: [LineFacts] = []
        lines.reserveCapacity(serviceLines.count)
        var order: [Int] = []
        order.reserveCapacity(serviceLines.count)
        var inDateOrder = true
        for i in serviceLines.indices {
            let date = serviceLines[i].serviceDate?.date
            if let date {
                if let previous = order.last, date < lines[previous].date! { inDateOrder = false }
                order.append(i)
            }
            var line = LineFacts(
                date: date, kind: nil, packedCode: nil, mueValue: 0, mueAdjudication: nil,
                treatmentMinutes: serviceLines[i].treatmentMinutes)
            if let code = serviceLines[i].procedureCode {
                let packed = PTPTable.pack(code.value.utf8)
                line.packedCode = packed
                if let (kind, anySupports) = tables.procedureIndex.lookup(code, packed: packed, { ($0.kind, $0.supportedBy == nil) }) {
                    line.kind = kind
                    line.anyDiagnosisSupports = anySupports
                }
                if let (value, adjudication) = tables.mueIndex.lookup(code, packed: packed, { ($0.value, $0.adjudication) }) {
                    line.mueValue = value
                    line.mueAdjudication = adjudication
                }
            }
            lines.append(line)
        }
        // Lines usually come in date order; (date, index) order is then the order they came in.
        if !inDateOrder {
            order.sort { lines[$0].date! != lines[$1].date! ? lines[$0].date! < lines[$1].date! : $0 < $1 }
        }
        self.lines = lines
        var runs: [(date: ServiceDate, range: Range<Int>)] = []
        for k in order.indices {
            let date = lines[order[k]].date!
            if let last = runs.last, last.date == date {
                runs[runs.count - 1].range = last.range.lowerBound..<(k + 1)
            } else {
                runs.append((date, k..<(k + 1)))
            }
        }
        datedLines = order
        dateRuns = runs
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

    /// The line indices of one date run, ascending.
    func lines(of run: (date: ServiceDate, range: Range<Int>)) -> ArraySlice<Int> { datedLines[run.range] }
}

extension [UInt64] {
    /// Binary search of an ascending array.
    func containsSorted(_ key: UInt64) -> Bool {
        var low = 0, high = count
        while low < high {
            let mid = (low + high) / 2
            if self[mid] < key { low = mid + 1 } else { high = mid }
        }
        return low < count && self[low] == key
    }
}
