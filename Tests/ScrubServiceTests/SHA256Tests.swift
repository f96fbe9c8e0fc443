import Testing
@testable import ScrubService

@Suite struct SHA256Tests {
    @Test(arguments: [
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        ("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
         "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"),
    ])
    func fipsVectors(input: String, expected: String) {
        #expect(SHA256.hex(SHA256.hash(input.utf8)) == expected)
    }

    @Test func oneMillionAs() {
        var hasher = SHA256()
        let chunk = [UInt8](repeating: UInt8(ascii: "a"), count: 1000)
        for _ in 0..<1000 { hasher.update(chunk) }
        #expect(SHA256.hex(hasher.finalize()) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    /// Lengths around the 55/56/64-byte padding boundaries, checked against incremental hashing.
    @Test(arguments: [55, 56, 63, 64, 65, 119, 120])
    func paddingBoundariesMatchIncrementalHashing(length: Int) {
        let data = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        var split = SHA256()
        split.update(data.prefix(length / 3))
        split.update(data.dropFirst(length / 3))
        #expect(split.finalize() == SHA256.hash(data))
    }
}
