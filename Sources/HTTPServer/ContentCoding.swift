import ZlibStream

/// Content codings in both directions: request bodies decoded as they arrive, responses
/// compressed when the client accepts it.
public struct HTTPCompressionConfiguration: Sendable, Equatable {
    /// The most bytes a `Content-Encoding: gzip|deflate` request body may decode to; more is a 413.
    public var maxDecompressedBodyBytes: Int
    /// Decoded bytes per received byte allowed once the decoded body passes `ratioFloorBytes`;
    /// more is a 413 (a decompression bomb is stopped long before the size limit).
    public var maxCompressionRatio: Int
    /// Below this many decoded bytes the ratio is not checked, so small repetitive bodies pass.
    public var ratioFloorBytes: Int
    /// Responses with at least this many body bytes are gzip-compressed when `Accept-Encoding`
    /// allows; nil never compresses responses.
    public var responseMinBytes: Int?
    /// zlib level for responses: 1 (fast) … 9 (small).
    public var responseLevel: Int32

    public init(
        maxDecompressedBodyBytes: Int = 8 * 1024 * 1024, maxCompressionRatio: Int = 100, ratioFloorBytes: Int = 64 * 1024,
        responseMinBytes: Int? = 1024, responseLevel: Int32 = 6
    ) {
        self.maxDecompressedBodyBytes = maxDecompressedBodyBytes
        self.maxCompressionRatio = maxCompressionRatio
        self.ratioFloorBytes = ratioFloorBytes
        self.responseMinBytes = responseMinBytes
        self.responseLevel = responseLevel
    }
}

/// Why a request body's content coding could not be undone; each maps to a problem answer.
enum BodyDecodingError: Error, Equatable {
    case unsupportedCoding
    case tooLarge
    case corrupt

    var problem: HTTPResponse {
        switch self {
        case .unsupportedCoding:
            var problem = HTTPResponse.problem(
                status: 415, detail: "Only the gzip, deflate and identity content codings are accepted for request bodies.")
            problem.headers.add("Accept-Encoding", "gzip, deflate")
            return problem
        case .tooLarge:
            return .problem(status: 413, detail: "The request body decompresses to more than the server accepts.")
        case .corrupt:
            return .problem(status: 400, detail: "The request body is not valid data for its Content-Encoding.")
        }
    }
}

/// Undoes a request body's `Content-Encoding` (one or more of gzip/deflate, applied in the
/// order listed) chunk by chunk, never holding more than the limit plus one zlib chunk.
final class BodyDecoder {
    private enum Coding { case gzip, deflate }

    private struct Layer {
        let coding: Coding
        var inflater: Inflater?
        /// A `deflate` layer waits for two bytes to tell a zlib header from raw deflate.
        var prefix: [UInt8] = []
    }

    /// Codings beyond this many are refused (415) rather than decoded.
    static let maxLayers = 3
    private static let chunkSize = 32 * 1024

    private var layers: [Layer]
    private let configuration: HTTPCompressionConfiguration
    private(set) var receivedBytes = 0
    private(set) var decodedBytes = 0

    /// nil when the body needs no decoding (no `Content-Encoding`, or only `identity`).
    init?(headers: HTTPHeaders, configuration: HTTPCompressionConfiguration) throws(BodyDecodingError) {
        var codings: [Coding] = []
        for value in headers.values("content-encoding") {
            for item in value.split(separator: ",") {
                switch item.trimmingOWS.lowercased() {
                case "", "identity": continue
                case "gzip", "x-gzip": codings.append(.gzip)
                case "deflate": codings.append(.deflate)
                default: throw .unsupportedCoding
                }
            }
        }
        if codings.isEmpty { return nil }
        guard codings.count <= Self.maxLayers else { throw .unsupportedCoding }
        // Listed in the order applied: the last one applied is undone first.
        layers = codings.reversed().map { Layer(coding: $0) }
        self.configuration = configuration
    }

    /// Decodes `bytes` (the next part of the received body) onto the end of `body`.
    func feed(_ bytes: [UInt8], into body: inout [UInt8]) throws(BodyDecodingError) {
        receivedBytes += bytes.count
        do {
            try push(bytes, layer: 0, into: &body)
        } catch let error as BodyDecodingError {
            throw error
        } catch CompressionError.outputLimitExceeded {
            throw .tooLarge
        } catch {
            throw .corrupt
        }
    }

    /// Checks that every layer's stream was complete.
    func finish() throws(BodyDecodingError) {
        // A coding announced on an empty body decodes to nothing.
        if receivedBytes == 0 { return }
        for layer in layers where !(layer.inflater?.isFinished ?? false) { throw .corrupt }
    }

    private func push(_ bytes: [UInt8], layer index: Int, into body: inout [UInt8]) throws {
        if index == layers.count {
            decodedBytes += bytes.count
            if decodedBytes > configuration.maxDecompressedBodyBytes { throw BodyDecodingError.tooLarge }
            if decodedBytes > configuration.ratioFloorBytes && decodedBytes / max(receivedBytes, 1) > configuration.maxCompressionRatio {
                throw BodyDecodingError.tooLarge
            }
            body += bytes
            return
        }
        guard let inflater = try inflater(for: index, receiving: bytes) else { return }
        let input = layers[index].prefix.isEmpty ? bytes : layers[index].prefix + bytes
        layers[index].prefix = []
        try inflater.feed(input) { chunk in try push(chunk, layer: index + 1, into: &body) }
    }

