/// Small helpers shared by rules: pointers and how codes are named in messages.
public enum Paths {
    public static func diagnosis(_ i: Int) -> String { "/diagnoses/\(i)" }
    public static func line(_ i: Int) -> String { "/serviceLines/\(i)" }
    public static func line(_ i: Int, _ field: String) -> String { "/serviceLines/\(i)/\(field)" }
}

extension CodeSet {
    /// `M54.6 (Pain in thoracic spine)`, or just `M54.6` when the release lacks it.
    public func named(_ code: ICD10Code) -> String {
        guard let e = entry(code), !e.description.isEmpty else { return code.dotted }
        return joinedText(code.dotted, " (", e.description, ")")
    }
}

extension String {
    /// True when empty or only spaces/tabs (bytes, not Characters: a space or tab is never
    /// part of a longer grapheme cluster, and this runs for several fields of every claim).
    var isBlank: Bool { utf8.allSatisfy { $0 == 0x20 || $0 == 0x09 } }
}

/// "A, B and C".
func listed(_ items: [String], conjunction: String = "and") -> String {
    switch items.count {
    case 0: return ""
    case 1: return items[0]
    default: return items.dropLast().joined(separator: ", ") + " \(conjunction) " + items.last!
    }
}

/// The parts appended into one string allocated at its final size. Finding texts are long
/// sentences around a few codes: an interpolation grew its buffer several times, and `+`
/// made a string per step. Fixed arity (no array of parts to allocate).
func joinedText(
    _ a: String, _ b: String, _ c: String = "", _ d: String = "", _ e: String = "", _ f: String = "",
    _ g: String = "", _ h: String = "", _ i: String = ""
) -> String {
    var text = ""
    text.reserveCapacity(a.utf8.count + b.utf8.count + c.utf8.count + d.utf8.count + e.utf8.count + f.utf8.count
        + g.utf8.count + h.utf8.count + i.utf8.count)
    text += a
    text += b
    text += c
    text += d
    text += e
    text += f
    text += g
    text += h
    text += i
    return text
}
