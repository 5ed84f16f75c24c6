import XCTest
@testable import BankKit

/// Runs every challenge vector through ``parseChallenges(_:)``. The TypeScript side runs the same file
/// through `@stepup/core` and `oauth4webapi`.
final class ChallengeVectorTests: XCTestCase {
    func testEveryChallengeVector() throws {
        let vectors = try VectorFile.load().challenges
        XCTAssertGreaterThanOrEqual(vectors.count, 30)
        for vector in vectors {
            if let expected = vector.expected {
                let parsed = try parseChallenges(vector.header)
                let wanted = expected.map { Challenge(scheme: $0.scheme, params: $0.params, token68: $0.token68) }
                XCTAssertEqual(parsed, wanted, vector.name)
            } else {
                XCTAssertEqual(vector.error, "malformed", vector.name)
                XCTAssertThrowsError(try parseChallenges(vector.header), vector.name) { error in
                    XCTAssertEqual((error as? BankKitError)?.code, "ERR_CHALLENGE_MALFORMED", vector.name)
                }
            }
        }
    }

    func testMalformedHeadersSayWhereAndWhy() {
        XCTAssertThrowsError(try parseChallenges(#"Bearer realm="example"#)) { error in
            XCTAssertEqual(error as? BankKitError, .challengeMalformed(.unterminatedQuotedString, offset: 13))
        }
        XCTAssertThrowsError(try parseChallenges(#"Bearer realm="a", Realm="b""#)) { error in
            XCTAssertEqual(error as? BankKitError, .challengeMalformed(.duplicateParameter("realm"), offset: 18))
        }
        XCTAssertThrowsError(try parseChallenges(#"Bearer realm="a" error="b""#)) { error in
            XCTAssertEqual(error as? BankKitError, .challengeMalformed(.expectedComma, offset: 17))
        }
        XCTAssertThrowsError(try parseChallenges(#"Bearer="a""#)) { error in
            XCTAssertEqual(error as? BankKitError, .challengeMalformed(.expectedSpaceAfterScheme, offset: 6))
        }
    }

    func testAnEmptyHeaderHasNoChallenges() throws {
        XCTAssertEqual(try parseChallenges(""), [])
        XCTAssertEqual(try parseChallenges(" , "), [])
    }

    func testNonASCIIInsideAQuotedStringIsKept() throws {
        let parsed = try parseChallenges(#"Bearer error_description="Überweisung über 1.000 €""#)
        XCTAssertEqual(parsed, [Challenge(scheme: "bearer", params: ["error_description": "Überweisung über 1.000 €"])])
    }
}
