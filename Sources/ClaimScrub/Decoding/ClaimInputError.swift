/// Why a request body is not a claim: malformed JSON or wrong JSON types (HTTP 400).
/// Never carries the offending value itself, only where it is and what was expected.
public struct ClaimInputError: Error, Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// Not JSON at all (RFC 8259): `byteOffset` says where.
        case syntax
        /// JSON, but a value has the wrong type (or the top level is not an object).
        case type
    }

    public struct Problem: Sendable, Equatable {
        /// RFC 6901 pointer of the value (`/serviceLines/0/units`); `""` for the document.
        public var pointer: String
        /// What was wrong and what is accepted: "expected an integer, got a string".
        public var detail: String
        public init(pointer: String, detail: String) {
            self.pointer = pointer
            self.detail = detail
        }
    }

    public var kind: Kind
    public var errors: [Problem]
    /// For syntax errors: the 0-based offset of the offending byte.
    public var byteOffset: Int?

    public init(kind: Kind, errors: [Problem], byteOffset: Int? = nil) {
        self.kind = kind
        self.errors = errors
        self.byteOffset = byteOffset
    }

    public init(_ syntax: JSONSyntaxError) {
        self.init(
            kind: .syntax,
            errors: [Problem(pointer: syntax.pointer, detail: "\(syntax.expected) at byte \(syntax.offset)")],
            byteOffset: syntax.offset)
    }

    /// One line for logs and the CLI: "malformed JSON at byte 17 (/serviceLines/0): expected ',' or '}' …".
    public var summary: String {
        switch kind {
        case .syntax:
            let p = errors.first.map { $0.pointer.isEmpty ? "" : " (in \($0.pointer))" } ?? ""
            return "malformed JSON\(p): " + (errors.first?.detail ?? "")
        case .type:
            return "wrong JSON types: " + errors.map { "\($0.pointer.isEmpty ? "(document)" : $0.pointer): \($0.detail)" }
                .joined(separator: "; ")
        }
    }

    /// The RFC 9457 problem document for this error (status 400); `type` is
    /// `https://claimscrub.dev/problems/malformed-json` or `…/invalid-claim` (the service uses the same scheme).
    public var problem: ProblemDocument {
        switch kind {
        case .syntax:
            return ProblemDocument(
                type: "https://claimscrub.dev/problems/malformed-json", title: "Malformed JSON", status: 400,
                detail: "The request body is not valid JSON: " + (errors.first?.detail ?? "syntax error") + ".",
                errors: errors, byteOffset: byteOffset)
        case .type:
            return ProblemDocument(
                type: "https://claimscrub.dev/problems/invalid-claim", title: "Invalid claim", status: 400,
                detail: errors.count == 1
                    ? "One value of the claim has the wrong JSON type."
                    : "\(errors.count) values of the claim have the wrong JSON type.",
                errors: errors)
        }
    }
}

/// An RFC 9457 problem details document (`application/problem+json`). The engine
/// builds the 400s of claim input; the service builds the rest with the same type.
public struct ProblemDocument: Sendable, Equatable {
    public static let contentType = "application/problem+json"

    public var type: String
    public var title: String
    public var status: Int
    public var detail: String?
    /// Input errors: `errors: [{pointer, detail}]`.
    public var errors: [ClaimInputError.Problem]
    /// Syntax errors: where parsing stopped (extension member `byteOffset`).
    public var byteOffset: Int?

    public init(
        type: String = "about:blank", title: String, status: Int, detail: String? = nil,
        errors: [ClaimInputError.Problem] = [], byteOffset: Int? = nil
    ) {
        self.type = type
        self.title = title
        self.status = status
        self.detail = detail
        self.errors = errors
        self.byteOffset = byteOffset
    }

    public func encode() -> [UInt8] {
        var w = JSONWriter(capacity: 256)
        w.beginObject()
        w.key("type"); w.string(type)
        w.key("title"); w.string(title)
        w.key("status"); w.int(status)
        if let detail { w.key("detail"); w.string(detail) }
        if let byteOffset { w.key("byteOffset"); w.int(byteOffset) }
        if !errors.isEmpty {
            w.key("errors")
            w.beginArray()
            for e in errors {
                w.beginObject()
                w.key("pointer"); w.string(e.pointer)
                w.key("detail"); w.string(e.detail)
                w.endObject()
            }
            w.endArray()
        }
        w.endObject()
        return w.bytes
    }
}
