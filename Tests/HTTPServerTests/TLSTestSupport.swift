import COpenSSL
import Foundation
@testable import HTTPServer
import Testing

#if canImport(Glibc)
import Glibc
#endif

let opensslPath = "/usr/bin/openssl"
let curlPath = "/usr/bin/curl"
let haveTLSTools = FileManager.default.isExecutableFile(atPath: opensslPath) && FileManager.default.isExecutableFile(atPath: curlPath)

struct ToolResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs a command line tool to completion; stdin is empty. Tools are given their own time limits.
func runTool(_ path: String, _ arguments: [String], currentDirectory: String? = nil) throws -> ToolResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    if let currentDirectory { process.currentDirectoryURL = URL(fileURLWithPath: currentDirectory) }
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    // Drain stderr on the side so neither pipe can fill up and stall the tool.
    let errData = Locked(Data())
    let errDone = DispatchSemaphore(value: 0)
    DispatchQueue.global().async {
        let data = err.fileHandleForReading.readDataToEndOfFile()
        errData.withLock { $0 = data }
        errDone.signal()
    }
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    errDone.wait()
    process.waitUntilExit()
    return ToolResult(
        status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
        stderr: String(decoding: errData.withLock { $0 }, as: UTF8.self))
}

/// A throwaway PKI made with the openssl command line in a temp dir: two CAs, server
/// certificates (valid, a second one for reloads, an expired one) and client certificates.
final class TestPKI: Sendable {
    let directory: String

    static let shared = Result { try TestPKI() }

    init() throws {
        directory = NSTemporaryDirectory() + "claimscrub-tls-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        // Made once per test process (the shared instance); its keys go when the process does.
        atexit {
            if case .success(let pki) = TestPKI.shared { try? FileManager.default.removeItem(atPath: pki.directory) }
        }
        try makeCA("ca", subject: "/CN=claimscrub test CA")
        try makeCA("otherca", subject: "/CN=another CA")
        let server = "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n"
        let client = "extendedKeyUsage=clientAuth\nbasicConstraints=CA:FALSE\n"
        try makeLeaf("server", ca: "ca", subject: "/O=First/CN=localhost", extensions: server, days: 2)
        try makeLeaf("server2", ca: "ca", subject: "/O=Second/CN=localhost", extensions: server, days: 2)
        try makeLeaf("expired", ca: "ca", subject: "/O=Expired/CN=localhost", extensions: server, days: -1)
        try makeLeaf("client", ca: "ca", subject: "/O=Test Gateway/CN=gateway-1", extensions: client, days: 2)
        try makeLeaf("intruder", ca: "otherca", subject: "/CN=intruder", extensions: client, days: 2)
    }

    func pem(_ name: String) -> String { "\(directory)/\(name).pem" }
    func key(_ name: String) -> String { "\(directory)/\(name).key" }

    /// A fresh copy of a certificate and key under new names, for tests that overwrite them.
    func copy(_ name: String, as newName: String) throws {
        for path in [(pem(name), pem(newName)), (key(name), key(newName))] {
            try? FileManager.default.removeItem(atPath: path.1)
            try FileManager.default.copyItem(atPath: path.0, toPath: path.1)
        }
    }

    private func openssl(_ arguments: [String]) throws {
        let result = try runTool(opensslPath, arguments, currentDirectory: directory)
        guard result.status == 0 else { throw ClientError(description: "openssl \(arguments.first ?? ""): \(result.stderr)") }
    }