    /// The layer's inflater, made on its first bytes; nil while a deflate layer still waits
    /// for the two bytes that tell its format (the bytes are kept meanwhile).
    private func inflater(for index: Int, receiving bytes: [UInt8]) throws -> Inflater? {
        if let inflater = layers[index].inflater { return inflater }
        // Inner layers carry compressed data, which is never much larger than its plain form.
        let limit = configuration.maxDecompressedBodyBytes + (index == layers.count - 1 ? 0 : 64 * 1024)
        let format: Inflater.Format
        switch layers[index].coding {
        case .gzip:
            format = .gzip
        case .deflate:
            let seen = layers[index].prefix + bytes
            guard seen.count >= 2 else {
                layers[index].prefix = seen
                return nil
            }
            // RFC 9110 `deflate` is zlib-wrapped; some clients send raw deflate. A zlib header
            // names method 8 and is a multiple of 31 read as a big-endian 16-bit number.
            let header = Int(seen[0]) << 8 | Int(seen[1])
            format = seen[0] & 0x0F == 8 && header % 31 == 0 ? .zlib : .raw
        }
        let inflater = try Inflater(format: format, outputLimit: limit, chunkSize: Self.chunkSize)
        layers[index].inflater = inflater
        return inflater
    }
}

/// Chooses and applies gzip for a response, following the request's `Accept-Encoding`.
enum ResponseCompression {
    /// The response as it should be sent: gzip-compressed when allowed, worthwhile and not
    /// already encoded; `Vary: Accept-Encoding` on every response whose coding could vary.
    static func apply(_ response: HTTPResponse, to request: HTTPRequest, configuration: HTTPCompressionConfiguration) -> HTTPResponse {
        guard let minBytes = configuration.responseMinBytes else { return response }
        let status = response.status
        guard !(100..<200).contains(status), status != 204, status != 304, !response.body.isEmpty,
            response.headers["content-encoding"] == nil,
            !response.headers.fields.contains(where: {
                HTTPHeaders.sameName($0.name, "cache-control") && $0.value.containsASCIICaseInsensitive("no-transform")
            })
        else { return response }
        var response = response
        addVary(&response.headers)
        let acceptance = Acceptance(request.headers.values("accept-encoding"))
        guard acceptance.gzip > 0, !acceptance.identityNamed || acceptance.gzip >= acceptance.identity,
            response.body.count >= minBytes || acceptance.identity == 0
        else { return response }
        guard let deflater = try? Deflater(format: .gzip, level: configuration.responseLevel),
            var compressed = try? deflater.feed(response.body), let tail = try? deflater.finish()
        else { return response }
        compressed += tail
        response.body = compressed
        response.headers.add("Content-Encoding", "gzip")
        // A strong validator names one representation; the gzip one gets its own.
        if let etag = response.headers["etag"], etag.hasPrefix("\""), etag.hasSuffix("\""), etag.count >= 2 {
            response.headers.set("ETag", String(etag.dropLast()) + "-gzip\"")
        }
        return response
    }

    private static func addVary(_ headers: inout HTTPHeaders) {
        guard headers.fields.contains(where: { HTTPHeaders.sameName($0.name, "vary") }) else {
            headers.add("Vary", "Accept-Encoding")
            return
        }
        let existing = headers.values("vary").flatMap { $0.split(separator: ",").map { $0.trimmingOWS.lowercased() } }
        if existing.contains("*") || existing.contains("accept-encoding") { return }
        headers.add("Vary", "Accept-Encoding")
    }

    /// The q-values `Accept-Encoding` gives gzip and identity (RFC 9110 §12.5.3).
    struct Acceptance: Equatable {
        var gzip: Double
        var identity: Double
        /// `identity` (or `*`) was given a weight, so the client's preference between it and gzip counts.
        var identityNamed: Bool

        init(_ values: [String]) {
            var gzip: Double?
            var identity: Double?
            var any: Double?
            for item in values.flatMap({ $0.split(separator: ",") }) {
                let parts = item.split(separator: ";")
                guard let first = parts.first else { continue }
                let name = first.trimmingOWS.lowercased()
                var q = 1.0
                for parameter in parts.dropFirst() {
                    let pair = parameter.split(separator: "=", maxSplits: 1)
                    if pair.count == 2, pair[0].trimmingOWS.lowercased() == "q" {
                        q = Double(pair[1].trimmingOWS).map { min(max($0, 0), 1) } ?? 0
                    }
                }
                switch name {
                case "gzip", "x-gzip": gzip = max(gzip ?? 0, q)
                case "identity": identity = q
                case "*": any = q
                default: continue
                }
            }
            // No header: identity only. `*` stands for every coding not named, identity included
            // only when it excludes it (`*;q=0`).
            self.gzip = gzip ?? any ?? 0
            self.identity = identity ?? (any == 0 ? 0 : 1)
            self.identityNamed = identity != nil || any == 0
        }
    }
}
