/// One CLM of an 837P interchange as a `Claim` of the engine's model, with the X12
/// position of every field it was read from.
public struct X837Claim: Sendable, Equatable {
    public var claim: Claim
    /// ST02 of the transaction set holding the claim.
    public var transactionControlNumber: String
    /// Pointer → position; `""` is the CLM segment, so every pointer resolves.
    public var segmentMap: X12SegmentMap

    /// The segment a finding's path refers to: the exact pointer, else its longest
    /// registered prefix (`/serviceLines/0/diagnosisPointers/1` → that line's SV1 SV107).
    public func segmentReference(for pointer: String) -> X12SegmentRef? {
        segmentMap.lookup(pointer)
    }
}

/// Reads ASC X12 837P (005010X222A1) professional claims into `X837Claim`s.
///
/// Strict about structure (envelopes, the HL hierarchy, required segments and loop
/// starts: an `X12Error`), lenient about business data like the JSON decoder: an empty
/// CLM01 or an impossible date is kept for the rules to report.
public enum X837Reader {
    public static func read(_ bytes: [UInt8]) throws(X12Error) -> [X837Claim] {
        try read(X12Interchange.parse(bytes))
    }

    public static func read(_ interchange: X12Interchange) throws(X12Error) -> [X837Claim] {
        var claims: [X837Claim] = []
        for group in interchange.groups {
            for t in group.transactions {
                var parser = TransactionParser(
                    segments: interchange.segments, index: t.segmentRange.lowerBound + 1,
                    end: t.segmentRange.upperBound, component: interchange.delimiters.component,
                    controlNumber: t.controlNumber)
                claims += try parser.parse()
            }
        }
        return claims
    }

    /// SBR09 claim filing indicator → `payer.type`. Medicare Advantage (16) and the
    /// managed-care codes are private plans, so they count as commercial.
    public static func payerType(claimFilingIndicator code: String) -> PayerType? {
        switch code {
        case "": nil
        case "MA", "MB": .medicare
        case "MC": .medicaid
        case "CI", "BL", "HM", "12", "13", "14", "15", "16", "17": .commercial
        default: PayerType("other")
        }
    }
}

/// Walks one transaction set (after ST, up to SE) loop by loop.
struct TransactionParser {
    let segments: [X12Segment]
    var index: Int
    /// Index of SE.
    let end: Int
    let component: UInt8
    let controlNumber: String

    /// What the claims below an HL inherit from it and its ancestors.
    struct HierarchyContext {
        var billingNPI: String?
        var billingRef: X12SegmentRef?
        var payer = Payer()
        var payerRef: (sbr: X12SegmentRef, nm1: X12SegmentRef)?
        var patient: Patient?
        var patientRefs: (nm1: X12SegmentRef, dmg: X12SegmentRef?)?
    }

    /// The context of the HL being read; each HL starts from its parent's (HL02), which
    /// need not be the HL just before it.
    var ctx = HierarchyContext()

    init(segments: [X12Segment], index: Int, end: Int, component: UInt8, controlNumber: String) {
        self.segments = segments
        self.index = index
        self.end = end
        self.component = component
        self.controlNumber = controlNumber
    }

    var current: X12Segment { segments[index] }
    var atEnd: Bool { index >= end }

    /// Skips segments in `skipping`, then requires `id` (with NM101/HL03 `qualifier`) at the cursor.
    mutating func expect(_ id: String, _ qualifier: String? = nil, loop: String,
                         skipping: Set<String> = []) throws(X12Error) -> X12Segment {
        while !atEnd, skipping.contains(current.id) { index += 1 }
        let want = qualifier.map { "\(id)*\($0)" } ?? id
        guard !atEnd else {
            throw X12Error(.segment, position: segments[end].position, segment: "SE",
                           "expected \(want) in loop \(loop), found SE")
        }
        let s = current
        guard s.id == id, qualifier == nil || (id == "HL" ? s[3] : s[1]) == qualifier else {
            throw X12Error(.segment, position: s.position, segment: s.id, "expected \(want) in loop \(loop), found \(s.label)")
        }
        index += 1
        return s
    }

