/// The delimiters of an interchange, read from its fixed-width ISA segment.
public struct X12Delimiters: Sendable, Equatable {
    /// The byte after `ISA` (byte 3).
    public var element: UInt8
    /// ISA11 (`^` in 5010).
    public var repetition: UInt8
    /// ISA16.
    public var component: UInt8
    /// The byte right after ISA16.
    public var segment: UInt8

    public init(element: UInt8, repetition: UInt8, component: UInt8, segment: UInt8) {
        self.element = element
        self.repetition = repetition
        self.component = component
        self.segment = segment
    }

    /// The usual 5010 set: `*`, `^`, `:`, `~`.
    public static let standard = X12Delimiters(
        element: UInt8(ascii: "*"), repetition: UInt8(ascii: "^"),
        component: UInt8(ascii: ":"), segment: UInt8(ascii: "~"))
}

/// One segment: `elements[0]` is the id, `elements[k]` is element k (`CLM01` is 1).
public struct X12Segment: Sendable, Equatable {
    public let elements: [String]
    /// 1-based position in the interchange (ISA is 1).
    public let position: Int

    public init(elements: [String], position: Int) {
        self.elements = elements
        self.position = position
    }

    public var id: String { elements[0] }

    /// Element `k` (1-based), `""` when absent.
    public subscript(k: Int) -> String { k < elements.count ? elements[k] : "" }

    /// The components of element `k` split at the component separator (`HC:97110:GP` → 3).
    public func components(_ k: Int, _ separator: UInt8) -> [Substring] {
        let e = self[k]
        let sep = Character(Unicode.Scalar(separator))
        return e.split(separator: sep, omittingEmptySubsequences: false)
    }

    /// `NM1*85`: the id and, for NM1, the entity qualifier (how errors name a loop's start).
    var label: String {
        switch id {
        case "NM1", "HL", "DTP", "NTE":
            let q = id == "HL" ? self[3] : self[1]
            return q.isEmpty ? id : "\(id)*\(X12Error.shown(q))"
        default: return id
        }
    }
}

/// A transaction set (ST … SE) inside a functional group.
public struct X12Transaction: Sendable, Equatable {
    /// ST02.
    public var controlNumber: String
    /// Indexes into `X12Interchange.segments`, ST through SE.
    public var segmentRange: ClosedRange<Int>
}

/// A functional group (GS … GE).
public struct X12FunctionalGroup: Sendable, Equatable {
    /// GS06.
    public var controlNumber: String
    public var transactions: [X12Transaction]
}

/// An ISA … IEA interchange with its envelopes checked: segment counts, control
/// numbers, nesting and the 837P version (005010X222A1). The transactions' contents
/// are `X837Reader`'s business.
public struct X12Interchange: Sendable, Equatable {
    public static let version = "005010X222A1"

    public var delimiters: X12Delimiters
    public var segments: [X12Segment]
    /// ISA13.
    public var controlNumber: String
    public var groups: [X12FunctionalGroup]

    /// Widths of ISA01…ISA16 (the ISA is fixed width: 106 characters with its terminator).
    static let isaWidths = [2, 10, 2, 10, 2, 15, 2, 15, 6, 4, 1, 5, 9, 1, 1, 1]

    public static func parse(_ bytes: [UInt8]) throws(X12Error) -> X12Interchange {
        let (delimiters, segments) = try tokenize(bytes)
        return try checkEnvelopes(delimiters: delimiters, segments: segments)
    }

