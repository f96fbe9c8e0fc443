/// The spine regions of `documentation.painRegions` (API.md §2), in cranial-to-caudal order.
public enum SpineRegion: String, Sendable, CaseIterable, Comparable {
    case cervical, cervicothoracic, thoracic, thoracolumbar, lumbar, lumbosacral, sacral

    public static func < (a: SpineRegion, b: SpineRegion) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

public enum Laterality: String, Sendable, CaseIterable {
    case right, left, bilateral
}

// Finding texts that name a documented region or side, as string literals: interpolating
// them allocated for every unspecified code the documentation resolves.
extension SpineRegion {
    /// `documentation.painRegions: thoracic`, the evidence of a structured region.
    var painRegionsEvidence: String {
        switch self {
        case .cervical: "documentation.painRegions: cervical"
        case .cervicothoracic: "documentation.painRegions: cervicothoracic"
        case .thoracic: "documentation.painRegions: thoracic"
        case .thoracolumbar: "documentation.painRegions: thoracolumbar"
        case .lumbar: "documentation.painRegions: lumbar"
        case .lumbosacral: "documentation.painRegions: lumbosacral"
        case .sacral: "documentation.painRegions: sacral"
        }
    }

    /// `in the thoracic spine`.
    var spokenPlace: String {
        switch self {
        case .cervical: "in the cervical spine"
        case .cervicothoracic: "in the cervicothoracic spine"
        case .thoracic: "in the thoracic spine"
        case .thoracolumbar: "in the thoracolumbar spine"
        case .lumbar: "in the lumbar spine"
        case .lumbosacral: "in the lumbosacral spine"
        case .sacral: "in the sacral spine"
        }
    }
}

extension Laterality {
    /// `documentation.laterality: left`, the evidence of a structured side.
    var lateralityEvidence: String {
        switch self {
        case .right: "documentation.laterality: right"
        case .left: "documentation.laterality: left"
        case .bilateral: "documentation.laterality: bilateral"
        }
    }

    /// `on the left side`.
    var spokenPlace: String {
        switch self {
        case .right: "on the right side"
        case .left: "on the left side"
        case .bilateral: "on the bilateral side"
        }
    }
}

/// `Config/clinical/lexicon.yaml`: the phrases of free-text notes that establish a region
/// or a side, and the NegEx-style triggers that cancel them ("denies neck pain").
public struct PhraseLexicon: Sendable {
    public let regions: [SpineRegion: [String]]
    public let laterality: [Laterality: [String]]
    /// Triggers that negate a phrase after them in the same clause ("denies", "no", "negative for").
    public let negationBefore: [String]
    /// Triggers that negate a phrase before them in the same clause ("… ruled out").
    public let negationAfter: [String]
    /// Look like triggers but do not negate ("no change in", "not only").
    public let pseudoNegation: [String]
    /// Words that end a negation's scope inside a sentence ("but", "however").
    public let scopeTerminators: [String]
    /// Phrases that contain a region word but establish nothing ("neck supple", "thoracic outlet").
    public let ignored: [String]
    /// Built once from the lists above (sorting the phrases longest-first is per lexicon, not per claim).
    var matcher: PhraseMatcher { _matcher ?? PhraseMatcher(lexicon: self) }
    private var _matcher: PhraseMatcher?

    public init(
        regions: [SpineRegion: [String]], laterality: [Laterality: [String]], negationBefore: [String],
        negationAfter: [String], pseudoNegation: [String], scopeTerminators: [String], ignored: [String] = []
    ) {
        self.regions = regions
        self.laterality = laterality
        self.negationBefore = negationBefore
        self.negationAfter = negationAfter
        self.pseudoNegation = pseudoNegation
        self.scopeTerminators = scopeTerminators
        self.ignored = ignored
        self._matcher = PhraseMatcher(lexicon: self)
    }

