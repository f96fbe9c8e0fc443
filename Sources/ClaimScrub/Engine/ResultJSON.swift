/// JSON encoding of results and the catalog, with the exact field names of API.md §3.
/// Optional fields that are absent are omitted.
extension ScrubResult {
    /// Enough for nearly every result in one allocation: a finding with its fix averages
    /// ~470 bytes, 95 % are under ~580 (over `scripts/gen-claims` output); 400 made four
    /// results in ten regrow and copy.
    var encodedSizeEstimate: Int { 512 + findings.count * 640 }

    public func encodeJSON() -> [UInt8] {
        var w = JSONWriter(capacity: encodedSizeEstimate)
        write(to: &w)
        return w.bytes
    }

    /// The result as one NDJSON record: the JSON and its line feed, in one buffer.
    public func encodeJSONLine() -> [UInt8] {
        var w = JSONWriter(capacity: encodedSizeEstimate + 1)
        write(to: &w)
        w.appendRaw(0x0A)
        return w.bytes
    }

    public func write(to w: inout JSONWriter) {
        write(to: &w, findingMembers: nil)
    }

    /// `findingMembers`, when given, appends extra members to each finding object after
    /// the contract's own (API.md allows extra members), e.g. the X12 segment of an 837P
    /// claim's finding. It must write only `key` + value pairs.
    public func write(to w: inout JSONWriter, findingMembers: ((Finding, inout JSONWriter) -> Void)?) {
        // Member names and enum values go out as fixed bytes (`key(fixed:)`, `member`): no
        // escape scan, and one append per member instead of two.
        w.beginObject()
        if let claimId { w.member("claimId", claimId) }
        w.key(fixed: "status"); w.string(fixed: status.fixedRawValue)
        w.key(fixed: "denialRisk")
        w.beginObject()
        w.key(fixed: "score"); w.int(denialRisk.score)
        w.key(fixed: "level"); w.string(fixed: denialRisk.level.fixedRawValue)
        w.endObject()
        w.key(fixed: "summary")
        w.beginObject()
        w.key(fixed: "errors"); w.int(summary.errors)
        w.key(fixed: "warnings"); w.int(summary.warnings)
        w.key(fixed: "info"); w.int(summary.info)
        w.endObject()
        w.key(fixed: "findings")
        w.beginArray()
        // Read in place: iterating by value retained and released every string of each finding.
        for i in findings.indices { findings[i].write(to: &w, extraMembers: findingMembers) }
        w.endArray()
        w.key(fixed: "fixes")
        w.beginArray()
        for i in fixes.indices { fixes[i].write(to: &w) }
        w.endArray()
        w.key(fixed: "codeSet")
        w.beginObject()
        w.key(fixed: "system"); w.string(fixed: "ICD-10-CM")
        w.member("version", codeSetVersion)
        w.endObject()
        w.member("rulesVersion", rulesVersion)
        w.endObject()
    }
}

extension Finding {
    public func write(to w: inout JSONWriter) {
        write(to: &w, extraMembers: nil)
    }

    public func write(to w: inout JSONWriter, extraMembers: ((Finding, inout JSONWriter) -> Void)?) {
        // The rule's shared fields are read from its stamp in place, the codes from their inline
        // storage (`codes` builds an array).
        let stamp = self.stamp
        w.beginObject()
        w.member("rule", stamp.rule)
        w.key(fixed: "category"); w.string(fixed: stamp.category.fixedRawValue)
        w.key(fixed: "severity"); w.string(fixed: stamp.severity.fixedRawValue)
        writeText(to: &w, "message", suggestion: false)
        w.member("path", path)
        w.key(fixed: "codes")
        w.beginArray()
        switch codeList {
        case .none: break
        case .one(let a): w.string(a)
        case .two(let a, let b):
            w.string(a)
            w.string(b)
        case .many(let codes): for i in codes.indices { w.string(codes[i]) }
        }
        w.endArray()
        if suggestionStart != nil {
            writeText(to: &w, "suggestion", suggestion: true)
        } else if let separateSuggestion {
            w.member("suggestion", separateSuggestion)
        }
        if let evidence { w.member("evidence", evidence) }
        if let likelyDenial = stamp.likelyDenial { w.key(fixed: "likelyDenial"); likelyDenial.write(to: &w) }
        if let reference = referenceOverride ?? stamp.reference { w.member("reference", reference) }
        extraMembers?(self, &w)
        w.endObject()
    }
}