    mutating func skip(_ ids: Set<String>) {
        while !atEnd, ids.contains(current.id) { index += 1 }
    }

    mutating func parse() throws(X12Error) -> [X837Claim] {
        _ = try expect("BHT", loop: "header (after ST)")
        _ = try expect("NM1", "41", loop: "1000A (submitter)")
        _ = try expect("NM1", "40", loop: "1000B (receiver)", skipping: ["PER"])

        var claims: [X837Claim] = []
        var levels: [String: String] = [:]
        var contexts: [String: HierarchyContext] = [:]
        var nextId = 1
        if atEnd { _ = try expect("HL", "20", loop: "2000A (billing provider)") }
        while !atEnd {
            let hl = try expect("HL", loop: "2000A/B/C (hierarchy)")
            guard hl[1] == String(nextId) else {
                throw X12Error(.hierarchy, position: hl.position, segment: "HL",
                               "HL01 must be \(nextId) (hierarchical ids count up from 1), found \(X12Error.shown(hl[1]))")
            }
            nextId += 1
            let parentLevel = levels[hl[2]]
            func parentMustBe(_ level: String, _ name: String) throws(X12Error) {
                guard parentLevel == level else {
                    let found = hl[2].isEmpty ? "no parent" : parentLevel.map { "HL \(X12Error.shown(hl[2])) of level \($0)" }
                        ?? "\(X12Error.shown(hl[2])), which is not an earlier HL"
                    throw X12Error(.hierarchy, position: hl.position, segment: "HL",
                                   "HL02 of HL \(X12Error.shown(hl[1])) (level \(X12Error.shown(hl[3]))) must name a \(name) HL (level \(level)), found \(found)")
                }
            }
            switch hl[3] {
            case "20":
                guard hl[2].isEmpty else {
                    throw X12Error(.hierarchy, position: hl.position, segment: "HL",
                                   "HL02 of a billing provider HL (level 20) must be empty, found \(X12Error.shown(hl[2]))")
                }
                ctx = HierarchyContext()
                try readBillingProvider()
            case "22":
                try parentMustBe("20", "billing provider")
                ctx = contexts[hl[2]]!
                try readSubscriber()
                if hl[4] == "0" || (!atEnd && current.id == "CLM") {
                    claims += try readClaims(under: hl)
                }
            case "23":
                try parentMustBe("22", "subscriber")
                ctx = contexts[hl[2]]!
                try readPatient()
                claims += try readClaims(under: hl)
            default:
                throw X12Error(.hierarchy, position: hl.position, segment: "HL",
                               "HL03 must be 20 (billing provider), 22 (subscriber) or 23 (patient), found \(X12Error.shown(hl[3]))")
            }
            levels[hl[1]] = hl[3]
            contexts[hl[1]] = ctx
        }
        return claims
    }

    // MARK: - 2000A / 2000B / 2000C

    mutating func readBillingProvider() throws(X12Error) {
        let nm1 = try expect("NM1", "85", loop: "2010AA (billing provider)", skipping: ["PRV", "CUR"])
        ctx.billingNPI = nm1[8] == "XX" ? nonEmpty(nm1[9]) : nil
        ctx.billingRef = X12SegmentRef(segment: "NM1", position: nm1.position, element: "NM109")
        // 2010AA address and ids, 2010AB pay-to address, 2010AC pay-to plan.
        skip(["N3", "N4", "REF", "PER", "NM1"])
        if !atEnd, current.id != "HL" {
            throw X12Error(.segment, position: current.position, segment: current.id,
                           "expected HL*22 (subscriber) after the billing provider loops, found \(current.label)")
        }
    }

