import Foundation
import Testing
import Yams
@testable import ScrubService

/// docs/openapi.yaml is the single source of the API description; the service serves it
/// from a generated Swift file (a static binary has no docs/ beside it). These fail when
/// the two drift apart or the document stops matching the shipped examples.
@Suite struct OpenAPIDocumentTests {
    static let yamlURL = repositoryRoot.appendingPathComponent("docs/openapi.yaml")
    static let swiftURL = repositoryRoot.appendingPathComponent("Sources/ScrubService/OpenAPIDocument.swift")

    @Test func embeddedDocumentIsGeneratedFromTheYAML() throws {
        let generated = try OpenAPIGenerator.swiftSource(yaml: String(contentsOf: Self.yamlURL, encoding: .utf8))
        if ProcessInfo.processInfo.environment["CLAIMSCRUB_WRITE_DOCS"] == "1" {
            try generated.write(to: Self.swiftURL, atomically: true, encoding: .utf8)
        }
        let committed = try String(contentsOf: Self.swiftURL, encoding: .utf8)
        #expect(committed == generated, "OpenAPIDocument.swift is stale: run scripts/generate-openapi")
    }

    @Test func servedDocumentIsValidJSONOfOpenAPI31() throws {
        let doc = try #require(JSONSerialization.jsonObject(with: Data(OpenAPIDocument.json.utf8)) as? [String: Any])
        #expect(doc["openapi"] as? String == "3.1.0")
        let components = try #require(doc["components"] as? [String: Any])
        let responses = try #require(components["responses"] as? [String: Any])
        // Every problem status of API.md §1 has a described response.
        let scrub = try #require((doc["paths"] as? [String: Any])?["/v1/scrub"] as? [String: Any])
        let codes = try #require((scrub["post"] as? [String: Any])?["responses"] as? [String: Any])
        for status in ["200", "400", "401", "405", "408", "411", "413", "414", "415", "431", "503", "505"] {
            #expect(codes[status] != nil, "POST /v1/scrub lacks \(status)")
        }
        #expect(responses["InputProblem"] != nil)
    }

    /// The request examples are the shipped example claims (as JSON values) and 837P fixture.
    @Test func requestExamplesAreTheShippedExamples() throws {
        let doc = try #require(JSONSerialization.jsonObject(with: Data(OpenAPIDocument.json.utf8)) as? [String: Any])
        let content = try #require(
            (((doc["components"] as? [String: Any])?["requestBodies"] as? [String: Any])?["Claim"] as? [String: Any])?["content"]
                as? [String: Any])
        let examples = try #require(content["application/json"] as? [String: Any])
        let named = try #require(examples["examples"] as? [String: Any])
        let folder = repositoryRoot.appendingPathComponent("Tests/ClaimScrubTests/Fixtures/examples")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".claim.json") }.sorted()
        #expect(files.count == 8)
        #expect(Set(named.keys) == Set(files.map { String($0.dropLast(".claim.json".count)) }))
        for file in files {
            let name = String(file.dropLast(".claim.json".count))
            let expected = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent(file)))
            let value = try #require((named[name] as? [String: Any])?["value"])
            #expect(NSDictionary(dictionary: ["v": value]).isEqual(to: ["v": expected]), "example \(name) differs from \(file)")
        }
        // The X12 request example is the shipped 837P fixture, byte for byte.
        let x12 = try #require((content["application/edi-x12"] as? [String: Any])?["examples"] as? [String: Any])
        let fixture = try String(contentsOf: repositoryRoot.appendingPathComponent("Tests/ClaimScrubTests/Fixtures/x12/multi-claim.837"), encoding: .utf8)
        #expect((x12["multi-claim"] as? [String: Any])?["value"] as? String == fixture)
    }
}

/// YAML (as Yams composes it, key order kept) → pretty JSON → the Swift file the service embeds.
enum OpenAPIGenerator {
    static func swiftSource(yaml: String) throws -> String {
        guard let node = try Yams.compose(yaml: yaml) else { throw Failure("docs/openapi.yaml is empty") }
        var json = ""
        try write(node, indent: "", to: &json)
        precondition(!json.contains("\"\"\"##"), "the document holds the raw string delimiter")
        return """
            // Generated from docs/openapi.yaml by scripts/generate-openapi. Do not edit:
            // OpenAPIDocumentTests fails when this differs from the YAML.

            /// The OpenAPI 3.1 document served at `/openapi.json`.
            public enum OpenAPIDocument {
                public static let json = ##\"\"\"
            \(json)
            \"\"\"##
            }

            """
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ d: String) { description = d }
    }

    private static func write(_ node: Node, indent: String, to out: inout String) throws {
        let inner = indent + "  "
        switch node {
        case .mapping(let mapping):
            if mapping.isEmpty { out += "{}"; return }
            out += "{\n"
            for (i, pair) in mapping.enumerated() {
                guard let key = pair.key.string else { throw Failure("a mapping key that is not a scalar") }
                out += inner + quote(key) + ": "
                try write(pair.value, indent: inner, to: &out)
                out += i == mapping.count - 1 ? "\n" : ",\n"
            }
            out += indent + "}"
        case .sequence(let sequence):
            if sequence.isEmpty { out += "[]"; return }
            out += "[\n"
            for (i, element) in sequence.enumerated() {
                out += inner
                try write(element, indent: inner, to: &out)
                out += i == sequence.count - 1 ? "\n" : ",\n"
            }
            out += indent + "]"
        case .scalar(let scalar):
            switch Tag.Name(rawValue: node.tag.rawValue) {
            case .null: out += "null"
            case .bool: out += node.bool == true ? "true" : "false"
            case .int:
                guard let i = node.int else { throw Failure("integer \(scalar.string)") }
                out += String(i)
            case .float:
                guard let d = node.float, d.isFinite else { throw Failure("number \(scalar.string)") }
                out += d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : String(d)
            default: out += quote(scalar.string)
            }
        case .alias:
            throw Failure("YAML aliases are not used in the document")
        }
    }

    private static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where u.value < 0x20:
                let hex = String(u.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }
}
