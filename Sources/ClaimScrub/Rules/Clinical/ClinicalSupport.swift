/// Helpers the clinical rules share: reading the claim the same way in every rule.
extension Claim {
    /// The diagnosis codes in claim order; nil where an entry is not code-shaped.
    var diagnosisCodes: [ICD10Code?] { (diagnoses ?? []).map(\.code) }

    /// The codes a line's pointers name, skipping pointers outside 1…count
    /// (those are `CLAIM_DX_POINTER`'s to report).
    func pointedCodes(_ line: ServiceLine) -> [ICD10Code] {
        let entries = diagnoses ?? []
        return (line.diagnosisPointers ?? []).compactMap { p in
            p >= 1 && p <= entries.count ? entries[p - 1].code : nil
        }
    }
}

extension RuleContext {
    /// `M54.9 (Dorsalgia, unspecified)`, or the bare code when the release lacks it.
    func describe(_ code: ICD10Code) -> String {
        if let d = codeSet.entryDescription(code) { return joinedText(code.dotted, " (", d, ")") }
        return code.dotted
    }
}

extension Array where Element == String {
    /// `a`, `a and b`, `a, b and c`.
    var spokenList: String { joinedList(self, separator: ", ", last: " and ") }
}

/// The modifiers NCCI accepts to bypass a PTP edit with indicator 1: 59, the X{EPSU}
/// subset, and the anatomic modifiers.
enum NCCIModifiers {
    /// `associated.contains(modifier)` without hashing a string: every associated modifier
    /// is two ASCII characters, so anything else is not one.
    static func isAssociated(_ modifier: String) -> Bool {
        let bytes = modifier.utf8
        guard bytes.count == 2 else { return false }
        let key = UInt16(bytes.first!) << 8 | UInt16(bytes.last!)
        return associatedKeys.contains(key)
    }

    private static let associatedKeys: Set<UInt16> = Set(associated.map { m in
        precondition(m.utf8.count == 2, "NCCI-associated modifiers are two characters")
        return UInt16(m.utf8.first!) << 8 | UInt16(m.utf8.last!)
    })

    static let associated: Set<String> = {
        var s: Set<String> = ["59", "XE", "XS", "XP", "XU", "E1", "E2", "E3", "E4", "FA", "TA",
                              "LT", "RT", "LC", "LD", "RC", "LM", "RI"]
        for i in 1...9 {
            s.insert("F\(i)")
            s.insert("T\(i)")
        }
        return s
    }()
}
