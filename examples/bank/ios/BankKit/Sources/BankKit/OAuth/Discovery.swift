import Foundation

/// The parts of an OpenID Provider's metadata (OpenID Connect Discovery 1.0 §3, RFC 8414 §2) BankKit uses.
public struct ProviderMetadata: Decodable, Equatable, Sendable {
    public let issuer: String
    public let authorizationEndpoint: URL
    public let tokenEndpoint: URL
    public let codeChallengeMethodsSupported: [String]?
    public let authorizationResponseIssParameterSupported: Bool?

    enum CodingKeys: String, CodingKey {
        case issuer
        case authorizationEndpoint = "authorization_endpoint"
        case tokenEndpoint = "token_endpoint"
        case codeChallengeMethodsSupported = "code_challenge_methods_supported"
        case authorizationResponseIssParameterSupported = "authorization_response_iss_parameter_supported"
    }

    /// Fetches `{issuer}/.well-known/openid-configuration` and checks that it names the same issuer
    /// (OpenID Connect Discovery §4.3) and supports S256 when it lists PKCE methods.
    ///
    /// It does not fetch or check the JWKS: this client never verifies a JWT itself.
    public static func discover(issuer: URL, transport: HTTPTransport) async throws -> ProviderMetadata {
        let url = issuer.appendingPathComponent(".well-known/openid-configuration")
        var request = URLRequest(url: url)
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        let (data, response) = try await transport.send(request)
        guard response.statusCode == 200 else {
            throw BankKitError.authorizationResponseInvalid("discovery answered \(response.statusCode)")
        }
        let metadata: ProviderMetadata
        do {
            metadata = try JSONDecoder().decode(ProviderMetadata.self, from: data)
        } catch {
            throw BankKitError.authorizationResponseInvalid("discovery document does not decode")
        }
        guard metadata.issuer == issuer.absoluteString else {
            throw BankKitError.authorizationResponseInvalid("discovery names issuer \(metadata.issuer)")
        }
        if let methods = metadata.codeChallengeMethodsSupported, !methods.contains(PKCE.method) {
            throw BankKitError.authorizationResponseInvalid("the server does not support PKCE S256")
        }
        return metadata
    }
}

extension OAuthConfiguration {
    /// A configuration from discovered metadata.
    public init(
        metadata: ProviderMetadata, clientID: String, redirectURI: URL, scope: String, resource: String? = nil
    ) throws {
        guard let issuer = URL(string: metadata.issuer) else {
            throw BankKitError.configurationInvalid("issuer is not a URL")
        }
        try self.init(
            issuer: issuer, authorizationEndpoint: metadata.authorizationEndpoint,
            tokenEndpoint: metadata.tokenEndpoint, clientID: clientID, redirectURI: redirectURI, scope: scope,
            resource: resource, requiresIssuerParameter: metadata.authorizationResponseIssParameterSupported ?? false
        )
    }
}