    mutating func readSubscriber() throws(X12Error) {
        let sbr = try expect("SBR", loop: "2000B (subscriber)")
        ctx.payer = Payer(type: X837Reader.payerType(claimFilingIndicator: sbr[9]))
        let il = try expect("NM1", "IL", loop: "2010BA (subscriber)", skipping: ["PAT"])
        let dmg = readDemographics()
        // The subscriber is the patient unless a 2000C patient HL follows.
        ctx.patient = dmg.patient
        ctx.patientRefs = (X12SegmentRef(segment: "NM1", position: il.position), dmg.ref)
        let pr = try expect("NM1", "PR", loop: "2010BB (payer)", skipping: ["N3", "N4", "DMG", "REF", "PER"])
        ctx.payer.id = nonEmpty(pr[9])
        ctx.payerRef = (X12SegmentRef(segment: "SBR", position: sbr.position, element: "SBR09"),
                    X12SegmentRef(segment: "NM1", position: pr.position, element: "NM109"))
        skip(["N3", "N4", "REF"])
        if !atEnd, current.id != "HL", current.id != "CLM" {
            throw X12Error(.segment, position: current.position, segment: current.id,
                           "expected CLM or HL after loop 2010BB (payer), found \(current.label)")
        }
    }

    mutating func readPatient() throws(X12Error) {
        _ = try expect("PAT", loop: "2000C (patient)")
        let qc = try expect("NM1", "QC", loop: "2010CA (patient)")
        let dmg = readDemographics()
        ctx.patient = dmg.patient
        ctx.patientRefs = (X12SegmentRef(segment: "NM1", position: qc.position), dmg.ref)
    }

    /// N3/N4/DMG/REF/PER of a person loop; DMG gives birth date and sex (never echoed).
    mutating func readDemographics() -> (patient: Patient?, ref: X12SegmentRef?) {
        var found: (Patient?, X12SegmentRef?) = (nil, nil)
        while !atEnd, ["N3", "N4", "DMG", "REF", "PER"].contains(current.id) {
            let s = current
            if s.id == "DMG" {
                found = (Patient(birthDate: s[2].isEmpty ? nil : dateField(s[2]), sex: nonEmpty(s[3])),
                         X12SegmentRef(segment: "DMG", position: s.position))
            }
            index += 1
        }
        return found
    }

    // MARK: - 2300 / 2400

    mutating func readClaims(under hl: X12Segment) throws(X12Error) -> [X837Claim] {
        var claims: [X837Claim] = []
        while !atEnd, current.id == "CLM" {
            claims.append(try readClaim())
        }
        if claims.isEmpty {
            let s = atEnd ? segments[end] : current
            throw X12Error(.segment, position: s.position, segment: s.id,
                           "expected CLM (loop 2300) under HL \(X12Error.shown(hl[1])), found \(s.label)")
        }
        return claims
    }

    enum ClaimLoop { case claim, claimProvider, otherSubscriber, line }

    static let claimSegments: Set<String> = ["DTP", "PWK", "CN1", "AMT", "REF", "K3", "NTE", "CR1", "CR2", "CRC", "HI", "HCP"]
    static let providerSegments: Set<String> = ["NM1", "N3", "N4", "PRV", "REF", "PER"]
    static let otherSubscriberSegments: Set<String> = ["SBR", "CAS", "AMT", "OI", "MOA", "NM1", "N3", "N4", "REF", "DTP", "PER"]
    static let lineSegments: Set<String> = [
        "SV5", "PWK", "CR1", "CR3", "CRC", "DTP", "QTY", "MEA", "CN1", "REF", "AMT", "K3", "NTE", "PS1", "HCP",
        "LIN", "CTP", "NM1", "PRV", "N3", "N4", "PER", "SVD", "CAS", "LQ", "FRM",
    ]

