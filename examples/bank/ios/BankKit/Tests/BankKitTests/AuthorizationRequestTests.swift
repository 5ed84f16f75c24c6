import XCTest
@testable import BankKit

final class AuthorizationRequestTests: XCTestCase {
    func testURLsFromTheVectors() throws {
        let vectors = try VectorFile.load().authorizeUrls.cases
        XCTAssertFalse(vectors.isEmpty)
        for vector in vectors {
            let input = vector.input
            let request = AuthorizationRequest(
                authorizationEndpoint: try XCTUnwrap(URL(string: input.authorizationEndpoint)),
                clientID: input.clientId, redirectURI: input.redirectUri, scope: input.scope,
                state: input.state, nonce: input.nonce, codeChallenge: input.codeChallenge,
                resource: input.resource, acrValues: input.acrValues ?? [], maxAge: input.maxAge)
            XCTAssertEqual(try request.url().absoluteString, vector.expected, vector.name)
        }
    }

    func testStartAuthorizationForAStepUp() throws {
        let appendixB: [UInt8] = [
            116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186,
            22, 212, 37, 77, 105, 214, 191, 240, 91, 88, 5, 88, 83, 132, 141, 121,
        ]
        let client = OAuthClient(
            configuration: try .bankForTests(), transport: StubTransport([]),
            random: ScriptedRandom([appendixB, Array(repeating: 0, count: 32), Array(repeating: 255, count: 32)]))
        let pending = try client.startAuthorization(
            for: StepUpRequirement(acrValues: ["urn:stepup:bank:acr:high"], maxAge: 300))
        XCTAssertEqual(pending.codeVerifier, "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
        XCTAssertEqual(pending.state, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
        XCTAssertEqual(pending.nonce, "__________________________________________8")
        XCTAssertEqual(
            pending.url.absoluteString,
            "http://localhost:4000/auth?response_type=code&client_id=bank-ios"
                + "&redirect_uri=bank.stepup.example%3A%2Foauth%2Fcallback&scope=openid%20offline_access"
                + "&state=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA&nonce=__________________________________________8"
                + "&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256"
                + "&resource=http%3A%2F%2Flocalhost%3A4001&acr_values=urn%3Astepup%3Abank%3Aacr%3Ahigh&max_age=300")
    }

    func testASignInCarriesNoStepUpParameters() throws {
        let client = OAuthClient(configuration: try .bankForTests(), transport: StubTransport([]), random: ScriptedRandom())
        let query = try XCTUnwrap(try client.startAuthorization().url.query)
        XCTAssertFalse(query.contains("acr_values"))
        XCTAssertFalse(query.contains("max_age"))
    }

    func testConfigurationIsCheckedWhenMade() {
        let issuer = URL(string: "http://localhost:4000")!
        let make = { (redirect: String, clientID: String) in
            try OAuthConfiguration(
                issuer: issuer, authorizationEndpoint: issuer.appendingPathComponent("auth"),
                tokenEndpoint: issuer.appendingPathComponent("token"), clientID: clientID,
                redirectURI: URL(string: redirect)!, scope: "openid")
        }
        XCTAssertNoThrow(try make("bank.stepup.example:/oauth/callback", "bank-ios"))
        XCTAssertThrowsError(try make("https://bank.example/callback", "bank-ios"))
        XCTAssertThrowsError(try make("bank:/oauth/callback", "bank-ios"))
        XCTAssertThrowsError(try make("bank.stepup.example:/oauth/callback", ""))
    }
}

extension OAuthConfiguration {
    static func bankForTests(requiresIssuerParameter: Bool = true) throws -> OAuthConfiguration {
        let issuer = URL(string: "http://localhost:4000")!
        return try OAuthConfiguration(
            issuer: issuer, authorizationEndpoint: URL(string: "http://localhost:4000/auth")!,
            tokenEndpoint: URL(string: "http://localhost:4000/token")!, clientID: "bank-ios",
            redirectURI: URL(string: "bank.stepup.example:/oauth/callback")!, scope: "openid offline_access",
            resource: "http://localhost:4001", requiresIssuerParameter: requiresIssuerParameter)
    }
}
