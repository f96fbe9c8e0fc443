import COpenSSL

#if canImport(Glibc)
import Glibc
#endif

/// HTTPS settings. With them the listener speaks only TLS 1.2 and 1.3, in the server's cipher order.
public struct TLSConfiguration: Sendable, Equatable {
    /// Whether clients must present a certificate signed by `clientCAFile`.
    public enum ClientAuthentication: String, Sendable, Equatable, CaseIterable {
        /// No certificate is asked for.
        case none
        /// A certificate is asked for; a client without one is served, one with a bad one is refused.
        case optional
        /// A client without a valid certificate is refused during the handshake.
        case required
    }

    /// PEM: the server certificate first, then the intermediates.
    public var certificateChainFile: String
    /// PEM private key of the server certificate (unencrypted).
    public var privateKeyFile: String
    /// PEM bundle of the CAs that sign client certificates; required unless `clientAuthentication` is `.none`.
    public var clientCAFile: String?
    public var clientAuthentication: ClientAuthentication
    /// A client that has not finished its handshake by then is closed.
    public var handshakeTimeout: Duration
    /// TLS 1.2 cipher list in preference order (OpenSSL syntax); TLS 1.3 uses OpenSSL's suites.
    public var cipherList: String

    /// Forward-secret AEAD suites only (the Mozilla "intermediate" TLS 1.2 list).
    public static let defaultCipherList =
        "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
        + "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305"

    public init(
        certificateChainFile: String, privateKeyFile: String, clientCAFile: String? = nil,
        clientAuthentication: ClientAuthentication = .none, handshakeTimeout: Duration = .seconds(10),
        cipherList: String = TLSConfiguration.defaultCipherList
    ) {
        self.certificateChainFile = certificateChainFile
        self.privateKeyFile = privateKeyFile
        self.clientCAFile = clientCAFile
        self.clientAuthentication = clientAuthentication
        self.handshakeTimeout = handshakeTimeout
        self.cipherList = cipherList
    }
}

/// An `SSL_CTX` built from a `TLSConfiguration`; never changed once built, so connections share it.
/// A reload builds a new one; connections keep the context they started with (OpenSSL counts references).
final class TLSContext: @unchecked Sendable {
    // @unchecked: the SSL_CTX is configured in init only; OpenSSL makes SSL_new on it thread-safe.
    let context: OpaquePointer
    /// The leaf certificate's notAfter has passed.
    let certificateExpired: Bool

    init(_ configuration: TLSConfiguration) throws(HTTPServerError) {
        ERR_clear_error()
        guard let context = SSL_CTX_new(TLS_server_method()) else { throw .tls("cannot create a TLS context: \(tlsErrorText())") }
        self.context = context
        // From here on `deinit` frees the context when init throws.
        guard claimscrub_SSL_CTX_set_min_proto_version(context, TLS1_2_VERSION) == 1 else {
            throw .tls("cannot require TLS 1.2: \(tlsErrorText())")
        }
        _ = claimscrub_SSL_CTX_set_options(
            context,
            claimscrub_SSL_OP_CIPHER_SERVER_PREFERENCE | claimscrub_SSL_OP_NO_RENEGOTIATION | claimscrub_SSL_OP_NO_COMPRESSION)
        // Partial writes: the connection resumes a response where the socket stopped taking it.
        _ = claimscrub_SSL_CTX_set_mode(
            context,
            claimscrub_SSL_MODE_ENABLE_PARTIAL_WRITE | claimscrub_SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER
                | claimscrub_SSL_MODE_RELEASE_BUFFERS)
        guard SSL_CTX_set_cipher_list(context, configuration.cipherList) == 1 else {
            throw .tls("no usable cipher in \"\(configuration.cipherList)\": \(tlsErrorText())")
        }
        try Self.checkReadable(configuration.certificateChainFile, what: "certificate chain")
        try Self.checkReadable(configuration.privateKeyFile, what: "private key")
        guard SSL_CTX_use_certificate_chain_file(context, configuration.certificateChainFile) == 1 else {
            throw .tls("certificate chain \(configuration.certificateChainFile): \(tlsErrorText())")
        }
        guard SSL_CTX_use_PrivateKey_file(context, configuration.privateKeyFile, SSL_FILETYPE_PEM) == 1 else {
            throw .tls("private key \(configuration.privateKeyFile): \(tlsErrorText())")
        }
        guard SSL_CTX_check_private_key(context) == 1 else {
            throw .tls("private key \(configuration.privateKeyFile) does not match the certificate: \(tlsErrorText())")
        }
        let sessionID = Array("claimscrub".utf8)
        _ = SSL_CTX_set_session_id_context(context, sessionID, UInt32(sessionID.count))
        if configuration.clientAuthentication != .none {
            guard let caFile = configuration.clientCAFile else {
                throw .tls("client authentication \(configuration.clientAuthentication.rawValue) needs a client CA file")
            }
            try Self.checkReadable(caFile, what: "client CA file")
            guard SSL_CTX_load_verify_locations(context, caFile, nil) == 1, let names = SSL_load_client_CA_file(caFile) else {
                throw .tls("client CA file \(caFile): \(tlsErrorText())")
            }
            SSL_CTX_set_client_CA_list(context, names)
            let mode = SSL_VERIFY_PEER | (configuration.clientAuthentication == .required ? SSL_VERIFY_FAIL_IF_NO_PEER_CERT : 0)
            SSL_CTX_set_verify(context, mode, nil)
        }
        if let leaf = SSL_CTX_get0_certificate(context), let notAfter = X509_get0_notAfter(leaf) {
            certificateExpired = X509_cmp_current_time(notAfter) < 0
        } else {
            certificateExpired = false
        }
    }

