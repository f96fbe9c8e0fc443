/// `CLAIM_NPI`: an NPI is 10 digits whose last digit is the Luhn check digit computed
/// over the number prefixed with 80840 (the NPI's ISO 7812 issuer prefix).
public struct ClaimNPIRule: Rule {
    public let id = "CLAIM_NPI"
    public let category = RuleCategory.structure
    public init() {}

    public func check(_ claim: Claim, _ context: RuleContext) -> [RuleHit] {
        var hits: [RuleHit] = []
        for (npi, path, who) in [
            (claim.billingProvider?.npi, "/billingProvider/npi", "billing provider"),
            (claim.renderingProvider?.npi, "/renderingProvider/npi", "rendering provider"),
        ] {
            // Missing or empty is CLAIM_REQUIRED_FIELD's (billing) or allowed (rendering).
            guard let npi, !npi.isBlank else { continue }
            let digits = Array(npi.trimmingSpaces.utf8)
            if digits.count != 10 || !digits.allSatisfy({ $0 >= 48 && $0 <= 57 }) {
                hits.append(RuleHit(path: path, message: "The \(who)'s NPI is not 10 digits.",
                                    suggestion: "Report the provider's 10-digit NPI from NPPES."))
            } else if !Self.isValidNPI(digits.map { Int($0 - 48) }) {
                hits.append(RuleHit(path: path, message: "The \(who)'s NPI fails the check-digit test; it is mistyped.",
                                    suggestion: "Re-enter the NPI from NPPES."))
            }
        }
        return hits
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
        let b = Array(text.utf8)
        guard b.count == 10, b.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return false }
        return isValidNPI(b.map { Int($0 - 48) })
    }
}
