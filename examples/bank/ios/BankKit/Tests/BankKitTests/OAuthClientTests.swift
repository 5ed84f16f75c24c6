import XCTest
@testable import BankKit

final class OAuthClientTests: XCTestCase {
    private let now = Date(timeIntervalSince1970: 1_700_000_000)

    func testCompleteAuthorizationRedeemsTheCodeWithTheVerifier() async throws {
        let transport = StubTransport([
            .init(status: 200, json: #"{"access_token":"at1","token_type":"Bearer","expires_in":300,"refresh_token":"rt1"}"#),
        ])
        let fixedNow = now
        let client = OAuthClient(
            configuration: try .bankForTests(), transport: transport, random: ScriptedRandom(), now: { fixedNow })
        let pending = try client.startAuthorization()
        let callback = URL(string: "bank.stepup.example:/oauth/callback?code=c%2B1&state=\(pending.state)&iss=http%3A%2F%2Flocalhost%3A4000")!

        let tokens = try await client.completeAuthorization(pending, callbackURL: callback)

        XCTAssertEqual(tokens.accessToken, "at1")
        XCTAssertEqual(tokens.expiresAt, now.addingTimeInterval(300))
        let request = try XCTUnwrap(transport.requests.first)
        XCTAssertEqual(request.url?.absoluteString, "http://localhost:4000/token")
        XCTAssertEqual(request.httpMethod, "POST")
        XCTAssertEqual(request.value(forHTTPHeaderField: "Content-Type"), "application/x-www-form-urlencoded")
        XCTAssertEqual(
            String(decoding: try XCTUnwrap(request.bodyBytes), as: UTF8.self),
            "grant_type=authorization_code&code=c%2B1&redirect_uri=bank.stepup.example%3A%2Foauth%2Fcallback"
                + "&client_id=bank-ios&code_verifier=\(pending.codeVerifier)&resource=http%3A%2F%2Flocalhost%3A4001")
    }

    func testAWrongStateNeverReachesTheTokenEndpoint() async throws {
        let transport = StubTransport([])
        let client = OAuthClient(configuration: try .bankForTests(), transport: transport, random: ScriptedRandom())
        let pending = try client.startAuthorization()
        let callback = URL(string: "bank.stepup.example:/oauth/callback?code=c1&state=other&iss=http%3A%2F%2Flocalhost%3A4000")!
        do {
            _ = try await client.completeAuthorization(pending, callbackURL: callback)
            XCTFail("expected a state mismatch")
        } catch {
            XCTAssertEqual(error as? BankKitError, .authorizationStateMismatch)
        }
        XCTAssertTrue(transport.requests.isEmpty)
    }

    func testRefresh() async throws {
        let transport = StubTransport([.init(status: 200, json: #"{"access_token":"at2","token_type":"Bearer"}"#)])
        let client = OAuthClient(configuration: try .bankForTests(), transport: transport, random: ScriptedRandom())
        let old = TokenSet(accessToken: "at1", refreshToken: "rt1", idToken: nil, scope: nil, expiresAt: nil)

        let tokens = try await client.refresh(old)

        XCTAssertEqual(tokens.accessToken, "at2")
        XCTAssertEqual(tokens.refreshToken, "rt1")
        XCTAssertEqual(
            String(decoding: try XCTUnwrap(transport.requests.first?.bodyBytes), as: UTF8.self),
            "grant_type=refresh_token&refresh_token=rt1&client_id=bank-ios&resource=http%3A%2F%2Flocalhost%3A4001")
    }

    func testRefreshWithoutARefreshTokenMeansSignIn() async throws {
        let client = OAuthClient(configuration: try .bankForTests(), transport: StubTransport([]), random: ScriptedRandom())
        do {
            _ = try await client.refresh(TokenSet(accessToken: "at", refreshToken: nil, idToken: nil, scope: nil, expiresAt: nil))
            XCTFail("expected notSignedIn")
        } catch {
            XCTAssertEqual(error as? BankKitError, .notSignedIn)
        }
    }

    func testDiscoveryChecksTheIssuer() async throws {
        let document = #"{"issuer":"http://localhost:4000","authorization_endpoint":"http://localhost:4000/auth","#
            + #""token_endpoint":"http://localhost:4000/token","code_challenge_methods_supported":["S256"],"#
            + #""authorization_response_iss_parameter_supported":true}"#
        let transport = StubTransport([.init(status: 200, json: document)])
        let metadata = try await ProviderMetadata.discover(issuer: URL(string: "http://localhost:4000")!, transport: transport)
        XCTAssertEqual(transport.requests.first?.url?.absoluteString, "http://localhost:4000/.well-known/openid-configuration")
        let configuration = try OAuthConfiguration(
            metadata: metadata, clientID: "bank-ios", redirectURI: URL(string: "bank.stepup.example:/oauth/callback")!,
            scope: "openid")
        XCTAssertEqual(configuration.tokenEndpoint.absoluteString, "http://localhost:4000/token")
        XCTAssertTrue(configuration.requiresIssuerParameter)

        let impostor = StubTransport([.init(status: 200, json: document)])
        do {
            _ = try await ProviderMetadata.discover(issuer: URL(string: "http://localhost:5000")!, transport: impostor)
            XCTFail("expected an issuer mismatch")
        } catch {
            XCTAssertEqual((error as? BankKitError)?.code, "ERR_AUTHORIZATION_RESPONSE_INVALID")
        }
    }
}
