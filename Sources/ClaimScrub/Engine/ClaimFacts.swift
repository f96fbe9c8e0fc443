#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
    private let specificityTable: PackedKeyTable<UInt64>
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
    /// Every relation's symptom patterns of `sequencing`: DX_SYMPTOM_PRIMARY only reports a
    /// primary diagnosis that matches one.
    let symptomPatterns: [PackedDiagnosisPattern]
    /// The support lists of `procedures`, one after another (`LineTableFacts.support` holds
    /// each code's range): plain values, so that the facts pass matches a line's pointed
    /// diagnoses against its list without retaining anything.
    let supportPatterns: [PackedDiagnosisPattern]

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
        var supportPatterns: [PackedDiagnosisPattern] = []
        for (code, info) in procedures?.procedures ?? [:] {
            lineFacts[code, default: LineTableFacts()].kind = info.kind
            lineFacts[code, default: LineTableFacts()].anyDiagnosisSupports = info.supportedBy == nil
            if let list = info.supportedBy {
                let start = Int32(supportPatterns.count)
                supportPatterns.append(contentsOf: list.map(PackedDiagnosisPattern.init))
                lineFacts[code, default: LineTableFacts()].support = start..<Int32(supportPatterns.count)
            }
        }
        for (code, edit) in mue?.edits ?? [:] {
            lineFacts[code, default: LineTableFacts()].mueValue = edit.value
            lineFacts[code, default: LineTableFacts()].mueAdjudication = edit.adjudication
        }
        // A code of no procedure row or edit gets the values of "not found" besides its fields.
        for requirement in documentation?.procedures ?? [] {
            let fields = requirement.requires.reduce(0) { $0 | $1.bit }
            for code in requirement.codes { lineFacts[code, default: LineTableFacts()].documentationFields |= fields }
        }
        self.supportPatterns = supportPatterns
        lineIndex = PackedCodeIndex(lineFacts)
        specificityKeys = (specificity?.entries.keys.map(\.packedKey) ?? []).sorted()
        specificityTable = PackedKeyTable(specificityKeys)
        documentedProcedures = (documentation?.procedures ?? []).map { req in
            PackedCodeIndex(Dictionary(req.codes.map { ($0, true) }, uniquingKeysWith: { a, _ in a }))
        }
        func mask(_ fields: [DocumentationField]) -> UInt16 { fields.reduce(0) { $0 | $1.bit } }
        diagnosisDocumentationMasks = (documentation?.diagnoses ?? []).map { mask($0.requires) }
        procedureDocumentationMasks = (documentation?.procedures ?? []).map { mask($0.requires) }
        documentationFieldsRequired = (diagnosisDocumentationMasks + procedureDocumentationMasks).reduce(0, |)
        symptomPatterns = (sequencing?.relations.flatMap(\.symptoms) ?? []).map(PackedDiagnosisPattern.init)
    }

    /// Whether `key` is one of `specificityKeys` (the specificity table's unspecified codes), by hash.
    func isUnspecified(_ key: UInt64) -> Bool { specificityTable.position(of: key, in: specificityKeys) != nil }

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
    private let table: PackedKeyTable<UInt32>

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
        self.table = PackedKeyTable(keys)
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

    /// Calls `body` with the value for `code`, read in place, when there is one.
    @inline(__always)
    func withValue(_ code: ProcedureCode, packed: UInt32?, _ body: (borrowing Value) -> Void) {
        if let key = packed {
            guard let p = position(of: key) else { return }
            values.withUnsafeBufferPointer { body($0[p]) }
        } else if !unpacked.isEmpty, let value = unpacked[code] {
            body(value)
        }
    }

    private func position(of key: UInt32) -> Int? {
        table.position(of: key, in: keys)
    }
}

