/// `CLAIM_NPI`: an NPI is 10 digits whose last digit is the Luhn check digit computed
/// over the number prefixed with 80840 (the NPI's ISO 7812 issuer prefix).
public struct ClaimNPIRule: Rule {
    public var id: String { "CLAIM_NPI" }
    public var category: RuleCategory { .structure }
    public init() {}

    public func check(_ claim: Claim, _ context: RuleContext) -> [RuleHit] {
        var hits: [RuleHit] = []
        check(claim.billingProvider?.npi, path: "/billingProvider/npi", who: "billing provider", into: &hits)
        check(claim.renderingProvider?.npi, path: "/renderingProvider/npi", who: "rendering provider", into: &hits)
        return hits
    }

    private func check(_ npi: String?, path: String, who: String, into hits: inout [RuleHit]) {
        // Missing or empty is CLAIM_REQUIRED_FIELD's (billing) or allowed (rendering).
        guard let npi, !npi.isBlank else { return }
        switch Self.trimmedCheck(npi) {
        case nil:
            hits.append(RuleHit(path: path, message: "The \(who)'s NPI is not 10 digits.",
                                suggestion: "Report the provider's 10-digit NPI from NPPES."))
        case false:
            hits.append(RuleHit(path: path, message: "The \(who)'s NPI fails the check-digit test; it is mistyped.",
                                suggestion: "Re-enter the NPI from NPPES."))
        case true:
            break
        }
    }

    /// Whether `check` reports `npi` (present, not blank, and not a valid NPI): `ClaimFacts`' bit.
    static func mayReport(_ npi: String?) -> Bool {
        guard let npi else { return false }
        // Ten digits, as a valid NPI is: nothing to trim, read in place.
        let tenDigits: Bool?? = npi.utf8.withContiguousStorageIfAvailable { $0.count == 10 ? checkDigitPasses($0) : nil }
        if case .some(.some(let passes)) = tenDigits { return !passes }
        guard !npi.isBlank else { return false }
        return trimmedCheck(npi) != true
    }

    /// `checkDigitPasses` of a non-blank `npi` without its surrounding spaces and tabs.
    private static func trimmedCheck(_ npi: String) -> Bool? {
        // Spaces and tabs trimmed from the bytes in place: a Character walk cost more than the check.
        func trimmedCheck<Bytes: BidirectionalCollection<UInt8>>(_ bytes: Bytes) -> Bool? {
            let isSpace = { (b: UInt8) in b == 0x20 || b == 0x09 }
            let first = bytes.firstIndex { !isSpace($0) }!, last = bytes.lastIndex { !isSpace($0) }!
            return checkDigitPasses(bytes[first...last])
        }
        return npi.utf8.withContiguousStorageIfAvailable(trimmedCheck) ?? trimmedCheck(npi.utf8)
    }

    /// nil unless exactly 10 ASCII digits; otherwise the Luhn result, read from the bytes
    /// in place (no digit arrays: this runs for every claim).
    static func checkDigitPasses<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Bool? {
        guard bytes.count == 10 else { return nil }
        // The prefix 80840 contributes 24 (8 + 0 + 8 + (4·2) + 0, doubling every second digit
        // from the right of the 15-digit number).
        var sum = 24
        for (i, b) in bytes.enumerated() {
            guard b >= 48 && b <= 57 else { return nil }
            let d = Int(b - 48)
            // Digit i of 10 sits 9 − i places from the right: doubled when that is odd.
            if i % 2 == 0 {
                let x = d * 2
                sum += x > 9 ? x - 9 : x
            } else {
                sum += d
            }
        }
        return sum % 10 == 0
    }

    /// Luhn over `80840` + the 10 digits.
    public static func isValidNPI(_ digits: [Int]) -> Bool {
        guard digits.count == 10 else { return false }
        let full = [8, 0, 8, 4, 0] + digits
        var sum = 0
        for (k, d) in full.reversed().enumerated() {
            if k % 2 == 1 {
                let x = d * 2
                sum += x > 9 ? x - 9 : x
            } else {
                sum += d
            }
        }
        return sum % 10 == 0
    }

    public static func isValidNPI(_ text: String) -> Bool {
        checkDigitPasses(text.utf8) == true
    }
}
