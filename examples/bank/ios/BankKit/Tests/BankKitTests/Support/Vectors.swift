import Foundation
import XCTest

/// The shared vectors (Vectors/vectors.json, also run by examples/bank/ios/test/vectors.test.ts).
struct VectorFile: Decodable {
    struct ChallengeCase: Decodable {
        let name: String
        let header: String
        let expected: [ExpectedChallenge]?
        let error: String?
    }

    struct ExpectedChallenge: Decodable {
        let scheme: String
        let params: [String: String]
        let token68: String?
    }

    struct PKCECase: Decodable {
        let name: String
        let randomOctets: [UInt8]?
        let verifier: String
        let challenge: String
    }

    struct InvalidVerifier: Decodable {
        let name: String
        let verifier: String
    }

    struct AuthorizeURLs: Decodable {
        let cases: [AuthorizeURLCase]
    }

    struct AuthorizeURLCase: Decodable {
        let name: String
        let input: AuthorizeInput
        let expected: String
    }

    struct AuthorizeInput: Decodable {
        let authorizationEndpoint: String
        let clientId: String
        let redirectUri: String
        let scope: String
        let state: String
        let nonce: String
        let codeChallenge: String
        let resource: String?
        let acrValues: [String]?
        let maxAge: Int?
    }

    let challenges: [ChallengeCase]
    let pkce: [PKCECase]
    let pkceInvalid: [InvalidVerifier]
    let authorizeUrls: AuthorizeURLs

    static func load() throws -> VectorFile {
        let url = try XCTUnwrap(
            Bundle.module.url(forResource: "vectors", withExtension: "json", subdirectory: "Vectors"),
            "Vectors/vectors.json is not in the test bundle")
        return try JSONDecoder().decode(VectorFile.self, from: Data(contentsOf: url))
    }
}