extension Finding {
    /// The message (or the suggestion) as a member, read in place from `text`: when the two
    /// share it, each is a slice of its bytes. No closure captures the finding (each capture
    /// copied it, every string retained).
    private func writeText(to w: inout JSONWriter, _ name: StaticString, suggestion: Bool) {
        guard let start = suggestionStart else {
            w.member(name, text)
            return
        }
        let written: Void? = text.utf8.withContiguousStorageIfAvailable { u in
            w.member(name, utf8: UnsafeBufferPointer(rebasing: suggestion ? u[start...] : u[..<start]))
        }
        if written == nil { w.member(name, (suggestion ? self.suggestion : message) ?? "") }
    }
}

extension LikelyDenial {
    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.member("group", group)
        w.member("carc", carc)
        w.key(fixed: "rarc")
        w.beginArray()
        for i in rarc.indices { w.string(rarc[i]) }
        w.endArray()
        w.endObject()
    }

    /// `CO-16 M81` for reports.
    public var text: String { ([group + "-" + carc] + rarc).joined(separator: " ") }
}

extension PatchOperation {
    public func write(to w: inout JSONWriter) {
        w.beginObject()
        switch self {
        case .replace(let path, let value):
            w.key(fixed: "op"); w.string(fixed: "replace")
            w.member("path", path)
            w.key(fixed: "value"); value.write(to: &w)
        case .add(let path, let value):
            w.key(fixed: "op"); w.string(fixed: "add")
            w.member("path", path)
            w.key(fixed: "value"); value.write(to: &w)
        case .remove(let path):
            w.key(fixed: "op"); w.string(fixed: "remove")
            w.member("path", path)
        case .move(let from, let path):
            w.key(fixed: "op"); w.string(fixed: "move")
            w.member("from", from)
            w.member("path", path)
        }
        w.endObject()
    }
}

extension PatchValue {
    public func write(to w: inout JSONWriter) {
        switch self {
        case .string(let s): w.string(s)
        case .int(let i): w.int(i)
        case .intArray(let xs):
            w.beginArray()
            for x in xs { w.int(x) }
            w.endArray()
        case .stringArray(let xs):
            w.beginArray()
            for x in xs { w.string(x) }
            w.endArray()
        }
    }
}

// The raw values as compile-time bytes for `JSONWriter.string(fixed:)`; a test pins each to `rawValue`.
extension ClaimStatus {
    var fixedRawValue: StaticString {
        switch self {
        case .pass: "pass"
        case .review: "review"
        case .fail: "fail"
        }
    }
}

extension RiskLevel {
    var fixedRawValue: StaticString {
        switch self {
        case .low: "low"
        case .medium: "medium"
        case .high: "high"
        }
    }
}

extension Severity {
    var fixedRawValue: StaticString {
        switch self {
        case .error: "error"
        case .warning: "warning"
        case .info: "info"
        }
    }
}

extension RuleCategory {
    var fixedRawValue: StaticString {
        switch self {
        case .structure: "structure"
        case .validity: "validity"
        case .specificity: "specificity"
        case .sequencing: "sequencing"
        case .pairing: "pairing"
        case .documentation: "documentation"
        case .units: "units"
        case .ncci: "ncci"
        case .modifier: "modifier"
        }
    }
}

extension ScrubEngine {
    /// `GET /v1/rules`: `{"rulesVersion": …, "rules": [{id, category, severity, weight,
    /// description, likelyDenial?, alternateDenial?, reference?, fixes, enabled, implemented}]}`.
    public func encodeCatalogJSON(profile: String? = nil) -> [UInt8] {
        var w = JSONWriter(capacity: 8192)
        w.beginObject()
        w.key("rulesVersion"); w.string(rulesVersion)
        w.key("rules")
        w.beginArray()
        for e in catalog(profile: profile) {
            let s = e.settings
            w.beginObject()
            w.key("id"); w.string(s.id)
            w.key("category"); w.string(s.category.rawValue)
            w.key("severity"); w.string(s.severity.rawValue)
            w.key("weight"); w.double(s.weight)
            w.key("description"); w.string(s.description)
            if let d = s.likelyDenial { w.key("likelyDenial"); d.write(to: &w) }
            if let d = s.alternateDenial { w.key("alternateDenial"); d.write(to: &w) }
            if let r = s.reference { w.key("reference"); w.string(r) }
            w.key("fixes"); w.bool(s.appliesFixes)
            w.key("enabled"); w.bool(s.enabled)
            w.key("implemented"); w.bool(e.implemented)
            w.endObject()
        }
        w.endArray()
        w.endObject()
        return w.bytes
    }
}
