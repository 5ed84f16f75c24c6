import XCTest
@testable import BankKit

final class MoneyTests: XCTestCase {
    func testParsesAmountsToMinorUnits() {
        XCTAssertEqual(Money.minorUnits(from: "1000"), 100_000)
        XCTAssertEqual(Money.minorUnits(from: "1000.5"), 100_050)
        XCTAssertEqual(Money.minorUnits(from: "1000,50"), 100_050)
        XCTAssertEqual(Money.minorUnits(from: " 0.01 "), 1)
        XCTAssertEqual(Money.minorUnits(from: "1000.01"), 100_001)
    }

    func testRefusesEverythingElse() {
        for text in ["", "0", "0.00", "-5", "+5", "1.", ".5", "1.234", "1,000.00", "1 000", "1e3", "abc", "99999999999999999999"] {
            XCTAssertNil(Money.minorUnits(from: text), text)
        }
    }

    func testMinorUnitsToDecimal() {
        XCTAssertEqual(Money.decimal(fromMinorUnits: 123_456), Decimal(string: "1234.56"))
        XCTAssertEqual(Money.decimal(fromMinorUnits: -5), Decimal(string: "-0.05"))
    }
}
