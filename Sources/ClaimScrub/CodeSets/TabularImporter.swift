/// Reads the official ICD-10-CM Tabular List XML (`<ICD10CM.tabular>`) into code entries.
///
/// 7th characters are expanded: a `<sevenChrDef>` applies to every leaf below the
/// `<diag>` that carries it (the nearest definition wins), a code shorter than 6
/// characters is padded with `X`, and the expanded codes are the billable leaves whose
/// parent is the code they expand from. A note of the form "7th characters D and S do not
/// apply to codes in category S06 with 6th character 7 …, or 8 …" removes those
/// combinations (S06.1X7D does not exist; S06.1X7A does). Only a `<diag>`'s own notes are kept; chapter
/// and section notes are not attached to codes.
public enum TabularImporter {
    /// Imports a Tabular List file, gzip or plain.
    public static func entries(file path: String) throws -> [CodeEntry] {
        let bytes: [UInt8]
        do { bytes = try Gzip.readFile(path) } catch {
            throw CodeSetError.badData(file: path, line: 0, message: "\(error)")
        }
        return try entries(xml: bytes, source: path)
    }

    public static func entries(xml bytes: [UInt8], source: String = "<tabular xml>") throws -> [CodeEntry] {
        let nodes: [Node]
        do { nodes = try parse(bytes) } catch let e as XMLTokenizer.SyntaxError {
            throw CodeSetError.badData(file: source, line: e.line, message: e.message)
        }
        var entries: [CodeEntry] = []
        entries.reserveCapacity(nodes.count * 2)
        var notes: [Int: [String]] = [:]  // entry index → its Excludes1 note texts
        for root in nodes.indices where nodes[root].parent == nil {
            try expand(root, in: nodes, inherited: nil, exceptions: [], into: &entries, notes: &notes, source: source)
        }
        guard !entries.isEmpty else {
            throw CodeSetError.badData(file: source, line: 0, message: "no <diag> codes found; is this an ICD-10-CM Tabular List?")
        }
        let resolver = ExcludesNoteParser(entries: entries)
        for (index, texts) in notes {
            // Several notes of one code may name the same code; keep each pattern once, in order.
            var seen = Set<CodePattern>()
            entries[index].excludes1 = texts.flatMap { resolver.patterns(in: $0) }.filter { seen.insert($0).inserted }
        }
        return entries
    }

    // MARK: - Parsing

    private struct Node {
        var name = ""
        var desc = ""
        var excludes1: [String] = []
        var codeFirst = false
        var sevenChr: [(char: String, text: String)]?
        var sevenChrExceptions: [SevenChrException] = []
        var children: [Int] = []
        var parent: Int?
    }