    // MARK: - Segments

    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }

    /// Reads the delimiters from the ISA and splits the data into segments. CR/LF after
    /// a segment terminator (and whitespace at the very start and end) is tolerated.
    static func tokenize(_ bytes: [UInt8]) throws(X12Error) -> (X12Delimiters, [X12Segment]) {
        var start = 0
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
        while start < bytes.count, isSpace(bytes[start]) { start += 1 }
        guard bytes.count - start >= 4, bytes[start] == UInt8(ascii: "I"), bytes[start + 1] == UInt8(ascii: "S"),
              bytes[start + 2] == UInt8(ascii: "A") else {
            throw X12Error(.interchangeHeader, position: 1, segment: "ISA", "expected the interchange to start with an ISA segment")
        }
        let es = bytes[start + 3]
        // Walk the fixed-width elements so the error can name the one of the wrong width.
        var k = start + 4
        for (n, width) in isaWidths.enumerated() {
            let name = "ISA" + (n < 9 ? "0" : "") + String(n + 1)
            if n == 15 {
                guard k + 1 < bytes.count else {
                    throw X12Error(.interchangeHeader, position: 1, segment: "ISA",
                                   "ISA must be 106 characters: the data ends inside the ISA")
                }
                break
            }
            var w = 0
            while k + w < bytes.count, bytes[k + w] != es, w <= width { w += 1 }
            guard k + w < bytes.count else {
                throw X12Error(.interchangeHeader, position: 1, segment: "ISA", "ISA must be 106 characters: the data ends inside the ISA")
            }
            guard w == width else {
                throw X12Error(.interchangeHeader, position: 1, segment: "ISA",
                               "ISA must be 106 characters: \(name) is " + (w > width ? "longer than \(width) characters" : "\(w) characters, expected \(width)"))
            }
            k += w + 1
        }
        let component = bytes[k], terminator = bytes[k + 1], repetition = bytes[start + 82]
        func usable(_ b: UInt8) -> Bool {
            !(b >= 0x30 && b <= 0x39) && !(b >= 0x41 && b <= 0x5A) && !(b >= 0x61 && b <= 0x7A) && b != 0x20
        }
        guard usable(es), usable(component), usable(terminator),
              Set([es, component, terminator]).count == 3 else {
            throw X12Error(.interchangeHeader, position: 1, segment: "ISA",
                           "ISA must be 106 characters ending in distinct element, component (ISA16) and segment delimiters that are not letters, digits or spaces")
        }
        let delimiters = X12Delimiters(element: es, repetition: repetition, component: component, segment: terminator)

        var segments: [X12Segment] = []
        segments.reserveCapacity(bytes.count / 30)
        var i = start
        while i < bytes.count {
            let position = segments.count + 1
            guard let end = bytes[i...].firstIndex(of: terminator) else {
                if bytes[i...].allSatisfy(isSpace) { break }
                throw X12Error(.syntax, position: position, segment: "?",
                               "the last segment has no segment terminator")
            }
            guard end > i else {
                throw X12Error(.syntax, position: position, segment: "?", "empty segment (two terminators in a row)")
            }
            var elements: [String] = []
            var e = i
            for j in i...end where j == end || bytes[j] == es {
                elements.append(String(decoding: bytes[e..<j], as: UTF8.self))
                e = j + 1
            }
            let id = elements[0].utf8
            guard (2...3).contains(id.count), id.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) }) else {
                throw X12Error(.syntax, position: position, segment: "?",
                               "expected a segment id of 2 or 3 upper-case letters or digits")
            }
            segments.append(X12Segment(elements: elements, position: position))
            i = end + 1
            while i < bytes.count, bytes[i] == 0x0D || bytes[i] == 0x0A { i += 1 }
        }
        return (delimiters, segments)
    }

    // MARK: - Envelopes

    static func checkEnvelopes(delimiters: X12Delimiters, segments: [X12Segment]) throws(X12Error) -> X12Interchange {
        let isa = segments[0]
        guard isa[12] == "00501" else {
            throw X12Error(.version, position: 1, segment: "ISA", "ISA12 must be 00501 (version 5010), found \(X12Error.shown(isa[12]))")
        }
        var groups: [X12FunctionalGroup] = []
        var i = 1
        func segment(_ i: Int, expected: String) throws(X12Error) -> X12Segment {
            guard i < segments.count else {
                throw X12Error(.envelope, position: segments.count + 1, segment: expected,
                               "expected \(expected), the interchange ends after segment \(segments.count)")
            }
            return segments[i]
        }
        while true {
            let s = try segment(i, expected: "GS or IEA")
            if s.id == "IEA" { break }
            guard s.id == "GS" else {
                throw X12Error(.envelope, position: s.position, segment: s.id, "expected GS (functional group) or IEA, found \(s.id)")
            }
            let gs = s
            guard gs[1] == "HC" else {
                throw X12Error(.version, position: gs.position, segment: "GS", "GS01 must be HC (health care claim), found \(X12Error.shown(gs[1]))")
            }
            guard gs[8] == version else {
                throw X12Error(.version, position: gs.position, segment: "GS", "GS08 must be \(version) (837P), found \(X12Error.shown(gs[8]))")
            }
            var transactions: [X12Transaction] = []
            i += 1
            while true {
                let s = try segment(i, expected: "ST or GE")
                if s.id == "GE" { break }
                guard s.id == "ST" else {
                    throw X12Error(.envelope, position: s.position, segment: s.id, "expected ST (transaction set) or GE, found \(s.id)")
                }
                let st = s
                guard st[1] == "837" else {
                    throw X12Error(.version, position: st.position, segment: "ST", "ST01 must be 837, found \(X12Error.shown(st[1]))")
                }
                guard st[3] == version else {
                    throw X12Error(.version, position: st.position, segment: "ST", "ST03 must be \(version) (837P), found \(X12Error.shown(st[3]))")
                }
                var j = i + 1
                while true {
                    let t = try segment(j, expected: "SE")
                    if t.id == "SE" { break }
                    if ["ISA", "GS", "ST", "GE", "IEA"].contains(t.id) {
                        throw X12Error(.envelope, position: t.position, segment: t.id,
                                       "expected SE closing the transaction set of ST segment \(st.position), found \(t.id)")
                    }
                    j += 1
                }
                let se = segments[j]
                let count = j - i + 1
                guard se[1] == String(count) else {
                    throw X12Error(.envelope, position: se.position, segment: "SE",
                                   "SE01 says \(X12Error.shown(se[1])) segments, the transaction has \(count)")
                }
                guard se[2] == st[2] else {
                    throw X12Error(.envelope, position: se.position, segment: "SE",
                                   "SE02 must repeat ST02 \(X12Error.shown(st[2])), found \(X12Error.shown(se[2]))")
                }
                transactions.append(X12Transaction(controlNumber: st[2], segmentRange: i...j))
                i = j + 1
            }
            let ge = segments[i]
            guard ge[1] == String(transactions.count) else {
                throw X12Error(.envelope, position: ge.position, segment: "GE",
                               "GE01 says \(X12Error.shown(ge[1])) transaction sets, the group has \(transactions.count)")
            }
            guard ge[2] == gs[6] else {
                throw X12Error(.envelope, position: ge.position, segment: "GE",
                               "GE02 must repeat GS06 \(X12Error.shown(gs[6])), found \(X12Error.shown(ge[2]))")
            }
            groups.append(X12FunctionalGroup(controlNumber: gs[6], transactions: transactions))
            i += 1
        }
        let iea = segments[i]
        guard iea[1] == String(groups.count) else {
            throw X12Error(.envelope, position: iea.position, segment: "IEA",
                           "IEA01 says \(X12Error.shown(iea[1])) functional groups, the interchange has \(groups.count)")
        }
        guard iea[2] == isa[13] else {
            throw X12Error(.envelope, position: iea.position, segment: "IEA",
                           "IEA02 must repeat ISA13 \(X12Error.shown(isa[13])), found \(X12Error.shown(iea[2]))")
        }
        if i + 1 < segments.count {
            let extra = segments[i + 1]
            throw X12Error(.envelope, position: extra.position, segment: extra.id, "unexpected \(extra.id) after IEA (one interchange per body)")
        }
        guard !groups.isEmpty else {
            throw X12Error(.envelope, position: iea.position, segment: "IEA", "expected at least one GS functional group")
        }
        return X12Interchange(delimiters: delimiters, segments: segments, controlNumber: isa[13], groups: groups)
    }
}
