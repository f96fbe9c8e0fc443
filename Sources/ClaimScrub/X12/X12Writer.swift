/// Writes `Claim`s as a valid 837P (005010X222A1) interchange: for benchmarks, tests
/// and demos. One ST; one billing provider HL per run of claims with the same billing
/// NPI; one subscriber HL per claim, the subscriber being the patient.
///
/// The claim model holds no names, addresses or member ids, so those are placeholders;
/// treatment minutes and start/end times have no 837P element and are not written.
/// Text is stripped of the delimiters so it cannot break the segment structure.
public enum X12Writer {
    public static func interchange(
        claims: [Claim], controlNumber: Int = 1, created: ServiceDate = ServiceDate(year: 2026, month: 3, day: 3)!,
        sender: String = "CLAIMSCRUB", receiver: String = "PAYER"
    ) -> [UInt8] {
        var out = Segments()
        let icn = pad(String(controlNumber), 9, "0")
        let ymd = digits(created)
        out.raw("ISA*00*          *00*          *ZZ*\(pad(sender, 15, " ", right: true))*ZZ*\(pad(receiver, 15, " ", right: true))*\(ymd.dropFirst(2))*1015*^*00501*\(icn)*0*T*:")
        out.add("GS", "HC", sender, receiver, ymd, "1015", String(controlNumber), "X", X12Interchange.version)
        let stStart = out.count
        out.add("ST", "837", "0001", X12Interchange.version)
        out.add("BHT", "0019", "00", "BATCH\(controlNumber)", ymd, "1015", "CH")
        out.add("NM1", "41", "2", "CLAIMSCRUB SUBMITTER", "", "", "", "", "46", sender)
        out.add("PER", "IC", "BILLING OFFICE", "TE", "2175550100")
        out.add("NM1", "40", "2", "PAYER", "", "", "", "", "46", receiver)

        var hl = 0
        var providerHL = 0
        var lastNPI: String?? = .none
        for (n, claim) in claims.enumerated() {
            let npi = claim.billingProvider?.npi
            if lastNPI == .none || lastNPI! != npi {
                hl += 1
                providerHL = hl
                lastNPI = .some(npi)
                out.add("HL", String(hl), "", "20", "1")
                out.add("NM1", "85", "2", "BILLING PROVIDER", "", "", "", "", npi == nil ? "" : "XX", npi ?? "")
                out.add("N3", "100 MAIN STREET")
                out.add("N4", "SPRINGFIELD", "IL", "627010100")
                out.add("REF", "EI", "371234567")
            }
            hl += 1
            out.add("HL", String(hl), String(providerHL), "22", "0")
            out.add("SBR", "P", "18", "", "", "", "", "", "", filingIndicator(claim.payer?.type))
            out.add("NM1", "IL", "1", "PATIENT", "CLAIM\(n + 1)", "", "", "", "MI", "MEMBER\(n + 1)")
            out.add("N3", "1 ELM STREET")
            out.add("N4", "SPRINGFIELD", "IL", "62702")
            if let p = claim.patient {
                out.add("DMG", "D8", p.birthDate.map(digits) ?? "", text(p.sex ?? ""))
            }
            out.add("NM1", "PR", "2", "PAYER", "", "", "", "", "PI", text(claim.payer?.id ?? "UNKNOWN"))

            let lines = claim.serviceLines ?? []
            let total = lines.reduce(0.0) { $0 + ($1.chargeAmount ?? 0) }
            out.add("CLM", text(claim.claimId ?? ""), amount(total), "", "", "\(text(claim.placeOfService ?? "")):B:1", "Y", "A", "Y", "Y")
            if let onset = claim.documentation?.onsetDate { out.add("DTP", "431", "D8", digits(onset)) }
            if let notes = claim.documentation?.notes { out.add("NTE", "ADD", text(notes)) }
            let dx = (claim.diagnoses ?? []).enumerated().map { k, d in
                (k == 0 ? "ABK:" : "ABF:") + text(d.raw).filter { $0 != "." }
            }
            if !dx.isEmpty { out.add(["HI"] + dx) }
            if let r = claim.renderingProvider {
                out.add("NM1", "82", "1", "RENDERING", "PROVIDER", "", "", "", r.npi == nil ? "" : "XX", r.npi ?? "")
            }
            for (k, line) in lines.enumerated() {
                out.add("LX", String(k + 1))
                let proc = (["HC", line.procedureCode?.value ?? ""] + line.modifiers.prefix(4).map(\.value)).map(text)
                let pointers = (line.diagnosisPointers ?? []).map(String.init).joined(separator: ":")
                out.add("SV1", proc.joined(separator: ":"), amount(line.chargeAmount ?? 0), "UN",
                        line.units.map(String.init) ?? "", "", "", pointers)
                if let start = line.serviceDate {
                    if let end = line.serviceDateEnd {
                        out.add("DTP", "472", "RD8", digits(start) + "-" + digits(end))
                    } else {
                        out.add("DTP", "472", "D8", digits(start))
                    }
                }
            }
        }
        out.add("SE", String(out.count - stStart + 1), "0001")
        out.add("GE", "1", String(controlNumber))
        out.add("IEA", "1", icn)
        return out.bytes
    }

