import Testing
import ClaimScrub
@testable import claimscrub

@Suite struct CodesCommandTests {
    static let library: CodeSetLibrary = {
        func e(_ c: String, _ d: String, billable: Bool = true, parent: String? = nil, excludes1: [CodePattern] = []) -> CodeEntry {
            CodeEntry(code: ICD10Code(c)!, description: d, billable: billable, parent: parent.map { ICD10Code($0)! }, excludes1: excludes1)
        }
        let old = CodeSet(version: "2025", validFrom: ServiceDate(iso: "2024-10-01")!, validThrough: ServiceDate(iso: "2025-09-30")!,
                          entries: [e("S30.1XXA", "Contusion of abdominal wall, initial encounter")])
        let new = CodeSet(
            version: "2026-04-01", validFrom: ServiceDate(iso: "2025-10-01")!, validThrough: ServiceDate(iso: "2026-09-30")!,
            entries: [e("M54", "Dorsalgia", billable: false, excludes1: [.code(ICD10Code("M54.99")!)]),
                      e("M54.6", "Pain in thoracic spine", parent: "M54", excludes1: [.prefix("M51")]),
                      e("M51", "Thoracic, thoracolumbar and lumbosacral intervertebral disc disorders", billable: false)])
        return CodeSetLibrary(releases: [old, new])
    }()

    @Test func showsDescriptionParentAndResolvedExcludes1() {
        let (text, code) = CodesCommand.describe(ICD10Code("m546")!, date: ServiceDate(iso: "2026-01-05"), library: Self.library)
        #expect(code == 0)
        #expect(text.hasPrefix("M54.6  Pain in thoracic spine\n"))
        #expect(text.contains("parent:         M54"))
        #expect(text.contains("M51.-  Thoracic, thoracolumbar and lumbosacral intervertebral disc disorders"))
        #expect(text.contains("M54.99  (note of M54)"))
    }

    @Test func codeOfAnotherReleaseExitsOneAndSaysWhere() {
        let (text, code) = CodesCommand.describe(ICD10Code("S30.1XXA")!, date: ServiceDate(iso: "2026-01-05"), library: Self.library)
        #expect(code == 1)
        #expect(text.contains("it is in release 2025"))
        #expect(CodesCommand.describe(ICD10Code("S30.1XXA")!, date: ServiceDate(iso: "2025-01-05"), library: Self.library).1 == 0)
    }
}