    private static func parse(_ bytes: [UInt8]) throws -> [Node] {
        var tokenizer = XMLTokenizer(bytes: bytes)
        var nodes: [Node] = []
        nodes.reserveCapacity(50_000)
        var path: [String] = []
        var diagStack: [Int] = []
        var extensionChar = ""
        var sawRoot = false

        // The element `depth` levels above the current one (0 = current).
        func parent(_ depth: Int) -> String? { path.count > depth ? path[path.count - 1 - depth] : nil }

        while let event = try tokenizer.next() {
            switch event {
            case let .start(name, attributes):
                if !sawRoot {
                    guard name == "ICD10CM.tabular" else {
                        throw XMLTokenizer.SyntaxError(line: tokenizer.line, message: "root element is <\(name)>, expected <ICD10CM.tabular>")
                    }
                    sawRoot = true
                }
                path.append(name)
                switch name {
                case "diag":
                    let index = nodes.count
                    var node = Node()
                    node.parent = diagStack.last
                    nodes.append(node)
                    if let p = diagStack.last { nodes[p].children.append(index) }
                    diagStack.append(index)
                case "codeFirst" where parent(1) == "diag":
                    nodes[diagStack.last!].codeFirst = true
                case "sevenChrDef" where parent(1) == "diag":
                    nodes[diagStack.last!].sevenChr = []
                case "extension" where parent(1) == "sevenChrDef" && parent(2) == "diag":
                    extensionChar = attributes["char"] ?? ""
                    nodes[diagStack.last!].sevenChr!.append((extensionChar, ""))
                default:
                    break
                }
            case let .end(name):
                guard path.last == name else {
                    throw XMLTokenizer.SyntaxError(line: tokenizer.line, message: "</\(name)> closes <\(path.last ?? "nothing")>")
                }
                path.removeLast()
                if name == "diag" { diagStack.removeLast() }
            case let .text(text):
                guard let current = diagStack.last, let element = parent(0) else { continue }
                switch element {
                case "name" where parent(1) == "diag":
                    nodes[current].name += text
                case "desc" where parent(1) == "diag":
                    nodes[current].desc += text
                case "note" where parent(1) == "excludes1" && parent(2) == "diag":
                    nodes[current].excludes1.append(text)
                case "note" where parent(1) == "notes" && parent(2) == "diag":
                    if let exception = SevenChrException(note: text) {
                        nodes[current].sevenChrExceptions.append(exception)
                    }
                case "extension" where parent(1) == "sevenChrDef" && parent(2) == "diag":
                    let last = nodes[current].sevenChr!.count - 1
                    nodes[current].sevenChr![last].text += text
                default:
                    break
                }
            }
        }
        guard path.isEmpty else {
            throw XMLTokenizer.SyntaxError(line: tokenizer.line, message: "document ends inside <\(path.last!)>")
        }
        return nodes
    }

    private static func expand(
        _ index: Int, in nodes: [Node], inherited: [(char: String, text: String)]?,
        exceptions inheritedExceptions: [SevenChrException],
        into entries: inout [CodeEntry], notes: inout [Int: [String]], source: String
    ) throws {
        let node = nodes[index]
        guard let code = ICD10Code(node.name) else {
            throw CodeSetError.badData(file: source, line: 0, message: "<diag> name '\(node.name)' is not an ICD-10-CM code")
        }
        let parent = node.parent.flatMap { ICD10Code(nodes[$0].name) }
        let sevenChr = node.sevenChr ?? inherited
        let exceptions = inheritedExceptions + node.sevenChrExceptions
        let isLeaf = node.children.isEmpty
        let expands = isLeaf && sevenChr != nil && !(sevenChr!.isEmpty)
        if !node.excludes1.isEmpty { notes[entries.count] = node.excludes1 }
        entries.append(CodeEntry(
            code: code, description: node.desc, billable: isLeaf && !expands, parent: parent,
            manifestation: node.codeFirst || isManifestationTitle(node.desc)))
        if expands {
            var padded = code.compact
            while padded.utf8.count < 6 { padded += "X" }
            let sixth = padded.utf8.dropFirst(5).first
            for ext in sevenChr! where !exceptions.contains(where: { $0.excludes(seventh: ext.char, sixth: sixth) }) {
                let description = node.desc + ", " + ext.text
                entries.append(CodeEntry(
                    code: ICD10Code(uncheckedCompact: padded + ext.char.uppercased()),
                    description: description, billable: true, parent: code,
                    manifestation: isManifestationTitle(description)))
            }
        }
        for child in node.children {
            try expand(child, in: nodes, inherited: sevenChr, exceptions: exceptions, into: &entries, notes: &notes, source: source)
        }
    }

    /// The ICD-10-CM convention: a manifestation code's title says so.
    static func isManifestationTitle(_ title: String) -> Bool {
        title.lowercased().contains("in diseases classified elsewhere")
    }
}

/// "7th characters D and S do not apply to codes in category S06 with 6th character 7 - …,
/// or 8 - …": the 7th characters a note withholds from codes with given 6th characters.
struct SevenChrException {
    var seventh: Set<String>
    var sixth: Set<UInt8>