    /// `payer.type` → SBR09 (the inverse of `X837Reader.payerType`; `other` is ZZ).
    public static func filingIndicator(_ type: PayerType?) -> String {
        switch type {
        case nil: ""
        case .medicare: "MB"
        case .medicaid: "MC"
        case .commercial: "CI"
        case .other: "ZZ"
        }
    }

    struct Segments {
        var bytes: [UInt8] = []
        var count = 0
        mutating func raw(_ s: String) {
            bytes += s.utf8
            bytes += "~\n".utf8
            count += 1
        }
        mutating func add(_ elements: String...) { add(elements) }
        mutating func add(_ elements: [String]) {
            var e = elements
            while e.count > 1, e.last!.isEmpty { e.removeLast() }
            raw(e.joined(separator: "*"))
        }
    }

    /// Text without the delimiters `* : ^ ~` and line breaks.
    static func text(_ s: String) -> String {
        String(s.map { "*:^~\r\n".contains($0) ? " " : $0 })
    }

    static func amount(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : String(v)
    }

    static func digits(_ d: ServiceDate) -> String { d.description.filter { $0 != "-" } }

    static func digits(_ f: DateField) -> String {
        switch f {
        case .valid(let d): digits(d)
        case .invalid(let raw): text(raw).filter { $0 != "-" }
        }
    }

    static func pad(_ s: String, _ width: Int, _ fill: Character, right: Bool = false) -> String {
        let s = String(s.prefix(width))
        let padding = String(repeating: fill, count: width - s.count)
        return right ? s + padding : padding + s
    }
}

/// Generated interchanges for benchmarks: `X12Fixtures.interchange(claims: 100)`.
public enum X12Fixtures {
    /// A valid 837P interchange of `claims` claims, cycling through four templates
    /// (clean therapy, header code, MRI with range dates, office visit + therapy).
    public static func interchange(claims count: Int) -> [UInt8] {
        X12Writer.interchange(claims: (0..<count).map { template($0) })
    }

    public static func template(_ n: Int) -> Claim {
        let id = "CLM-BENCH-" + X12Writer.pad(String(n + 1), 6, "0")
        var claim = Claim(
            claimId: id, payer: Payer(id: "MEDICARE-JL", type: .medicare),
            patient: Patient(birthDate: DateField("1961-04-12"), sex: "F"),
            billingProvider: Provider(npi: "1234567893"), renderingProvider: Provider(npi: "1245319599"),
            placeOfService: "11")
        func line(_ code: String, _ mods: [String], units: Int, charge: Double, date: String, end: String? = nil, pointers: [Int]) -> ServiceLine {
            ServiceLine(procedureCode: ProcedureCode(code), modifiers: mods.map { Modifier($0) }, units: units,
                        chargeAmount: charge, serviceDate: DateField(date), serviceDateEnd: end.map { DateField($0) },
                        diagnosisPointers: pointers)
        }
        switch n % 4 {
        case 0:
            claim.diagnoses = [DiagnosisEntry(raw: "M54.6")]
            claim.serviceLines = [line("97110", ["GP"], units: 2, charge: 120, date: "2026-03-02", pointers: [1])]
            claim.documentation = Documentation(onsetDate: DateField("2026-02-10"), notes: "Pain between the shoulder blades for 3 weeks.")
        case 1:
            claim.payer = Payer(id: "ACME01", type: .commercial)
            claim.diagnoses = [DiagnosisEntry(raw: "M54.5"), DiagnosisEntry(raw: "M51.26")]
            claim.serviceLines = [
                line("97140", ["GP", "59"], units: 1, charge: 90, date: "2026-03-03", pointers: [1, 2]),
                line("97110", ["GP"], units: 3, charge: 180, date: "2026-03-03", pointers: [2]),
            ]
        case 2:
            claim.diagnoses = [DiagnosisEntry(raw: "M54.50"), DiagnosisEntry(raw: "M54.6")]
            claim.serviceLines = [line("72146", [], units: 1, charge: 850, date: "2026-03-04", end: "2026-03-05", pointers: [1])]
        default:
            claim.payer = Payer(id: "STATE-MEDICAID", type: .medicaid)
            claim.diagnoses = [DiagnosisEntry(raw: "M54.2"), DiagnosisEntry(raw: "M54.6"), DiagnosisEntry(raw: "R52")]
            claim.serviceLines = [
                line("99213", [], units: 1, charge: 110, date: "2026-03-05", pointers: [1, 2, 3]),
                line("97110", ["GP"], units: 2, charge: 120, date: "2026-03-05", pointers: [2]),
            ]
        }
        return claim
    }
}
