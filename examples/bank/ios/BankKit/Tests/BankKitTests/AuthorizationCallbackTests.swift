import XCTest
@testable import BankKit

final class AuthorizationCallbackTests: XCTestCase {
    private let issuer = URL(string: "http://localhost:4000")!

    private func code(_ callback: String, requireIssuer: Bool = true) throws -> String {
        try authorizationCode(
            from: URL(string: callback)!, expectedState: "s1", issuer: issuer, requireIssuer: requireIssuer)
    }

    private func assertFails(_ callback: String, with expected: BankKitError, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try code(callback), file: file, line: line) { error in
            XCTAssertEqual(error as? BankKitError, expected, file: file, line: line)
        }
    }

    func testReturnsTheCode() throws {
        let callback = "bank.stepup.example:/oauth/callback?code=abc-123&state=s1&iss=http%3A%2F%2Flocalhost%3A4000"
        XCTAssertEqual(try code(callback), "abc-123")
        XCTAssertEqual(try code("bank.stepup.example:/oauth/callback?code=abc&state=s1", requireIssuer: false), "abc")
    }

    func testStateIsCheckedFirst() {
        assertFails("bank.stepup.example:/oauth/callback?code=abc&state=s2&iss=http%3A%2F%2Flocalhost%3A4000",
                    with: .authorizationStateMismatch)
        assertFails("bank.stepup.example:/oauth/callback?error=access_denied", with: .authorizationStateMismatch)
    }

    func testIssuerIsChecked() {
        assertFails("bank.stepup.example:/oauth/callback?code=abc&state=s1&iss=http%3A%2F%2Fevil.example",
                    with: .authorizationIssuerMismatch)
        assertFails("bank.stepup.example:/oauth/callback?code=abc&state=s1", with: .authorizationIssuerMismatch)
    }

    func testTheServersErrorIsReported() {
        assertFails(
            "bank.stepup.example:/oauth/callback?error=unmet_authentication_requirements"
                + "&error_description=No%20security%20key&state=s1&iss=http%3A%2F%2Flocalhost%3A4000",
            with: .authorizationFailed(error: "unmet_authentication_requirements", description: "No security key"))
    }

    func testRepeatedOrMissingParametersAreRefused() {
        assertFails("bank.stepup.example:/oauth/callback?code=a&code=b&state=s1&iss=http%3A%2F%2Flocalhost%3A4000",
                    with: .authorizationResponseInvalid("parameter code appears twice"))
        assertFails("bank.stepup.example:/oauth/callback?state=s1&iss=http%3A%2F%2Flocalhost%3A4000",
                    with: .authorizationResponseInvalid("the redirect carries neither code nor error"))
    }
}
