import BankKit
import Foundation

extension Int64 {
    /// Minor units as a currency amount in the user's locale, e.g. 123456 EUR → "€1,234.56".
    func formattedMoney(currency: String) -> String {
        Money.decimal(fromMinorUnits: self).formatted(.currency(code: currency))
    }
}