    mutating func readClaim() throws(X12Error) -> X837Claim {
        let clm = current
        index += 1
        var map = X12SegmentMap()
        func ref(_ s: X12Segment, _ element: String? = nil) -> X12SegmentRef {
            X12SegmentRef(segment: s.id, position: s.position, element: element)
        }
        map[""] = ref(clm)
        map["/claimId"] = ref(clm, "CLM01")
        map["/placeOfService"] = ref(clm, "CLM05-1")

        var claim = Claim(claimId: nonEmpty(clm[1]), payer: ctx.payer, patient: ctx.patient)
        claim.origin = .x12
        let pos = clm.components(5, component).first.map(String.init) ?? ""
        claim.placeOfService = nonEmpty(pos)
        if let payerRef = ctx.payerRef {
            map["/payer"] = X12SegmentRef(segment: "SBR", position: payerRef.sbr.position)
            map["/payer/type"] = payerRef.sbr
            map["/payer/id"] = payerRef.nm1
        }
        if let patientRefs = ctx.patientRefs {
            map["/patient"] = patientRefs.nm1
            if let dmg = patientRefs.dmg {
                map["/patient/birthDate"] = X12SegmentRef(segment: "DMG", position: dmg.position, element: "DMG02")
                map["/patient/sex"] = X12SegmentRef(segment: "DMG", position: dmg.position, element: "DMG03")
            }
        }
        if let billingRef = ctx.billingRef {
            claim.billingProvider = Provider(npi: ctx.billingNPI)
            map["/billingProvider"] = X12SegmentRef(segment: "NM1", position: billingRef.position)
            map["/billingProvider/npi"] = billingRef
        }

        var loop = ClaimLoop.claim
        var diagnoses: [DiagnosisEntry] = []
        var principalSeen = false
        var hiSegment: X12Segment?
        var notes: String?
        var onset: DateField?
        var rendering: (npi: String?, ref: X12SegmentRef)?
        var lineRendering: (npi: String?, ref: X12SegmentRef)?
        var lines: [ServiceLine] = []
        var firstLX: X12SegmentRef?
        var lineHasDate: [X12Segment] = []  // the SV1 of each line still without DTP*472

        while !atEnd, current.id != "CLM", current.id != "HL" {
            let s = current
            if s.id == "LX" {
                firstLX = firstLX ?? ref(s)
                index += 1
                let sv1 = try expect("SV1", loop: "2400 (service line)")
                let n = lines.count
                lines.append(try readSV1(sv1, line: n, into: &map))
                lineHasDate.append(sv1)
                loop = .line
                continue
            }
            switch loop {
            case .claim:
                switch s.id {
                case "HI":
                    if try readHI(s, into: &diagnoses, principalSeen: &principalSeen, map: &map) {
                        hiSegment = hiSegment ?? s
                    }
                case "NTE" where s[1] == "ADD":
                    notes = notes.map { $0 + " " + s[2] } ?? s[2]
                    map["/documentation/notes"] = ref(s, "NTE02")
                case "DTP" where s[1] == "431":
                    onset = try dateRange(s).start
                    map["/documentation/onsetDate"] = ref(s, "DTP03")
                case "NM1":
                    loop = .claimProvider
                    if s[1] == "82" {
                        rendering = (s[8] == "XX" ? nonEmpty(s[9]) : nil, ref(s, "NM109"))
                    }
                case "SBR":
                    loop = .otherSubscriber
                default:
                    guard Self.claimSegments.contains(s.id) else { throw unexpected(s, "2300 (claim)") }
                }
            case .claimProvider:
                if s.id == "SBR" {
                    loop = .otherSubscriber
                } else if s.id == "NM1" {
                    if s[1] == "82" { rendering = (s[8] == "XX" ? nonEmpty(s[9]) : nil, ref(s, "NM109")) }
                } else if !Self.providerSegments.contains(s.id) {
                    throw unexpected(s, "2310 (claim providers)")
                }
            case .otherSubscriber:
                guard Self.otherSubscriberSegments.contains(s.id) else { throw unexpected(s, "2320/2330 (other subscriber)") }
            case .line:
                let n = lines.count - 1
                switch s.id {
                case "DTP" where s[1] == "472":
                    let (start, endDate) = try dateRange(s)
                    lines[n].serviceDate = start
                    lines[n].serviceDateEnd = endDate
                    map["/serviceLines/\(n)/serviceDate"] = ref(s, "DTP03")
                    if endDate != nil { map["/serviceLines/\(n)/serviceDateEnd"] = ref(s, "DTP03") }
                    lineHasDate[n] = s
                case "NM1" where s[1] == "82":
                    if lineRendering == nil { lineRendering = (s[8] == "XX" ? nonEmpty(s[9]) : nil, ref(s, "NM109")) }
                default:
                    guard Self.lineSegments.contains(s.id) else { throw unexpected(s, "2400 (service line \(n + 1))") }
                }
            }
            index += 1
        }

        guard principalSeen, let hiSegment else {
            throw X12Error(.segment, position: clm.position, segment: "CLM",
                           "expected HI with ABK (principal ICD-10-CM diagnosis) in loop 2300 of this claim")
        }
        guard !lines.isEmpty else {
            throw X12Error(.segment, position: clm.position, segment: "CLM",
                           "expected LX/SV1 (loop 2400) in this claim: it has no service line")
        }
        for s in lineHasDate where s.id == "SV1" {
            throw X12Error(.segment, position: s.position, segment: "SV1",
                           "expected DTP*472 (service date) in loop 2400 of this line")
        }
        claim.diagnoses = diagnoses
        map["/diagnoses"] = ref(hiSegment)
        claim.serviceLines = lines
        if let firstLX { map["/serviceLines"] = firstLX }
        if let r = rendering ?? lineRendering {
            claim.renderingProvider = Provider(npi: r.npi)
            map["/renderingProvider"] = X12SegmentRef(segment: "NM1", position: r.ref.position)
            map["/renderingProvider/npi"] = r.ref
        }
        if notes != nil || onset != nil {
            claim.documentation = Documentation(onsetDate: onset, notes: notes)
        }
        return X837Claim(claim: claim, transactionControlNumber: controlNumber, segmentMap: map)
    }

