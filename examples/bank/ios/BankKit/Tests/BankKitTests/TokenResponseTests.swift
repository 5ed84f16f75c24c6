import XCTest
@testable import BankKit

final class TokenResponseTests: XCTestCase {
    private let now = Date(timeIntervalSince1970: 1_700_000_000)

    func testDecodesATokenResponse() throws {
        let json = #"{"access_token":"at1","token_type":"bearer","expires_in":600,"refresh_token":"rt1","id_token":"id1","scope":"openid offline_access"}"#
        let tokens = try decodeTokenResponse(Data(json.utf8), status: 200, receivedAt: now)
        XCTAssertEqual(tokens, TokenSet(
            accessToken: "at1", refreshToken: "rt1", idToken: "id1", scope: "openid offline_access",
            expiresAt: now.addingTimeInterval(600)))
        XCTAssertFalse(tokens.isExpired(at: now.addingTimeInterval(569)))
        XCTAssertTrue(tokens.isExpired(at: now.addingTimeInterval(570)))
    }

    func testARefreshWithoutRefreshTokenKeepsThePreviousOne() throws {
        let previous = TokenSet(accessToken: "old", refreshToken: "rt1", idToken: "id1", scope: "openid", expiresAt: nil)
        let json = #"{"access_token":"new","token_type":"Bearer"}"#
        let tokens = try decodeTokenResponse(Data(json.utf8), status: 200, receivedAt: now, previous: previous)
        XCTAssertEqual(tokens, TokenSet(accessToken: "new", refreshToken: "rt1", idToken: "id1", scope: "openid", expiresAt: nil))
        XCTAssertFalse(tokens.isExpired(at: .distantFuture))
    }

    func testRefusesWhatIsNotABearerTokenResponse() {
        let cases = [
            #"{"access_token":"at","token_type":"DPoP"}"#,
            #"{"access_token":"","token_type":"Bearer"}"#,
            #"{"access_token":"at","token_type":"Bearer","expires_in":-1}"#,
            #"{"token_type":"Bearer"}"#,
            #"{"access_token":"at","token_type":"Bearer","expires_in":"600"}"#,
            "<html>",
        ]
        for json in cases {
            XCTAssertThrowsError(try decodeTokenResponse(Data(json.utf8), status: 200, receivedAt: now), json) { error in
                XCTAssertEqual((error as? BankKitError)?.code, "ERR_TOKEN_RESPONSE_INVALID", json)
            }
        }
    }

    func testReportsTheOAuthError() {
        let json = #"{"error":"invalid_grant","error_description":"grant request is invalid"}"#
        XCTAssertThrowsError(try decodeTokenResponse(Data(json.utf8), status: 400, receivedAt: now)) { error in
            XCTAssertEqual(error as? BankKitError, .tokenRequestFailed(status: 400, error: "invalid_grant", description: "grant request is invalid"))
        }
        XCTAssertThrowsError(try decodeTokenResponse(Data("oops".utf8), status: 502, receivedAt: now)) { error in
            XCTAssertEqual(error as? BankKitError, .tokenRequestFailed(status: 502, error: nil, description: nil))
        }
    }
}
