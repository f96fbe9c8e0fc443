/// A diagnosis pattern as written in the clinical Config: a code (`M54.6`), a code and
/// everything below it (`M51.-`, `S22.0-`, `M`-), or a region wildcard where `?` stands for
/// any one character (`M51.?4` for M51.04, M51.14 … thoracic disc disorders; `M51.?6-`).
///
/// `?` is a wildcard, never a placeholder: the ICD-10-CM placeholder is the letter `X`,
/// which matches itself.
public struct DiagnosisPattern: Hashable, Sendable, CustomStringConvertible {
    /// Compact characters (no dot) as upper-case ASCII bytes, 0 for `?`: matching compares
    /// bytes, with no per-match allocation (this runs for every code against every pattern).
    let slots: [UInt8]
    /// True when codes longer than the pattern also match (a trailing `-`).
    let prefix: Bool
    public let description: String
    /// The slots laid out as `ICD10Code.packedKey` lays out a code (first byte highest):
    /// a code matches when its packed key masked by `mask` equals `value` and its length fits.
    let mask: UInt64
    let value: UInt64

    /// Parses `M54.6`, `M54.-`, `S22.0-`, `M51.?4`, `R-`; nil for anything else.
    public init?(_ text: String) {
        var body = Substring(text)
        var isPrefix = false
        if body.hasSuffix(".-") {
            body = body.dropLast(2)
            isPrefix = true
        } else if body.hasSuffix("-") {
            body = body.dropLast()
            isPrefix = true
        }
        var slots: [UInt8] = []
        for (i, ch) in body.enumerated() {
            if ch == "." {
                guard i == 3 else { return nil }
                continue
            }
            if ch == "?" {
                guard i > 0 else { return nil }
                slots.append(0)
                continue
            }
            guard ch.isASCII, ch.isLetter || ch.isNumber else { return nil }
            slots.append(ch.asciiValue! & ~(ch.isLetter ? 0x20 : 0))
        }
        guard let first = slots.first, (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(first), slots.count <= 7 else {
            return nil
        }
        guard isPrefix || slots.count >= 3 else { return nil }
        self.slots = slots
        self.prefix = isPrefix
        var mask: UInt64 = 0, value: UInt64 = 0
        for (i, slot) in slots.enumerated() where slot != 0 {
            let shift = UInt64(8 * (7 - i))
            mask |= 0xFF << shift
            value |= UInt64(slot) << shift
        }
        self.mask = mask
        self.value = value
        self.description = text.uppercased()
    }

    /// As coders write it in prose: `M51.x4` for the Config's `M51.?4`.
    public var spoken: String {
        guard description.utf8.contains(UInt8(ascii: "?")) else { return description }
        return String(decoding: description.utf8.map { $0 == UInt8(ascii: "?") ? UInt8(ascii: "x") : $0 }, as: UTF8.self)
    }

    public func matches(_ code: ICD10Code) -> Bool { matches(PackedDiagnosis(code)) }

    /// One mask and compare (the clinical tables try every claim code against every pattern).
    func matches(_ code: PackedDiagnosis) -> Bool {
        if prefix ? code.length < slots.count : code.length != slots.count { return false }
        return code.key & mask == value
    }
}

/// A code packed once for matching against many patterns.
struct PackedDiagnosis {
    let key: UInt64
    let length: Int

    init(_ code: ICD10Code) {
        key = code.packedKey
        length = code.compact.utf8.count
    }
}

extension Sequence<DiagnosisPattern> {
    func anyMatches(_ code: ICD10Code) -> Bool {
        let packed = PackedDiagnosis(code)
        return contains { $0.matches(packed) }
    }
}

extension Array<DiagnosisPattern> {
    /// Patterns read in place: iterating by value retained each pattern's slots and text
    /// (the clinical rules try every claim code against these lists).
    func anyMatches(_ code: ICD10Code) -> Bool { anyMatches(PackedDiagnosis(code)) }

    func anyMatches(_ code: PackedDiagnosis) -> Bool {
        for i in indices where self[i].matches(code) { return true }
        return false
    }
}

extension YAMLCursor {
    func diagnosisPattern() throws -> DiagnosisPattern {
        let text = try string()
        guard let p = DiagnosisPattern(text) else {
            throw fail("a diagnosis pattern like `M54.6`, `M51.-`, `S22.0-` or `M51.?4`, not `\(text)`")
        }
        return p
    }

    func diagnosisPatterns() throws -> [DiagnosisPattern] {
        try sequence().map { try $0.diagnosisPattern() }
    }
}

/// A `DiagnosisPattern`'s match as plain values (no slots array, no text), for tables the
/// facts pass reads for every claim: copying one costs no reference counting.
struct PackedDiagnosisPattern: Sendable {
    let mask: UInt64
    let value: UInt64
    let length: Int
    let prefix: Bool

    init(_ pattern: DiagnosisPattern) {
        mask = pattern.mask
        value = pattern.value
        length = pattern.slots.count
        prefix = pattern.prefix
    }

    /// `DiagnosisPattern.matches(_:)`.
    func matches(_ code: PackedDiagnosis) -> Bool {
        if prefix ? code.length < length : code.length != length { return false }
        return code.key & mask == value
    }
}
