/// Where a claim field came from in the interchange: the segment id, its 1-based
/// position in the interchange, and the element (`SV104`, `SV101-2` for a component,
/// nil when the reference is the segment as a whole).
public struct X12SegmentRef: Sendable, Equatable, Hashable, CustomStringConvertible {
    public var segment: String
    public var position: Int
    public var element: String?

    public init(segment: String, position: Int, element: String? = nil) {
        self.segment = segment
        self.position = position
        self.element = element
    }

    public var description: String {
        "\(segment) segment \(position)" + (element.map { " element \($0)" } ?? "")
    }

    /// `{"segment": "SV1", "position": 31, "element": "SV104"}` (`element` omitted when nil).
    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.key("segment"); w.string(segment)
        w.key("position"); w.int(position)
        if let element { w.key("element"); w.string(element) }
        w.endObject()
    }
}

/// JSON Pointer → X12 position for one claim. Lookups fall back to the longest
/// registered prefix, token by token (`/serviceLines/1` never matches `/serviceLines/10`).
public struct X12SegmentMap: Sendable, Equatable {
    private var refs: [String: X12SegmentRef] = [:]

    public init() {}

    public subscript(pointer: String) -> X12SegmentRef? {
        get { refs[pointer] }
        set { refs[pointer] = newValue }
    }

    /// Every pointer registered, for tests and diagnostics.
    public var pointers: [String] { refs.keys.sorted(by: JSONPointer.precedes) }

    public func lookup(_ pointer: String) -> X12SegmentRef? {
        var p = Substring(pointer)
        while true {
            if let r = refs[String(p)] { return r }
            guard let slash = p.lastIndex(of: "/") else { return nil }
            p = p[..<slash]
        }
    }
}
