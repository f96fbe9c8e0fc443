#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reading configuration and data files: the one kind of I/O the engine does.
public enum FileBytes {
    /// The whole file, or nil when it cannot be opened or read.
    public static func read(_ path: String) -> [UInt8]? {
        guard let f = fopen(path, "rb") else { return nil }
        defer { fclose(f) }
        var out: [UInt8] = []
        // Reserve the file's size up front: appending by doubling would briefly hold up to
        // twice a large file (the NCCI PTP table is ~100 MB).
        if fseek(f, 0, SEEK_END) == 0 {
            let size = ftell(f)
            if size > 0 { out.reserveCapacity(size) }
            rewind(f)
        }
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, f) }
            if n > 0 { out.append(contentsOf: chunk[0..<n]) }
            if n < chunk.count {
                if ferror(f) != 0 { return nil }
                break
            }
        }
        return out
    }

    public static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }
}