/// A procedure code's row of the procedure table and MUE edit, as `LineFacts` holds them.
struct LineTableFacts: Sendable {
    var kind: ProcedureInfo.Kind?
    var anyDiagnosisSupports = false
    var mueValue = 0
    var mueAdjudication: MUEEdit.Adjudication?
    /// The fields (`DocumentationField.bit`) that `documentation`'s procedure requirements
    /// listing the code require, together.
    var documentationFields: UInt16 = 0
    /// The code's support list (`ProcedureInfo.supportedBy`) as positions in
    /// `KnowledgeTables.supportPatterns` (empty when any diagnosis supports it).
    var support: Range<Int32> = 0..<0
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
    /// `LineTableFacts.support` of the line's code.
    var support: Range<Int32> = 0..<0
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
    fileprivate var many: [DateRun]
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
///
/// The engine reuses one instance per thread (`ClaimFacts.reusable`): refilling it keeps its
/// arrays' capacity, where a fresh instance cost three allocations and their frees per claim.
/// It is only refilled while nothing else references it, so a filled instance never changes
/// under a reader (hence `@unchecked Sendable`).
final class ClaimFacts: @unchecked Sendable {
    /// Per diagnosis, its code and entry (one array for both).
    private var diagnoses: [DiagnosisFacts] = []
    /// `diagnoses[i].code`, in claim order (nil where an entry is not code-shaped).
    var diagnosisCodes: DiagnosisCodes { DiagnosisCodes(diagnoses: diagnoses) }
    /// Index of each diagnosis's entry in the chosen release, -1 when it has none.
    var entryIndex: DiagnosisEntries { DiagnosisEntries(diagnoses: diagnoses) }
    /// True when the chosen release is one of the library's (so a code it contains is
    /// known to some loaded release).
    private(set) var codeSetInLibrary = false
    /// One per service line.
    private(set) var lines: [LineFacts] = []
    /// Indices of the lines with a readable date, ordered by (date, index).
    var datedLines: LineIndices { LineIndices(order: datedOrder, range: 0..<datedCount) }
    /// `datedLines` when it is not every line in order (else empty).
    private var datedOrder: [Int] = []
    private var datedCount = 0
    /// Runs of `datedLines` that share a date, dates ascending.
    private(set) var dateRuns = DateRuns(single: nil, many: [])

    /// The release the claim is checked against (`CodeSetLibrary.release(for:)` of the
    /// earliest date of service, unless the caller chose one) and whether it covers that date.
    private(set) var codeSet: CodeSet
    private(set) var codeSetCoversDates = true
    /// Per shipped rule, `BuiltinRule.bit` set when the rule may report something for this
    /// claim: a clear bit is a promise that its `check` returns no hit, so the engine skips it.
    /// Each is derived from the rule's own conditions, conservatively (`ScrubEngine.ruleBitBreaches`).
    private(set) var mayReport: UInt32 = 0
    /// `DocumentationField.missingMask(of:)` of the claim.
    private(set) var missingDocumentation: UInt16 = 0

    private init(placeholder codeSet: CodeSet) {
        self.codeSet = codeSet
    }

    /// `codeSet` nil: the release is chosen here, from the dates this pass reads anyway.
    convenience init(
        _ claim: borrowing Claim, codeSet chosen: (codeSet: CodeSet, covered: Bool)?, library: CodeSetLibrary,
        tables: KnowledgeTables, today: ServiceDate, profile: PayerProfile
    ) {
        self.init(placeholder: library.newest)
        fill(claim, codeSet: chosen, library: library, tables: tables, today: today, profile: profile)
    }

    /// This thread's instance, filled with `claim`'s facts; a new one when the last is still
    /// referenced (a context kept beyond its scrub), which then becomes this thread's.
    static func reusable(
        _ claim: borrowing Claim, library: CodeSetLibrary, tables: KnowledgeTables, today: ServiceDate,
        profile: PayerProfile
    ) -> ClaimFacts {
        let key = reusableKey
        var facts: ClaimFacts
        if let slot = pthread_getspecific(key) {
            // The slot's reference is taken over: unique unless a reader still holds it.
            facts = Unmanaged<ClaimFacts>.fromOpaque(slot).takeRetainedValue()
            if !isKnownUniquelyReferenced(&facts) { facts = ClaimFacts(placeholder: library.newest) }
        } else {
            facts = ClaimFacts(placeholder: library.newest)
        }
        pthread_setspecific(key, Unmanaged.passRetained(facts).toOpaque())
        facts.fill(claim, codeSet: nil, library: library, tables: tables, today: today, profile: profile)
        return facts
    }

