import HTTPServer
import Logging

extension ServiceConfiguration {
    /// The HTTP server's settings from these (the server keeps its own defaults for the
    /// request-line limit, linger time, buffer size and handler threads).
    public var serverConfiguration: HTTPServerConfiguration {
        var configuration = HTTPServerConfiguration(
            host: host,
            port: port,
            backlog: Int32(clamping: backlog),
            maxConnections: maxConnections,
            limits: HTTPParserLimits(maxHeaderSectionBytes: maxHeaderBytes, maxBodyBytes: maxBodyBytes),
            headerTimeout: headerTimeout,
            bodyIdleTimeout: bodyIdleTimeout,
            bodyTimeout: bodyTimeout,
            keepAliveIdleTimeout: idleTimeout,
            writeTimeout: writeTimeout,
            drainDeadline: drainDeadline,
            tls: tlsConfiguration,
            compression: HTTPCompressionConfiguration(
                maxDecompressedBodyBytes: compression.maxDecompressedBytes, maxCompressionRatio: compression.maxRatio,
                responseMinBytes: compression.minBytes, responseLevel: Int32(compression.level)),
            streaming: HTTPStreamingConfiguration(maxRequests: maxStreamingRequests, maxBodyBytes: maxStreamingBodyBytes)
        )
        if eventLoops > 0 { configuration.eventLoops = eventLoops }
        return configuration
    }

    var tlsConfiguration: TLSConfiguration? {
        guard let certificate = tls.certificateFile, let key = tls.keyFile else { return nil }
        let auth: TLSConfiguration.ClientAuthentication = switch tls.clientAuth {
        case "required": .required
        case "optional": .optional
        default: .none
        }
        return TLSConfiguration(
            certificateChainFile: certificate, privateKeyFile: key, clientCAFile: tls.clientCAFile,
            clientAuthentication: auth, handshakeTimeout: tls.handshakeTimeout)
    }
}

extension ClaimScrubService {
    /// Pass as the server's `onResponse`: counts and logs the answers the server gives
    /// itself (parse errors, limits, timeouts, overload), which never reach `handle`.
    /// Routed exchanges are already counted by `handle` and are ignored here.
    @Sendable public func recordServerRejection(_ record: HTTPExchangeRecord) {
        guard record.rejectedByServer else { return }
        let (seconds, attoseconds) = record.duration.components
        let duration = Double(seconds) + Double(attoseconds) / 1e18
        metrics.recordRequest(route: "rejected", method: record.method ?? "other", status: record.status, durationSeconds: duration)
        let id = record.requestID.flatMap { RequestID.isAcceptable($0) ? $0 : nil }
        logRequest(RequestLogLine(
            requestID: id, method: record.method ?? "-", route: "rejected", status: record.status, durationSeconds: duration,
            bytesIn: record.bytesIn, bytesOut: record.bytesOut, remote: record.remoteAddress))
    }
}
