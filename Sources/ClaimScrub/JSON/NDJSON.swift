/// Newline-delimited JSON (one document per line), as `POST /v1/scrub/batch` and
/// `claimscrub scrub FILE.ndjson` read it.
public enum NDJSON {
    /// The non-blank lines with their 1-based line numbers; a trailing CR is dropped.
    public static func records(_ bytes: [UInt8]) -> [(number: Int, bytes: ArraySlice<UInt8>)] {
        var out: [(Int, ArraySlice<UInt8>)] = []
        var start = 0
        var number = 1
        for i in 0...bytes.count where i == bytes.count || bytes[i] == 0x0A {
            var line = bytes[start..<i]
            if line.last == 0x0D { line = line.dropLast() }
            if line.contains(where: { $0 != 0x20 && $0 != 0x09 }) { out.append((number, line)) }
            start = i + 1
            number += 1
        }
        return out
    }
}