    /// The per-thread slot of `reusable`; a thread's instance is released when the thread ends.
    private static let reusableKey: pthread_key_t = {
        var key = pthread_key_t()
        let created = pthread_key_create(&key) { slot in
            if let slot { Unmanaged<ClaimFacts>.fromOpaque(slot).release() }
        }
        precondition(created == 0, "pthread_key_create failed")
        return key
    }()

    private func fill(
        _ claim: borrowing Claim, codeSet chosen: (codeSet: CodeSet, covered: Bool)?, library: CodeSetLibrary,
        tables: KnowledgeTables, today: ServiceDate, profile: PayerProfile
    ) {
        var may: UInt32 = 0
        let diagnosisCount = claim.diagnoses?.count ?? 0
        let serviceLines = claim.serviceLines ?? []
        // The previous claim's arrays, emptied with their capacity kept (uniquely held: no copy).
        var lines = ScrubEngine.taken(&self.lines, [])
        // As many lines as the claim's, each overwritten through the buffer below.
        lines.truncate(to: serviceLines.count)
        while lines.count < serviceLines.count {
            lines.append(LineFacts(date: nil, kind: nil, packedCode: nil, mueValue: 0, mueAdjudication: nil, treatmentMinutes: nil))
        }
        // The dated lines so far are 0..<datedCount in order (no array) until one breaks that.
        var identity = true
        var order = ScrubEngine.taken(&self.datedOrder, [])
        if !order.isEmpty { order.removeAll(keepingCapacity: true) }
        var datedCount = 0
        var inDateOrder = true
        var lastDate: ServiceDate?
        var earliest: ServiceDate?
        // The oldest timely date, computed (two date conversions) for the first line that needs it.
        let filingLimit = profile.filingLimitDays
        var oldestTimely: ServiceDate?
        // DOC_MISSING: a procedure billed whose requirements name a missing field (the diagnoses' below).
        // The documentation copied out once (each optional chain into it copied the whole struct).
        let missing: UInt16, onsetDate: DateField?
        if let documentation = claim.documentation {
            missing = documentation.missingFields
            onsetDate = documentation.onsetDate
        } else {
            missing = DocumentationField.missingMask(of: nil)
            onsetDate = nil
        }
        missingDocumentation = missing
        // MOD_25: an E/M line without 25, and a line with a code that is not an E/M visit.
        var emWithout25 = false, nonEM = false
        // PAIR_DX_PROCEDURE: the lines (by bit) whose code has a support list.
        var pairingLines: UInt64 = 0
        // Fields read through the buffer: subscripting the array copied a line now and then.
        lines.withUnsafeMutableBufferPointer { out in serviceLines.withUnsafeBufferPointer { serviceLines in
        for i in serviceLines.indices {
            let date = serviceLines[i].serviceDate?.date
            if let date {
                if let lastDate, date < lastDate { inDateOrder = false }
                lastDate = date
                if earliest.map({ date < $0 }) ?? true { earliest = date }
                if identity && datedCount != i {
                    identity = false
                    order.append(contentsOf: 0..<datedCount)
                }
                if !identity { order.append(i) }
                datedCount += 1
            }
            var line = LineFacts(
                date: date, kind: nil, packedCode: nil, mueValue: 0, mueAdjudication: nil,
                treatmentMinutes: serviceLines[i].minutes
                    ?? (serviceLines[i].startTime == nil ? nil : serviceLines[i].treatmentMinutes))
            let units = serviceLines[i].units
            if let code = serviceLines[i].procedureCode {
                let packed = PTPTable.pack(code)
                line.packedCode = packed
                // The row read in place (returning it as an optional copied it).
                tables.lineIndex.withValue(code, packed: packed) { row in
                    line.kind = row.kind
                    line.anyDiagnosisSupports = row.anyDiagnosisSupports
                    line.support = row.support
                    line.mueValue = row.mueValue
                    line.mueAdjudication = row.mueAdjudication
                    if row.documentationFields & missing != 0 { may |= BuiltinRule.docMissing.bit }
                }
                if line.kind == .em {
                    if !Self.hasModifier25(serviceLines[i].modifiers) { emWithout25 = true }
                } else {
                    nonEM = true
                }
            } else {
                may |= BuiltinRule.claimRequiredField.bit
            }
            // CLAIM_REQUIRED_FIELD: a blank or missing date, no units or fewer than one.
            if (units ?? 0) <= 0 { may |= BuiltinRule.claimRequiredField.bit }
            switch serviceLines[i].serviceDate {
            case .none: may |= BuiltinRule.claimRequiredField.bit
            case .invalid(let text): may |= text.isBlank ? BuiltinRule.claimRequiredField.bit : BuiltinRule.claimDate.bit
            case .valid(let d): if d > today { may |= BuiltinRule.claimDate.bit }
            }
            // CLAIM_DATE: the end date as a field, before the start, or the last date past the filing limit.
            let end: ServiceDate?
            switch serviceLines[i].serviceDateEnd {
            case .none: end = nil
            case .invalid(let text):
                if !text.isBlank { may |= BuiltinRule.claimDate.bit }
                end = nil
            case .valid(let d):
                if d > today { may |= BuiltinRule.claimDate.bit }
                if let date, d < date { may |= BuiltinRule.claimDate.bit }
                end = d
            }
            // A date of today's year is timely under a limit of a year or more (today − 365 days is
            // at most January 1st); others are compared with the oldest timely date.
            if let filingLimit, let last = end ?? date, last <= today, filingLimit < 365 || last.year < today.year {
                let oldest = oldestTimely ?? today.adding(days: -filingLimit)
                oldestTimely = oldest
                if last < oldest { may |= BuiltinRule.claimDate.bit }
            }
            // CLAIM_DX_POINTER: none, more than four, out of range or repeated.
            if let pointers = serviceLines[i].diagnosisPointers, !pointers.isEmpty {
                if pointers.count > 4 { may |= BuiltinRule.claimDxPointer.bit }
                for j in pointers.indices {
                    let p = pointers[j]
                    if p < 1 || p > diagnosisCount || pointers[..<j].contains(p) { may |= BuiltinRule.claimDxPointer.bit }
                }
            } else {
                may |= BuiltinRule.claimDxPointer.bit
            }
            if let kind = line.kind {
                // PAIR_DX_PROCEDURE: a line whose code only some diagnoses support, judged once the
                // diagnoses are read (a line past the 64th is left to the rule).
                if !line.anyDiagnosisSupports {
                    if i < 64 { pairingLines |= 1 << UInt64(i) } else { may |= BuiltinRule.pairDxProcedure.bit }
                }
                if kind == .timedTherapy {
                    if line.treatmentMinutes == nil { may |= BuiltinRule.timedMinutesMissing.bit }
                    if profile.timedUnitMethod == .perCode { may |= BuiltinRule.timedUnits.bit }
                }
                // GP, GO or GN (`ModTherapyRule.disciplineModifiers`).
                if kind.isTherapy && !Self.hasDisciplineModifier(serviceLines[i].modifiers) {
                    may |= BuiltinRule.modTherapy.bit
                }
            }
            // NCCI_MUE: a line over its MUE (MAI 1); per date, all per-date lines' units together.
            // (Per date, MAI 2 and 3, the date runs below.)
            if let adjudication = line.mueAdjudication, !adjudication.perDate, let units, units > line.mueValue {
                may |= BuiltinRule.ncciMue.bit
            }
            out[i] = line
        }
        } }
        if emWithout25 && nonEM { may |= BuiltinRule.mod25.bit }
        if !profile.requiresTherapyModifier { may &= ~BuiltinRule.modTherapy.bit }

        let (codeSet, covered) = chosen ?? library.release(for: earliest)
        self.codeSet = codeSet
        codeSetCoversDates = covered
        if !covered { may |= BuiltinRule.dxCodeSetUnavailable.bit }
        // A release the library chose is one of its own.
        codeSetInLibrary = chosen == nil || library.releases.contains { $0 === codeSet }

        let diagnoses = claim.diagnoses ?? []
        var facts = ScrubEngine.taken(&self.diagnoses, [])
        facts.reserveCapacity(diagnoses.count)
        // DX_EXCLUDES1: per diagnosis the release holds, its lineage's Excludes1 bits and its own bit.
        var exclusionBits: (lineage: UInt64, own: UInt64, count: Int) = (0, 0, 0)
        var anyUncoded = false
        for d in diagnoses.indices {
            let code = diagnoses[d].code
            var entry: Int32 = -1
            if let code {
                let key = code.packedKey
                if let e = codeSet.entryIndex(of: code, packedKey: key) {
                    entry = Int32(e)
                    if !codeSet.isBillable(at: e) { may |= BuiltinRule.dxNotBillable.bit }
                    if d == 0 && codeSet.isManifestation(at: e) { may |= BuiltinRule.dxManifestationPrimary.bit }
                    let lineage = codeSet.excludes1Bits(at: e), own = codeSet.excludes1Bit(of: code, packedKey: key)
                    // A pair may meet when either code's bit is among the other's lineage bits.
                    if exclusionBits.count > 0 && (lineage & exclusionBits.own != 0 || own & exclusionBits.lineage != 0) {
                        // The filter lets the pair through: the rule's own search, with an earlier code of the release.
                        for x in 0..<d where facts[x].entry >= 0 && facts[x].code != code {
                            let other = facts[x].code!
                            if codeSet.firstExcludes1(alongLineageOf: Int(facts[x].entry), matching: code, packedKey: key) != nil
                                || codeSet.firstExcludes1(alongLineageOf: e, matching: other, packedKey: other.packedKey) != nil {
                                may |= BuiltinRule.dxExcludes1.bit
                            }
                        }
                    }
                    exclusionBits = (exclusionBits.lineage | lineage, exclusionBits.own | own, exclusionBits.count + 1)
                } else {
                    may |= BuiltinRule.dxNotValidForDOS.bit
                    may |= BuiltinRule.dxInvalid.bit
                }
                if tables.isUnspecified(key) { may |= BuiltinRule.dxUnspecified.bit }
                // CLAIM_DX_DUPLICATE: the same code twice.
                for e in 0..<d where facts[e].code == code { may |= BuiltinRule.claimDxDuplicate.bit }
            } else {
                anyUncoded = true
                may |= BuiltinRule.dxInvalid.bit
            }
            facts.put(DiagnosisFacts(code: code, entry: entry), at: d)
        }
        facts.truncate(to: diagnoses.count)
        self.diagnoses = facts
        if !codeSetInLibrary { may |= BuiltinRule.dxInvalid.bit }
        // An entry that is not a code compares by its text (the rule's to judge).
        if anyUncoded && diagnoses.count > 1 { may |= BuiltinRule.claimDxDuplicate.bit }
        if diagnoses.count > ClaimDxLimitRule.limit { may |= BuiltinRule.claimDxLimit.bit }
        // PAIR_DX_PROCEDURE, as the rule judges a line: it points at some coded diagnosis and none
        // of those it points at is on the code's support list.
        while pairingLines != 0 && may & BuiltinRule.pairDxProcedure.bit == 0 {
            let i = pairingLines.trailingZeroBitCount
            pairingLines &= pairingLines &- 1
            if Self.unsupported(serviceLines[i].diagnosisPointers, lines[i].support, facts, tables.supportPatterns) {
                may |= BuiltinRule.pairDxProcedure.bit
            }
        }
        if diagnoses.isEmpty { may |= BuiltinRule.claimRequiredField.bit }
        if !tables.hasLexicon { may &= ~BuiltinRule.dxUnspecified.bit }
        // DX_SYMPTOM_PRIMARY: a primary diagnosis that is one of the table's symptoms, and another code.
        if diagnoses.count > 1, let primary = facts[0].code, Self.anyMatches(tables.symptomPatterns, PackedDiagnosis(primary)) {
            may |= BuiltinRule.dxSymptomPrimary.bit
        }

        // CLAIM_REQUIRED_FIELD and CLAIM_NPI: the header fields.
        if claim.claimId?.isBlank ?? true { may |= BuiltinRule.claimRequiredField.bit }
        if serviceLines.isEmpty { may |= BuiltinRule.claimRequiredField.bit }
        let billingNPI = claim.billingProvider?.npi
        if billingNPI?.isBlank ?? true { may |= BuiltinRule.claimRequiredField.bit }
        if ClaimNPIRule.mayReport(billingNPI) || ClaimNPIRule.mayReport(claim.renderingProvider?.npi) { may |= BuiltinRule.claimNPI.bit }
        // CLAIM_DATE: the birth and onset dates.
        if Self.isReportable(claim.patient?.birthDate, today) || Self.isReportable(onsetDate, today) {
            may |= BuiltinRule.claimDate.bit
        }
        // DOC_MISSING: a requirement naming a missing field, of diagnoses when any is coded (the
        // rule matches their patterns); the procedures' were looked up with the lines.
        if tables.documentation != nil && missing & tables.documentationFieldsRequired != 0 && may & BuiltinRule.docMissing.bit == 0 {
            if facts.contains(where: { $0.code != nil }) && tables.diagnosisDocumentationMasks.contains(where: { $0 & missing != 0 }) {
                may |= BuiltinRule.docMissing.bit
            }
        }
        if !tables.hasProcedures {
            may &= ~(BuiltinRule.pairDxProcedure.bit | BuiltinRule.timedMinutesMissing.bit | BuiltinRule.timedUnits.bit
                | BuiltinRule.mod25.bit | BuiltinRule.modTherapy.bit)
        }
        if !tables.hasMUE { may &= ~BuiltinRule.ncciMue.bit }

        // Lines usually come in date order; (date, index) order is then the order they came in.
        if !inDateOrder {
            if identity { order.append(contentsOf: 0..<datedCount) }
            identity = false
            order.sort { lines[$0].date! != lines[$1].date! ? lines[$0].date! < lines[$1].date! : $0 < $1 }
        }
        self.lines = lines
        self.datedOrder = order
        self.datedCount = datedCount
        func line(_ k: Int) -> Int { identity ? k : order[k] }
        var single: DateRun?
        var runs = ScrubEngine.taken(&dateRuns.many, [])
        if !runs.isEmpty { runs.removeAll(keepingCapacity: true) }
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

        // Per date: NCCI_PTP when some ordered pair of codes passes the table's pair filter;
        // TIMED_UNITS (Medicare method) when the date's complete timed lines' units differ from their minutes.
        let ptp = tables.ptpTable
        let ptpLoaded = ptp.count > 0, ptpBit = BuiltinRule.ncciPtp.bit
        let medicareUnits = tables.hasProcedures && profile.timedUnitMethod == .medicare
        for run in dateRuns {
            // As the rule does: an incomplete timed line leaves the date unjudged.
            var anyTimed = false, incomplete = false, minutes = 0, billed = 0, overflow = false
            for a in run.range {
                let ai = line(a)
                if ptpLoaded, may & ptpBit == 0, let k1 = lines[ai].packedCode {
                    for b in run.range where b != a {
                        if let k2 = lines[line(b)].packedCode, k1 != k2, ptp.mayHaveEdit(k1, k2) { may |= ptpBit }
                    }
                }
                // NCCI_MUE per date: the units of the date's lines of this code, from this one on
                // (an unpacked code is left to the rule).
                if lines[ai].mueAdjudication?.perDate == true {
                    if let k1 = lines[ai].packedCode {
                        var units = 0
                        for b in a..<run.range.upperBound where lines[line(b)].packedCode == k1 {
                            let (sum, o) = units.addingReportingOverflow(max(0, serviceLines[line(b)].units ?? 0))
                            units = sum
                            overflow = overflow || o
                        }
                        if units > lines[ai].mueValue { may |= BuiltinRule.ncciMue.bit }
                    } else {
                        may |= BuiltinRule.ncciMue.bit
                    }
                }
                guard medicareUnits, !incomplete, lines[ai].kind == .timedTherapy else { continue }
                guard let m = lines[ai].treatmentMinutes, let u = serviceLines[ai].units, u > 0 else {
                    incomplete = true
                    continue
                }
                anyTimed = true
                let (m2, o1) = minutes.addingReportingOverflow(m), (b2, o2) = billed.addingReportingOverflow(u)
                minutes = m2
                billed = b2
                overflow = overflow || o1 || o2
            }
            if overflow { may |= BuiltinRule.ncciMue.bit | BuiltinRule.timedUnits.bit }
            if incomplete { continue }
            if (anyTimed && TimedUnitsRule.units(forMinutes: minutes) != billed) { may |= BuiltinRule.timedUnits.bit }
        }
        mayReport = may
    }

