import Foundation

/// Amounts typed by people, to minor units, without floating point.
public enum Money {
    /// Parses `"1000"`, `"1000.5"`, `"1000,50"` into minor units (`100000`, `100050`, `100050`).
    /// One decimal separator (`.` or `,`) and at most two fraction digits; no signs, no grouping.
    /// Returns nil for anything else, zero, or an amount that does not fit.
    public static func minorUnits(from text: String) -> Int64? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let separator: Character = trimmed.contains(",") ? "," : "."
        let parts = trimmed.split(separator: separator, omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let whole = parts.first, !whole.isEmpty else { return nil }
        let fraction = parts.count == 2 ? parts[1] : ""
        guard fraction.count <= 2, parts.count == 1 || !fraction.isEmpty else { return nil }
        let digits = String(whole) + String(fraction) + String(repeating: "0", count: 2 - fraction.count)
        guard digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let value = Int64(digits), value > 0 else {
            return nil
        }
        return value
    }

    /// The amount as a `Decimal` in major units, for `Decimal.FormatStyle.Currency`.
    public static func decimal(fromMinorUnits minor: Int64) -> Decimal {
        Decimal(minor) / 100
    }
}