    deinit { SSL_CTX_free(context) }

    /// fopen-style errors from OpenSSL are vague; say plainly when a file is missing or unreadable.
    private static func checkReadable(_ path: String, what: String) throws(HTTPServerError) {
        guard access(path, R_OK) == 0 else {
            throw .tls("\(what) \(path): \(String(cString: strerror(errno)))")
        }
    }
}

/// One connection's TLS state over its non-blocking socket. Every call returns at once;
/// `wantRead`/`wantWrite` say which readiness to wait for before calling again.
final class TLSSession {
    enum Outcome: Equatable {
        case done(Int)
        case wantRead
        case wantWrite
        /// The peer sent close_notify.
        case closed
        case failed(String)
    }

    private let ssl: OpaquePointer

    init?(context: TLSContext, fd: Int32) {
        guard let ssl = SSL_new(context.context) else { return nil }
        self.ssl = ssl
        // The socket BIO does not own the fd: the connection closes it.
        guard SSL_set_fd(ssl, fd) == 1 else { return nil }
        SSL_set_accept_state(ssl)
    }

    deinit { SSL_free(ssl) }

    func handshake() -> Outcome {
        ERR_clear_error()
        return outcome(SSL_do_handshake(ssl))
    }

    func read(into pointer: UnsafeMutableRawPointer, count: Int) -> Outcome {
        ERR_clear_error()
        return outcome(SSL_read(ssl, pointer, Int32(clamping: count)))
    }

    func write(from pointer: UnsafeRawPointer, count: Int) -> Outcome {
        ERR_clear_error()
        return outcome(SSL_write(ssl, pointer, Int32(clamping: count)))
    }

    /// Decrypted (or read but not yet decrypted) bytes OpenSSL holds that the socket's readiness will not announce.
    var hasBufferedPlaintext: Bool { SSL_pending(ssl) > 0 || SSL_has_pending(ssl) == 1 }

    /// Best effort close_notify before the write side is shut; never waits.
    func sendCloseNotify() {
        ERR_clear_error()
        _ = SSL_shutdown(ssl)
        ERR_clear_error()
    }

    /// `TLSv1.3` or `TLSv1.2`.
    var protocolVersion: String { String(cString: SSL_get_version(ssl)) }

    /// The client certificate's subject (RFC 2253), only when it was presented and verified.
    var verifiedPeerSubject: String? {
        guard let certificate = SSL_get1_peer_certificate(ssl) else { return nil }
        defer { X509_free(certificate) }
        guard SSL_get_verify_result(ssl) == X509_V_OK, let name = X509_get_subject_name(certificate),
            let bio = BIO_new(BIO_s_mem())
        else { return nil }
        defer { BIO_free(bio) }
        guard X509_NAME_print_ex(bio, name, 0, claimscrub_XN_FLAG_RFC2253) >= 0 else { return nil }
        var data: UnsafeMutablePointer<CChar>?
        let length = claimscrub_BIO_get_mem_data(bio, &data)
        guard let data, length > 0 else { return nil }
        return String(decoding: UnsafeRawBufferPointer(start: data, count: length), as: UTF8.self)
    }

    private func outcome(_ rc: Int32) -> Outcome {
        if rc > 0 { return .done(Int(rc)) }
        let code = SSL_get_error(ssl, rc)
        switch code {
        case SSL_ERROR_WANT_READ: return .wantRead
        case SSL_ERROR_WANT_WRITE: return .wantWrite
        case SSL_ERROR_ZERO_RETURN: return .closed
        case SSL_ERROR_SYSCALL:
            let savedErrno = errno
            let reason = tlsErrorText()
            return .failed(reason.isEmpty ? (savedErrno == 0 ? "connection closed" : String(cString: strerror(savedErrno))) : reason)
        default:
            return .failed(tlsErrorText())
        }
    }
}

/// The reasons on OpenSSL's (per-thread) error queue, oldest first; empties the queue.
func tlsErrorText() -> String {
    var reasons: [String] = []
    while true {
        let code = ERR_get_error()
        if code == 0 { break }
        if let reason = ERR_reason_error_string(code) {
            reasons.append(String(cString: reason))
        } else {
            reasons.append("error 0x\(String(code, radix: 16))")
        }
    }
    return reasons.joined(separator: "; ")
}
