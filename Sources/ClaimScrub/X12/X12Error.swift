/// Why a body is not a usable 837P interchange: a structural problem at one segment.
///
/// Carries only segment ids, positions, element names, counts, control numbers and
/// qualifiers: never an element value that may be patient data (names, member ids,
/// birth dates, note text).
public struct X12Error: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// The ISA header is not the fixed-width 106 characters, or the delimiters are unusable.
        case interchangeHeader
        /// A segment that cannot be read (empty, no terminator, not a segment id).
        case syntax
        /// ISA/GS/ST … SE/GE/IEA: counts, control numbers, nesting.
        case envelope
        /// Not 005010X222A1 (837P), or a functional group that is not HC.
        case version
        /// A required segment is missing, or a segment stands where it does not belong.
        case segment
        /// An HL whose id or parent does not fit the billing provider / subscriber / patient hierarchy.
        case hierarchy
        /// An element value the claim model cannot hold (units that are not whole numbers, …).
        case element
    }

    public var kind: Kind
    /// 1-based position of the segment in the interchange (ISA is 1).
    public var position: Int
    /// The segment id at that position (`SE`, `NM1`), or the one expected when the data ended.
    public var segment: String
    /// What was expected: "SE01 says 28 segments, the transaction has 27".
    public var detail: String

    public init(_ kind: Kind, position: Int, segment: String, _ detail: String) {
        self.kind = kind
        self.position = position
        self.segment = segment
        self.detail = detail
    }

    /// An element value as an error may show it: codes, versions, counts and control
    /// numbers (up to 15 letters or digits, `-` `.`) pass; anything else, which could be
    /// misplaced patient data, is replaced by a description.
    public static func shown(_ value: String) -> String {
        if value.isEmpty { return "nothing" }
        let ok = value.utf8.count <= 15 && value.utf8.allSatisfy {
            ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x2D || $0 == 0x2E
        }
        return ok ? value : "a value that is not a code"
    }

    public var description: String { "segment \(position) (\(segment)): \(detail)" }

    public static let problemType = "https://claimscrub.dev/problems/invalid-x12"

    /// The RFC 9457 problem document (status 400), with the extension members
    /// `segment` and `position` so a client can find the spot without a parser of its own.
    public func encodeProblem() -> [UInt8] {
        var w = JSONWriter(capacity: 256)
        w.beginObject()
        w.key("type"); w.string(Self.problemType)
        w.key("title"); w.string("Invalid X12 837P interchange")
        w.key("status"); w.int(400)
        w.key("detail"); w.string(description)
        w.key("segment"); w.string(segment)
        w.key("position"); w.int(position)
        w.endObject()
        return w.bytes
    }
}
