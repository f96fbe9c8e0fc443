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
        w.beginObject()
        if let claimId { w.key("claimId"); w.string(claimId) }
        w.key("status"); w.string(status.rawValue)
        w.key("denialRisk")
        w.beginObject()
        w.key("score"); w.int(denialRisk.score)
        w.key("level"); w.string(denialRisk.level.rawValue)
        w.endObject()
        w.key("summary")
        w.beginObject()
        w.key("errors"); w.int(summary.errors)
        w.key("warnings"); w.int(summary.warnings)
        w.key("info"); w.int(summary.info)
        w.endObject()
        w.key("findings")
        w.beginArray()
        // Read in place: iterating by value retained and released every string of each finding.
        for i in findings.indices { findings[i].write(to: &w, extraMembers: findingMembers) }
        w.endArray()
        w.key("fixes")
        w.beginArray()
        for i in fixes.indices { fixes[i].write(to: &w) }
        w.endArray()
        w.key("codeSet")
        w.beginObject()
        w.key("system"); w.string("ICD-10-CM")
        w.key("version"); w.string(codeSetVersion)
        w.endObject()
        w.key("rulesVersion"); w.string(rulesVersion)
        w.endObject()
    }
}

extension Finding {
    public func write(to w: inout JSONWriter) {
        write(to: &w, extraMembers: nil)
    }

    public func write(to w: inout JSONWriter, extraMembers: ((Finding, inout JSONWriter) -> Void)?) {
        w.beginObject()
        w.key("rule"); w.string(rule)
        w.key("category"); w.string(category.rawValue)
        w.key("severity"); w.string(severity.rawValue)
        w.key("message"); w.string(message)
        w.key("path"); w.string(path)
        w.key("codes")
        w.beginArray()
        for c in codes { w.string(c) }
        w.endArray()
        if let suggestion { w.key("suggestion"); w.string(suggestion) }
        if let evidence { w.key("evidence"); w.string(evidence) }
        if let likelyDenial { w.key("likelyDenial"); likelyDenial.write(to: &w) }
        if let reference { w.key("reference"); w.string(reference) }
        extraMembers?(self, &w)
        w.endObject()
    }
}

extension LikelyDenial {
    public func write(to w: inout JSONWriter) {
        w.beginObject()
        w.key("group"); w.string(group)
        w.key("carc"); w.string(carc)
        w.key("rarc")
        w.beginArray()
        for r in rarc { w.string(r) }
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
            w.key("op"); w.string("replace")
            w.key("path"); w.string(path)
            w.key("value"); value.write(to: &w)
        case .add(let path, let value):
            w.key("op"); w.string("add")
            w.key("path"); w.string(path)
            w.key("value"); value.write(to: &w)
        case .remove(let path):
            w.key("op"); w.string("remove")
            w.key("path"); w.string(path)
        case .move(let from, let path):
            w.key("op"); w.string("move")
            w.key("from"); w.string(from)
            w.key("path"); w.string(path)
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
