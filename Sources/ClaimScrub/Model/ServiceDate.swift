#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A calendar date without a time zone (a date of service, an onset date).
public struct ServiceDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Only real dates: `2026-02-30` is rejected.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              (1...ServiceDate.daysIn(month: month, year: year)).contains(day) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses exactly `YYYY-MM-DD`.
    public init?(iso text: some StringProtocol) {
        let b = Array(text.utf8)
        guard b.count == 10, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-") else { return nil }
        func digits(_ r: Range<Int>) -> Int? {
            var v = 0
            for i in r {
                guard b[i] >= 48, b[i] <= 57 else { return nil }
                v = v * 10 + Int(b[i] - 48)
            }
            return v
        }
        guard let y = digits(0..<4), let m = digits(5..<7), let d = digits(8..<10) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// Days since 1970-01-01 (proleptic Gregorian), for differences between dates.
    public var daysSinceEpoch: Int {
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    public init(daysSinceEpoch z0: Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.year = yoe + era * 400 + (m <= 2 ? 1 : 0)
        self.month = m
        self.day = d
    }

    /// Today's date in UTC, from the system clock: the default "today" for future dates and
    /// filing limits wherever a caller has not pinned one.
    public static func todayUTC() -> ServiceDate {
        ServiceDate(daysSinceEpoch: Int(time(nil)) / 86_400)
    }

    public func adding(days: Int) -> ServiceDate { ServiceDate(daysSinceEpoch: daysSinceEpoch + days) }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    public var description: String {
        // Messages name dates often: ten ASCII digits and dashes written straight into a
        // small string (no allocation) when every part fits its width.
        if fitsTenBytes {
            return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 10) { b in
                writeTenBytes(to: b.baseAddress!)
                return String(decoding: UnsafeBufferPointer(b), as: UTF8.self)
            }
        }
        func pad(_ v: Int, _ n: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, n - s.count)) + s
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    /// Every part fits its width (`YYYY-MM-DD`, ten bytes).
    var fitsTenBytes: Bool { (0...9999).contains(year) && (0...99).contains(month) && (0...99).contains(day) }

    /// `YYYY-MM-DD` into `out`'s first ten bytes (`fitsTenBytes` must hold).
    func writeTenBytes(to out: UnsafeMutablePointer<UInt8>) {
        let zero = UInt8(ascii: "0"), dash = UInt8(ascii: "-")
        out[0] = zero + UInt8(year / 1000)
        out[1] = zero + UInt8(year / 100 % 10)
        out[2] = zero + UInt8(year / 10 % 10)
        out[3] = zero + UInt8(year % 10)
        out[4] = dash
        out[5] = zero + UInt8(month / 10)
        out[6] = zero + UInt8(month % 10)
        out[7] = dash
        out[8] = zero + UInt8(day / 10)
        out[9] = zero + UInt8(day % 10)
    }

    public static func < (a: ServiceDate, b: ServiceDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }
}
