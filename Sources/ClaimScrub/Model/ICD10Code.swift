/// An ICD-10-CM code in canonical form: upper case, without the dot.
///
/// Construction checks only the shape of a code (a letter, then a digit or letter,
/// then up to five more alphanumerics: 3 to 7 characters); whether the code exists
/// is a question for a `CodeSet`.
public struct ICD10Code: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Upper case, no dot: `M546`, `S22000A`.
    public let compact: String
    /// The compact bytes packed big-endian into an integer, zero-padded: it orders as
    /// `compact` does (a code's prefix first), so sorted code tables can be searched with
    /// integer comparisons. Codes are 3–7 ASCII bytes, so 8 bytes always hold one. Computed
    /// once when the code is made: the rules and code-set lookups read it many times per claim.
    public let packedKey: UInt64

    /// Accepts `m54.6`, `M546`, ` M54.6 `; rejects anything that is not 3–7
    /// alphanumerics starting with a letter, or a dot anywhere but after the category.
    public init?(_ raw: some StringProtocol) {
        var out: [UInt8] = []
        out.reserveCapacity(8)
        var sawDot = false
        for byte in raw.utf8 {
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"):
                continue
            case UInt8(ascii: "."):
                // The dot may only follow the three-character category.
                if sawDot || out.count != 3 { return nil }
                sawDot = true
            case UInt8(ascii: "a")...UInt8(ascii: "z"):
                out.append(byte - 32)
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                out.append(byte)
            default:
                return nil
            }
            if out.count > 7 { return nil }
        }
        guard out.count >= 3, (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(out[0]) else { return nil }
        if sawDot && out.count == 3 { return nil }
        self.compact = String(decoding: out, as: UTF8.self)
        self.packedKey = Self.pack(compact)
    }

    /// Builds a code from a compact string already known to be canonical (importers).
    public init(uncheckedCompact: String) {
        self.compact = uncheckedCompact
        self.packedKey = Self.pack(uncheckedCompact)
    }

    /// The dotted form results are reported in: `M54.6`, `S22.000A`, `M54`.
    public var dotted: String {
        let bytes = compact.utf8
        guard bytes.count > 3 else { return compact }
        // Messages spell codes out often: an ASCII code is written in place at its final size
        // (`joinedText`; a small string, no allocation, for up to 14 bytes with its dot).
        if bytes.allSatisfy({ $0 < 0x80 }) { return joinedText(self) }
        let index = compact.index(compact.startIndex, offsetBy: 3)
        return String(compact[..<index]) + "." + String(compact[index...])
    }

    /// The three-character category: `M54` for `M54.50`.
    public var category: String { String(compact.prefix(3)) }

    /// The code one character shorter (`M545` for `M5450`), or nil for a category.
    /// This is the syntactic parent; a code set may know a different one (7th-character
    /// codes with `X` placeholders).
    public var syntacticParent: ICD10Code? {
        guard compact.utf8.count > 3 else { return nil }
        return ICD10Code(uncheckedCompact: String(compact.dropLast()))
    }

    public var description: String { dotted }

    private static func pack(_ compact: String) -> UInt64 {
        var key: UInt64 = 0
        var n = 0
        for byte in compact.utf8 where n < 8 {
            key = key << 8 | UInt64(byte)
            n += 1
        }
        return key << (8 * UInt64(8 - n))
    }

    /// Different keys are different codes (the key holds the first 8 bytes): compared first.
    public static func == (lhs: ICD10Code, rhs: ICD10Code) -> Bool {
        lhs.packedKey == rhs.packedKey && lhs.compact == rhs.compact
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(compact) }

    public static func < (lhs: ICD10Code, rhs: ICD10Code) -> Bool { lhs.compact < rhs.compact }
}