    private func makeCA(_ name: String, subject: String) throws {
        try openssl([
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", key(name), "-out", pem(name),
            "-days", "2", "-subj", subject, "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        ])
    }

    private func makeLeaf(_ name: String, ca: String, subject: String, extensions: String, days: Int) throws {
        let extensionFile = "\(directory)/\(name).ext"
        try extensions.write(toFile: extensionFile, atomically: true, encoding: .utf8)
        try openssl([
            "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", key(name),
            "-out", "\(directory)/\(name).csr", "-subj", subject,
        ])
        try openssl([
            "x509", "-req", "-in", "\(directory)/\(name).csr", "-CA", pem(ca), "-CAkey", key(ca), "-CAcreateserial",
            "-out", pem(name), "-days", "\(days)", "-extfile", extensionFile,
        ])
    }
}

func testPKI() throws -> TestPKI { try TestPKI.shared.get() }

func tlsConfiguration(
    _ pki: TestPKI, certificate: String = "server", clientAuthentication: TLSConfiguration.ClientAuthentication = .none,
    handshakeTimeout: Duration = .seconds(2)
) -> HTTPServerConfiguration {
    var configuration = testConfiguration()
    configuration.tls = TLSConfiguration(
        certificateChainFile: pki.pem(certificate), privateKeyFile: pki.key(certificate), clientCAFile: pki.pem("ca"),
        clientAuthentication: clientAuthentication, handshakeTimeout: handshakeTimeout)
    return configuration
}

/// A blocking TLS client over a `RawClient`'s socket (its receive timeout applies).
final class TestTLSClient {
    private let context: OpaquePointer
    private let ssl: OpaquePointer

    init(fd: Int32, caFile: String, certificate: (pem: String, key: String)? = nil) throws {
        guard let context = SSL_CTX_new(TLS_client_method()) else { throw ClientError(description: "SSL_CTX_new") }
        self.context = context
        guard let ssl = SSL_new(context) else {
            SSL_CTX_free(context)
            throw ClientError(description: "SSL_new")
        }
        self.ssl = ssl
        _ = claimscrub_SSL_CTX_set_options(context, claimscrub_SSL_OP_IGNORE_UNEXPECTED_EOF)
        guard SSL_CTX_load_verify_locations(context, caFile, nil) == 1 else { throw ClientError(description: "CA file") }
        SSL_CTX_set_verify(context, SSL_VERIFY_PEER, nil)
        if let certificate {
            guard SSL_use_certificate_chain_file(ssl, certificate.pem) == 1,
                SSL_use_PrivateKey_file(ssl, certificate.key, SSL_FILETYPE_PEM) == 1
            else { throw ClientError(description: "client certificate") }
        }
        _ = SSL_set1_host(ssl, "localhost")
        _ = SSL_set_fd(ssl, fd)
        guard SSL_connect(ssl) == 1 else { throw ClientError(description: "handshake failed") }
    }

    deinit {
        SSL_free(ssl)
        SSL_CTX_free(context)
    }

    /// Bytes read, 0 at the end of the stream, -1 on error or timeout.
    func read(_ pointer: UnsafeMutableRawPointer, count: Int) -> Int {
        let rc = SSL_read(ssl, pointer, Int32(count))
        if rc > 0 { return Int(rc) }
        let code = SSL_get_error(ssl, rc)
        if code == SSL_ERROR_WANT_READ || code == SSL_ERROR_WANT_WRITE {
            errno = EAGAIN
            return -1
        }
        // close_notify, EOF or an alert (the server refusing us): the stream is over.
        return 0
    }

    func write(_ pointer: UnsafeRawPointer, count: Int) -> Int {
        let rc = SSL_write(ssl, pointer, Int32(count))
        return rc > 0 ? Int(rc) : -1
    }

    /// The server certificate's subject, `/O=First/CN=localhost` style.
    var peerSubject: String? {
        guard let certificate = SSL_get1_peer_certificate(ssl) else { return nil }
        defer { X509_free(certificate) }
        guard let text = X509_NAME_oneline(X509_get_subject_name(certificate), nil, 0) else { return nil }
        defer { free(text) }
        return String(cString: text)
    }
}

extension RawClient {
    /// Performs a TLS handshake on this connection; later sends and reads go through it.
    func startTLS(caFile: String, certificate: (pem: String, key: String)? = nil) throws {
        tls = try TestTLSClient(fd: fd, caFile: caFile, certificate: certificate)
    }
}

/// Answers with the verified client subject (or `-`), so tests see what the handler saw.
struct SubjectHandler: HTTPHandler {
    func handle(_ request: HTTPRequest) -> HTTPResponse {
        HTTPResponse(status: 200, body: Array((request.clientSubject ?? "-").utf8))
    }
}
