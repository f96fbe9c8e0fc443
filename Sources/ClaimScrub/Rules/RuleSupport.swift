/// Small helpers shared by rules: pointers and how codes are named in messages.
public enum Paths {
    public static func diagnosis(_ i: Int) -> String { "/diagnoses/\(i)" }
    public static func line(_ i: Int) -> String { "/serviceLines/\(i)" }
    public static func line(_ i: Int, _ field: String) -> String {
        if i < LinePaths.count, let table = LinePaths.table(field) { return table[i] }
        return "/serviceLines/\(i)/\(field)"
    }
}

/// The pointers of the line fields findings name, for the first lines of a claim, made once:
/// such a path is too long for a small string, so building it allocated for every finding.
private enum LinePaths {
    static let count = 64
    static let modifiers = make("modifiers")
    static let units = make("units")
    static let procedureCode = make("procedureCode")
    static let diagnosisPointers = make("diagnosisPointers")
    static let serviceDate = make("serviceDate")
    static let serviceDateEnd = make("serviceDateEnd")
    static let minutes = make("minutes")

    static func make(_ field: String) -> [String] { (0..<count).map { "/serviceLines/\($0)/\(field)" } }

    static func table(_ field: String) -> [String]? {
        switch field {
        case "modifiers": modifiers
        case "units": units
        case "procedureCode": procedureCode
        case "diagnosisPointers": diagnosisPointers
        case "serviceDate": serviceDate
        case "serviceDateEnd": serviceDateEnd
        case "minutes": minutes
        default: nil
        }
    }
}

extension CodeSet {
    /// `M54.6 (Pain in thoracic spine)`, or just `M54.6` when the release lacks it.
    public func named(_ code: ICD10Code) -> String {
        guard let description = entryDescription(code), !description.isEmpty else { return code.dotted }
        return joinedText(code.dotted, " (", description, ")")
    }
}

extension String {
    /// True when empty or only spaces/tabs (bytes, not Characters: a space or tab is never
    /// part of a longer grapheme cluster, and this runs for several fields of every claim).
    /// Over the bytes in place when they are contiguous (walking the UTF-8 view cost more).
    var isBlank: Bool {
        func blank(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 }
        return utf8.withContiguousStorageIfAvailable { $0.allSatisfy(blank) } ?? utf8.allSatisfy(blank)
    }
}

/// "A, B and C".
func listed(_ items: [String], conjunction: String = "and") -> String {
    switch items.count {
    case 0: return ""
    case 1: return items[0]
    default: return joinedList(items, separator: ", ", last: joinedText(" ", conjunction, " "))
    }
}

/// `items` with `separator` between them and `last` before the final one, copied into one
/// string allocated at its final size (`joined` grew its buffer, and `+` copied it again).
func joinedList<Items: Collection<String>>(_ items: Items, separator: String, last: String) -> String {
    let count = items.count
    guard count > 1 else { return items.first ?? "" }
    var total = separator.utf8.count * (count - 2) + last.utf8.count
    for item in items { total += item.utf8.count }
    return String(unsafeUninitializedCapacity: total) { buffer in
        var n = 0, k = 0
        for item in items {
            if k > 0 { n = copyUTF8(k == count - 1 ? last : separator, into: buffer, at: n) }
            n = copyUTF8(item, into: buffer, at: n)
            k += 1
        }
        return n
    }
}

/// The parts copied into one string allocated at its final size. Finding texts are long
/// sentences around a few codes: an interpolation grew its buffer several times, and `+=`
/// of each part took the general append path. Fixed arity (no array of parts to allocate).
func joinedText(
    _ a: String, _ b: String, _ c: String = "", _ d: String = "", _ e: String = "", _ f: String = "",
    _ g: String = "", _ h: String = "", _ i: String = "", _ j: String = "", _ k: String = "", _ l: String = ""
) -> String {
    let total = a.utf8.count + b.utf8.count + c.utf8.count + d.utf8.count + e.utf8.count + f.utf8.count
        + g.utf8.count + h.utf8.count + i.utf8.count + j.utf8.count + k.utf8.count + l.utf8.count
    return String(unsafeUninitializedCapacity: total) { buffer in
        var n = 0
        n = copyUTF8(a, into: buffer, at: n)
        n = copyUTF8(b, into: buffer, at: n)
        n = copyUTF8(c, into: buffer, at: n)
        n = copyUTF8(d, into: buffer, at: n)
        n = copyUTF8(e, into: buffer, at: n)
        n = copyUTF8(f, into: buffer, at: n)
        n = copyUTF8(g, into: buffer, at: n)
        n = copyUTF8(h, into: buffer, at: n)
        n = copyUTF8(i, into: buffer, at: n)
        n = copyUTF8(j, into: buffer, at: n)
        n = copyUTF8(k, into: buffer, at: n)
        return copyUTF8(l, into: buffer, at: n)
    }
}

/// Copies `text`'s UTF-8 into `buffer` from `offset`; returns the offset after it.
@inline(__always)
private func copyUTF8(_ text: String, into buffer: UnsafeMutableBufferPointer<UInt8>, at offset: Int) -> Int {
    let copied = text.utf8.withContiguousStorageIfAvailable { source -> Int in
        UnsafeMutableBufferPointer(rebasing: buffer[offset...]).initialize(fromContentsOf: source)
    }
    if let copied { return offset + copied }
    var n = offset
    for byte in text.utf8 {
        buffer[n] = byte
        n += 1
    }
    return n
}