    init?(note: String) {
        guard let notApply = note.firstRange(of: " not apply to codes"),
              let withSixth = note.firstRange(of: "with 6th character"),
              let head = note.firstRange(of: "7th character"), head.upperBound < notApply.lowerBound
        else { return nil }
        // "s D and S do" → D, S
        seventh = Set(note[head.upperBound..<notApply.lowerBound].split(separator: " ")
            .map { $0.trimmingCharacters(in: ",") }
            .filter { $0.count == 1 && $0.allSatisfy { $0.isUppercase || $0.isNumber } })
        // "7 - death …, or 8 - death …" → 7, 8
        var sixth = Set<UInt8>()
        for piece in note[withSixth.upperBound...].split(separator: ",") {
            var words = piece.split(separator: " ")
            if words.first == "or" { words.removeFirst() }
            if let first = words.first, first.utf8.count == 1, words.dropFirst().first == "-" {
                sixth.insert(first.utf8.first!)
            }
        }
        guard !seventh.isEmpty, !sixth.isEmpty else { return nil }
        self.sixth = sixth
    }

    func excludes(seventh char: String, sixth: UInt8?) -> Bool {
        guard let sixth else { return false }
        return self.sixth.contains(sixth) && seventh.contains(char)
    }
}

/// Turns the parenthesised code references of an Excludes1 note into patterns.
///
/// `(M51.-)` → every code under M51; `(M54.1-)` → under M54.1; `(M54.6)` → M54.6 itself,
/// or every code under it when it is a header in this release (a note naming `S39.012`
/// means its 7th-character codes); `(G43.-, G44.-)` → both; `(C00-C96)` or
/// `(S22.0-S22.9)` → every code of that length in the range, as prefixes. Parenthesised
/// text that is not a list of code references (`(acute)`, `(T36-T65 with …)`) is ignored.
struct ExcludesNoteParser {
    private let hasChildren: Set<String>
    /// Compact codes grouped by length, each group sorted: ranges are looked up in them.
    private let byLength: [Int: [String]]

    init(entries: [CodeEntry]) {
        var parents = Set<String>()
        var groups: [Int: [String]] = [:]
        for e in entries {
            if let p = e.parent { parents.insert(p.compact) }
            groups[e.code.compact.utf8.count, default: []].append(e.code.compact)
        }
        for k in groups.keys { groups[k]!.sort() }
        hasChildren = parents
        byLength = groups
    }

    func patterns(in note: String) -> [CodePattern] {
        var out: [CodePattern] = []
        var rest = Substring(note)
        while let open = rest.firstIndex(of: "(") {
            guard let close = rest[open...].firstIndex(of: ")") else { break }
            for item in rest[rest.index(after: open)..<close].split(separator: ",") {
                out += reference(item.trimmingSpaces)
            }
            rest = rest[rest.index(after: close)...]
        }
        return out
    }

    private func reference(_ item: Substring) -> [CodePattern] {
        let parts = item.split(separator: "-", omittingEmptySubsequences: true)
        if parts.count == 2, let low = Self.code(parts[0]), let high = Self.code(parts[1]) {
            return range(low.compact, high.compact)
        }
        guard parts.count == 1, let code = Self.code(parts[0]) else { return [] }
        let wildcard = item.hasSuffix("-")
        return [wildcard || hasChildren.contains(code.compact) ? .prefix(code.compact) : .code(code)]
    }

    private func range(_ low: String, _ high: String) -> [CodePattern] {
        let length = low.utf8.count
        guard let codes = byLength[length] else { return [] }
        var out: [CodePattern] = []
        for code in codes where code >= low && String(code.prefix(high.count)) <= high {
            out.append(.prefix(code))
        }
        return out
    }

    private static func code(_ text: Substring) -> ICD10Code? {
        var t = text.trimmingSpaces
        if t.hasSuffix(".") { t = t.dropLast() }
        // Codes have a digit second (`M51`); this keeps words like `(acute)` out.
        guard let code = ICD10Code(t), code.compact.utf8.dropFirst().first.map({ (0x30...0x39).contains($0) }) == true
        else { return nil }
        return code
    }
}

extension Substring {
    func trimmingCharacters(in set: Character) -> String {
        var s = self
        while s.first == set { s = s.dropFirst() }
        while s.last == set { s = s.dropLast() }
        return String(s)
    }

    var trimmingSpaces: Substring {
        var s = self
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return s
    }
}