    /// A date CLAIM_DATE reports: unreadable and not blank, or after `today`. (A static function:
    /// a nested one that set `may` had its every call checked for exclusive access.)
    private static func isReportable(_ field: borrowing DateField?, _ today: ServiceDate) -> Bool {
        switch field {
        case .none: false
        case .invalid(let text): !text.isBlank
        case .valid(let d): d > today
        }
    }

    /// `hasModifier("25")`, and GP, GO or GN (`ModTherapyRule.disciplineModifiers`): compared
    /// with literals, which small strings do by their bits.
    /// Whether any of `patterns` matches `code`.
    private static func anyMatches(_ patterns: [PackedDiagnosisPattern], _ code: PackedDiagnosis) -> Bool {
        for k in patterns.indices where patterns[k].matches(code) { return true }
        return false
    }

    /// `PairDxProcedureRule`'s test of one line: some pointer in range names a coded diagnosis,
    /// and none of the coded diagnoses pointed at matches the support list `support`.
    private static func unsupported(
        _ pointers: [Int]?, _ support: Range<Int32>, _ diagnoses: [DiagnosisFacts], _ patterns: [PackedDiagnosisPattern]
    ) -> Bool {
        guard let pointers else { return false }
        var pointsAtCode = false
        for j in pointers.indices {
            let p = pointers[j]
            guard p >= 1 && p <= diagnoses.count, let code = diagnoses[p - 1].code else { continue }
            pointsAtCode = true
            let packed = PackedDiagnosis(code)
            for k in support where patterns[Int(k)].matches(packed) { return false }
        }
        return pointsAtCode
    }

    private static func hasModifier25(_ modifiers: [Modifier]) -> Bool {
        for m in modifiers.indices where modifiers[m].value == "25" { return true }
        return false
    }

    private static func hasDisciplineModifier(_ modifiers: [Modifier]) -> Bool {
        for m in modifiers.indices {
            let v = modifiers[m].value
            if v == "GP" || v == "GO" || v == "GN" { return true }
        }
        return false
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

extension Array {
    /// Element `i` set to `element`, or appended when `i` is `count`: refilling an array in
    /// place keeps its storage (and skips `removeAll(keepingCapacity:)`, a generic call).
    @inline(__always)
    mutating func put(_ element: Element, at i: Int) {
        if i < count { self[i] = element } else { append(element) }
    }

    /// The first `n` elements kept.
    @inline(__always)
    mutating func truncate(to n: Int) {
        if count > n { removeLast(count - n) }
    }
}