    func unexpected(_ s: X12Segment, _ loop: String) -> X12Error {
        X12Error(.segment, position: s.position, segment: s.id, "unexpected \(s.label) in loop \(loop)")
    }

    /// HI: ABK principal first, then ABF in order. Other qualifiers (condition codes,
    /// anesthesia …) are not diagnoses of the claim. Returns whether it held one.
    mutating func readHI(_ s: X12Segment, into dx: inout [DiagnosisEntry], principalSeen: inout Bool,
                         map: inout X12SegmentMap) throws(X12Error) -> Bool {
        var any = false
        for k in 1..<max(1, s.elements.count) {
            let c = s.components(k, component)
            guard c.count >= 2 else { continue }
            let element = "HI" + (k < 10 ? "0" : "") + String(k)
            switch c[0] {
            case "ABK":
                guard !principalSeen, k == 1 else {
                    throw X12Error(.element, position: s.position, segment: "HI",
                                   "\(element): ABK (principal diagnosis) must come once, as HI01 of the first diagnosis HI")
                }
                principalSeen = true
            case "ABF":
                guard principalSeen else {
                    throw X12Error(.element, position: s.position, segment: "HI",
                                   "\(element): ABF (other diagnosis) before the ABK principal diagnosis")
                }
            default: continue
            }
            map["/diagnoses/\(dx.count)"] = X12SegmentRef(segment: "HI", position: s.position, element: element)
            dx.append(DiagnosisEntry(raw: String(c[1])))
            any = true
        }
        return any
    }