    public static func load(yaml: String, file: String) throws -> PhraseLexicon {
        let root = try YAMLCursor.root(yaml: yaml, file: file)
        try root.checkKeys(["regions", "laterality", "negation", "ignore"])
        var regions: [SpineRegion: [String]] = [:]
        for (name, phrases) in try root.required("regions").mapping() {
            guard let region = SpineRegion(rawValue: name) else {
                throw phrases.fail("a region among \(SpineRegion.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            regions[region] = try phrases.strings()
        }
        var sides: [Laterality: [String]] = [:]
        if let lat = try root.optional("laterality") {
            for (name, phrases) in try lat.mapping() {
                guard let side = Laterality(rawValue: name) else { throw phrases.fail("right, left or bilateral") }
                sides[side] = try phrases.strings()
            }
        }
        let negation = try root.required("negation")
        try negation.checkKeys(["before", "after", "pseudo", "terminators"])
        return PhraseLexicon(
            regions: regions, laterality: sides,
            negationBefore: try negation.required("before").strings(),
            negationAfter: try negation.optional("after")?.strings() ?? [],
            pseudoNegation: try negation.optional("pseudo")?.strings() ?? [],
            scopeTerminators: try negation.optional("terminators")?.strings() ?? [],
            ignored: try root.optional("ignore")?.strings() ?? [])
    }
}

/// A fact found in the documentation and the evidence string a finding quotes
/// (`documentation.painRegions: thoracic`, `notes: "between the shoulder blades"`).
public struct DocumentedFact<Value: Hashable & Sendable>: Sendable, Equatable {
    public var value: Value
    public var evidence: String
}

/// The regions and sides the documentation establishes. Structured fields win: the notes
/// are read only when the structured field is absent, so a passing mention in free text
/// cannot contradict what the chart coded.
public struct DocumentedFacts: Sendable, Equatable {
    public var regions: [DocumentedFact<SpineRegion>] = []
    public var sides: [DocumentedFact<Laterality>] = []

    public init(_ documentation: Documentation?, lexicon: PhraseLexicon) {
        guard let documentation else { return }
        // The notes are read only when a structured field leaves something to find there.
        typealias Found = (regions: [DocumentedFact<SpineRegion>], sides: [DocumentedFact<Laterality>])
        var read: Found??
        func found() -> Found? {
            if let read { return read }
            let facts = documentation.notes.map { lexicon.matcher.facts(in: $0) }
            read = .some(facts)
            return facts
        }
        if let listed = documentation.painRegions, !listed.isEmpty {
            for raw in listed {
                let name = raw.trimmingSpaces.lowercased()
                if let r = SpineRegion(rawValue: name), !regions.contains(where: { $0.value == r }) {
                    regions.append(DocumentedFact(value: r, evidence: r.painRegionsEvidence))
                }
            }
        } else if let found = found() {
            regions = found.regions
        }
        if let raw = documentation.laterality, let side = Laterality(rawValue: raw.trimmingSpaces.lowercased()) {
            sides = [DocumentedFact(value: side, evidence: side.lateralityEvidence)]
        } else if let found = found() {
            sides = found.sides
        }
    }
}

/// Finds lexicon phrases in notes, skipping negated ones. Notes are split into sentences
/// (`.`, `!`, `?`, `;`, `:`, line breaks) and sentences into clauses at scope terminators;
/// a negation trigger covers its clause only (NegEx, Chapman et al. 2001, without the
/// fixed word window so that "no neck, shoulder or low back pain" is negated throughout).
struct PhraseMatcher: Sendable {
    private enum Role: Equatable, Sendable {
        case region(SpineRegion), side(Laterality), before, after, beforeOrAfter, pseudo, terminator, ignored
    }
    private struct Entry: Sendable {
        var words: [String]
        var role: Role
    }
    private struct Token {
        var word: String
        var range: Range<String.Index>
    }
    private let entries: [Entry]
    /// Indices into `entries` (longest first) by their first word: a token can only start
    /// the phrases that begin with it, so each position tries those, not the whole lexicon.
    private let byFirstWord: [String: [Int]]

    init(lexicon: PhraseLexicon) {
        var entries: [Entry] = []
        func add(_ phrases: [String], _ role: Role) {
            for p in phrases {
                let words = PhraseMatcher.words(of: p)
                if !words.isEmpty { entries.append(Entry(words: words, role: role)) }
            }
        }
        for r in SpineRegion.allCases { add(lexicon.regions[r] ?? [], .region(r)) }
        for s in Laterality.allCases { add(lexicon.laterality[s] ?? [], .side(s)) }
        add(lexicon.pseudoNegation, .pseudo)
        add(lexicon.ignored, .ignored)
        // A trigger listed both ways ("denied": "denied neck pain", "neck pain denied") negates either side.
        let both = Set(lexicon.negationBefore).intersection(lexicon.negationAfter)
        add(lexicon.negationBefore.filter { !both.contains($0) }, .before)
        add(lexicon.negationAfter.filter { !both.contains($0) }, .after)
        add(Array(both), .beforeOrAfter)
        add(lexicon.scopeTerminators, .terminator)
        // Longest first, so "no change" (pseudo) wins over "no" and "upper back" over "back".
        self.entries = entries.sorted { $0.words.count > $1.words.count }
        var byFirstWord: [String: [Int]] = [:]
        for (k, e) in self.entries.enumerated() { byFirstWord[e.words[0], default: []].append(k) }
        self.byFirstWord = byFirstWord
    }

    static func words(of text: String) -> [String] {
        tokens(of: text).map(\.word)
    }

    private static func isWordChar(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "'" }

    private static func tokens(of text: Substring) -> [Token] {
        var out: [Token] = []
        var i = text.startIndex
        while i < text.endIndex {
            if isWordChar(text[i]) {
                var j = i
                while j < text.endIndex, isWordChar(text[j]) { j = text.index(after: j) }
                out.append(Token(word: text[i..<j].lowercased(), range: i..<j))
                i = j
            } else {
                i = text.index(after: i)
            }
        }
        return out
    }

    private static func tokens(of text: String) -> [Token] { tokens(of: Substring(text)) }

    /// Sentences: split at `!?;:` and line breaks, and at `.` unless between two digits ("7.5").
    private static func sentences(of text: String) -> [Substring] {
        var out: [Substring] = []
        var start = text.startIndex
        var i = text.startIndex
        while i < text.endIndex {
            let c = text[i]
            var boundary = c.isNewline || "!?;:".contains(c)
            if c == "." {
                let next = text.index(after: i)
                let digitBefore = i > text.startIndex && text[text.index(before: i)].isNumber
                let digitAfter = next < text.endIndex && text[next].isNumber
                boundary = !(digitBefore && digitAfter)
            }
            if boundary {
                out.append(text[start..<i])
                start = text.index(after: i)
            }
            i = text.index(after: i)
        }
        out.append(text[start..<text.endIndex])
        return out
    }

    func facts(in notes: String) -> (regions: [DocumentedFact<SpineRegion>], sides: [DocumentedFact<Laterality>]) {
        var regions: [DocumentedFact<SpineRegion>] = []
        var sides: [DocumentedFact<Laterality>] = []
        for sentence in Self.sentences(of: notes) {
            let tokens = Self.tokens(of: sentence)
            // Greedy longest match from left to right.
            var matches: [(role: Role, range: Range<Int>)] = []
            var i = 0
            while i < tokens.count {
                if let k = byFirstWord[tokens[i].word]?.first(where: { k in
                    let e = entries[k]
                    return i + e.words.count <= tokens.count
                        && zip(e.words, tokens[i..<(i + e.words.count)]).allSatisfy { $0 == $1.word }
                }) {
                    let e = entries[k]
                    matches.append((e.role, i..<(i + e.words.count)))
                    i += e.words.count
                } else {
                    i += 1
                }
            }
            // Clauses: runs of matches between terminators.
            var clause: [(role: Role, range: Range<Int>)] = []
            func flush() {
                for (k, m) in clause.enumerated() {
                    let isFact: Bool
                    switch m.role {
                    case .region, .side: isFact = true
                    default: isFact = false
                    }
                    guard isFact else { continue }
                    let negated = clause[..<k].contains { $0.role == .before || $0.role == .beforeOrAfter }
                        || clause[(k + 1)...].contains { $0.role == .after || $0.role == .beforeOrAfter }
                    if negated { continue }
                    let lower = tokens[m.range.lowerBound].range.lowerBound
                    let upper = tokens[m.range.upperBound - 1].range.upperBound
                    let evidence = "notes: \"\(sentence[lower..<upper])\""
                    switch m.role {
                    case .region(let r) where !regions.contains(where: { $0.value == r }):
                        regions.append(DocumentedFact(value: r, evidence: evidence))
                    case .side(let s) where !sides.contains(where: { $0.value == s }):
                        sides.append(DocumentedFact(value: s, evidence: evidence))
                    default: break
                    }
                }
                clause = []
            }
            for m in matches {
                if m.role == .terminator { flush() } else { clause.append(m) }
            }
            flush()
        }
        return (regions, sides)
    }
}
