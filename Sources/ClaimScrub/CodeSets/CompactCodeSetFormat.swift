/// The project's own fast-loading form of a release: UTF-8 text, one code a line,
/// optionally gzip-compressed (`.compact.gz`). Written by `claimscrub codeset import`.
///
/// ```
/// claimscrub-codeset	1
/// M546	m	M54	M51*	Pain in thoracic spine
/// ```
/// Fields, tab-separated: compact code; flags (`b` billable, `m` manifestation, `-` none);
/// parent (empty for a category); Excludes1 patterns separated by spaces (`M51*` = every
/// code under M51, `M546` = that code); description (the rest of the line).
public enum CompactCodeSetFormat {
    public static let magic = "claimscrub-codeset\t1"

    public static func encode(_ entries: some Sequence<CodeEntry>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(8 * 1024 * 1024)
        out += magic.utf8
        out.append(0x0A)
        for e in entries.sorted(by: { $0.code < $1.code }) {
            out += e.code.compact.utf8
            out.append(0x09)
            if e.billable { out.append(UInt8(ascii: "b")) }
            if e.manifestation { out.append(UInt8(ascii: "m")) }
            if !e.billable && !e.manifestation { out.append(UInt8(ascii: "-")) }
            out.append(0x09)
            if let p = e.parent { out += p.compact.utf8 }
            out.append(0x09)
            for (i, pattern) in e.excludes1.enumerated() {
                if i > 0 { out.append(0x20) }
                switch pattern {
                case .code(let c): out += c.compact.utf8
                case .prefix(let p): out += p.utf8; out.append(UInt8(ascii: "*"))
                }
            }
            out.append(0x09)
            // Descriptions never hold tabs or newlines in the official files; keep it so.
            out += e.description.utf8.map { $0 == 0x09 || $0 == 0x0A || $0 == 0x0D ? 0x20 : $0 }
            out.append(0x0A)
        }
        return out
    }

    public static func entries(file path: String) throws -> [CodeEntry] {
        let bytes: [UInt8]
        do { bytes = try Gzip.readFile(path) } catch {
            throw CodeSetError.badData(file: path, line: 0, message: "\(error)")
        }
        return try decode(bytes, source: path)
    }

    public static func decode(_ bytes: [UInt8], source: String = "<compact code set>") throws -> [CodeEntry] {
        try bytes.withUnsafeBufferPointer { buffer in
            var entries: [CodeEntry] = []
            // About 75 bytes a line on the official releases.
            entries.reserveCapacity(buffer.count / 64)
            var position = 0
            var lineNumber = 0
            let count = buffer.count

            func field(_ terminator: UInt8) -> Range<Int>? {
                let start = position
                while position < count {
                    let b = buffer[position]
                    if b == terminator { position += 1; return start..<(position - 1) }
                    if b == 0x0A { return nil }
                    position += 1
                }
                return nil
            }
            func text(_ r: Range<Int>) -> String {
                String(decoding: UnsafeBufferPointer(rebasing: buffer[r]), as: UTF8.self)
            }
            func bad(_ message: String) -> CodeSetError {
                .badData(file: source, line: lineNumber, message: message)
            }

            lineNumber = 1
            guard let first = field(0x0A), text(first) == magic else {
                throw bad("not a compact code set: expected first line '\(magic.replacingTabs)'")
            }
            while position < count {
                lineNumber += 1
                guard let codeRange = field(0x09), let flags = field(0x09),
                      let parentRange = field(0x09), let excludesRange = field(0x09)
                else { throw bad("expected 5 tab-separated fields") }
                let descriptionStart = position
                while position < count && buffer[position] != 0x0A { position += 1 }
                let descriptionRange = descriptionStart..<position
                position += 1
                guard (3...7).contains(codeRange.count) else { throw bad("code field must be 3 to 7 characters") }

                var billable = false
                var manifestation = false
                for i in flags {
                    switch buffer[i] {
                    case UInt8(ascii: "b"): billable = true
                    case UInt8(ascii: "m"): manifestation = true
                    case UInt8(ascii: "-"): break
                    default: throw bad("flags may hold only b, m or -")
                    }
                }
                var excludes: [CodePattern] = []
                if !excludesRange.isEmpty {
                    var start = excludesRange.lowerBound
                    for i in excludesRange.lowerBound...excludesRange.upperBound
                    where i == excludesRange.upperBound || buffer[i] == 0x20 {
                        if i > start {
                            if buffer[i - 1] == UInt8(ascii: "*") {
                                excludes.append(.prefix(text(start..<(i - 1))))
                            } else {
                                excludes.append(.code(ICD10Code(uncheckedCompact: text(start..<i))))
                            }
                        }
                        start = i + 1
                    }
                }
                entries.append(CodeEntry(
                    code: ICD10Code(uncheckedCompact: text(codeRange)),
                    description: text(descriptionRange),
                    billable: billable,
                    parent: parentRange.isEmpty ? nil : ICD10Code(uncheckedCompact: text(parentRange)),
                    excludes1: excludes,
                    manifestation: manifestation))
            }
            return entries
        }
    }
}

private extension String {
    var replacingTabs: String { split(separator: "\t", omittingEmptySubsequences: false).joined(separator: "\\t") }
}