    /// SV1: HC:code:mod…, charge, UN, units, -, -, pointers.
    func readSV1(_ s: X12Segment, line n: Int, into map: inout X12SegmentMap) throws(X12Error) -> ServiceLine {
        let p = "/serviceLines/\(n)"
        func ref(_ element: String?) -> X12SegmentRef { X12SegmentRef(segment: "SV1", position: s.position, element: element) }
        var line = ServiceLine()
        let proc = s.components(1, component)
        line.procedureCode = proc.count > 1 ? ProcedureCode(proc[1]) : nil
        line.modifiers = proc.dropFirst(2).prefix(4).filter { !$0.isEmpty }.map { Modifier($0) }
        map[p] = ref(nil)
        map[p + "/procedureCode"] = ref("SV101-2")
        map[p + "/modifiers"] = ref("SV101")
        for m in line.modifiers.indices { map[p + "/modifiers/\(m)"] = ref("SV101-\(m + 3)") }

        if !s[2].isEmpty {
            guard let charge = Double(s[2]) else {
                throw X12Error(.element, position: s.position, segment: "SV1", "SV102 (charge amount) must be a decimal number")
            }
            line.chargeAmount = charge
        }
        map[p + "/chargeAmount"] = ref("SV102")

        if !s[3].isEmpty, s[3] != "UN" {
            throw X12Error(.element, position: s.position, segment: "SV1",
                           "SV103 must be UN (units), found \(X12Error.shown(s[3])): lines measured in minutes (anesthesia) are not supported")
        }
        if !s[4].isEmpty {
            if let u = Int(s[4]) {
                line.units = u
            } else if let d = Double(s[4]), d == d.rounded(), abs(d) < 1e9 {
                line.units = Int(d)
            } else {
                throw X12Error(.element, position: s.position, segment: "SV1", "SV104 (units) must be a whole number")
            }
        }
        map[p + "/units"] = ref("SV104")

        let pointers = s.components(7, component).filter { !$0.isEmpty }
        if !pointers.isEmpty {
            var out: [Int] = []
            for (j, text) in pointers.enumerated() {
                guard let v = Int(text) else {
                    throw X12Error(.element, position: s.position, segment: "SV1",
                                   "SV107-\(j + 1) (diagnosis pointer) must be a number from 1 to 12")
                }
                out.append(v)
                map[p + "/diagnosisPointers/\(j)"] = ref("SV107-\(j + 1)")
            }
            line.diagnosisPointers = out
        }
        map[p + "/diagnosisPointers"] = ref("SV107")
        return line
    }

    /// DTP02 D8 (CCYYMMDD) or RD8 (CCYYMMDD-CCYYMMDD). Impossible dates are kept for the rules.
    func dateRange(_ s: X12Segment) throws(X12Error) -> (start: DateField, end: DateField?) {
        switch s[2] {
        case "D8":
            return (dateField(s[3]), nil)
        case "RD8":
            let parts = s[3].split(separator: "-", omittingEmptySubsequences: false)
            guard parts.count == 2 else {
                throw X12Error(.element, position: s.position, segment: "DTP", "DTP03 must be CCYYMMDD-CCYYMMDD when DTP02 is RD8")
            }
            return (dateField(parts[0]), dateField(parts[1]))
        default:
            throw X12Error(.element, position: s.position, segment: "DTP", "DTP02 must be D8 or RD8 for DTP*\(X12Error.shown(s[1]))")
        }
    }

    func dateField(_ ccyymmdd: some StringProtocol) -> DateField {
        let b = Array(ccyymmdd.utf8)
        guard b.count == 8, b.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return .invalid(String(ccyymmdd)) }
        let s = String(ccyymmdd)
        let iso = "\(s.prefix(4))-\(s.dropFirst(4).prefix(2))-\(s.suffix(2))"
        return DateField(iso)
    }

    func nonEmpty(_ s: String) -> String? { s.isEmpty ? nil : s }
}
