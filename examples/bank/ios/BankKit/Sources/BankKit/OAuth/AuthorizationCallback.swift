import Foundation

/// Reads the redirect an authorization server sends back to the app (RFC 6749 §4.1.2 and §4.1.2.1):
/// checks `state`, then `iss` (RFC 9207), then returns the code or the server's error.
///
/// ```swift
/// let code = try authorizationCode(
///     from: callbackURL, expectedState: pending.state, issuer: configuration.issuer, requireIssuer: true)
/// ```
///
/// It does not check that the URL is the registered redirect URI (`ASWebAuthenticationSession` only
/// hands over URLs with the callback scheme), and a parameter sent twice is refused.
///
/// - Throws: ``BankKitError/authorizationStateMismatch``, ``BankKitError/authorizationIssuerMismatch``,
///   ``BankKitError/authorizationFailed(error:description:)`` (e.g. `unmet_authentication_requirements`),
///   ``BankKitError/authorizationResponseInvalid(_:)``.
public func authorizationCode(
    from callbackURL: URL, expectedState: String, issuer: URL, requireIssuer: Bool
) throws -> String {
    let params = try singleValuedQuery(of: callbackURL)
    guard params["state"] == expectedState else {
        throw BankKitError.authorizationStateMismatch
    }
    if let iss = params["iss"] {
        guard iss == issuer.absoluteString else { throw BankKitError.authorizationIssuerMismatch }
    } else if requireIssuer {
        throw BankKitError.authorizationIssuerMismatch
    }
    if let error = params["error"] {
        throw BankKitError.authorizationFailed(error: error, description: params["error_description"])
    }
    guard let code = params["code"], !code.isEmpty else {
        throw BankKitError.authorizationResponseInvalid("the redirect carries neither code nor error")
    }
    return code
}

private func singleValuedQuery(of url: URL) throws -> [String: String] {
    guard let components = URLComponents(url: url, resolvingAgainstBaseURL: false) else {
        throw BankKitError.authorizationResponseInvalid("the redirect is not a valid URL")
    }
    var params: [String: String] = [:]
    for item in components.queryItems ?? [] {
        guard params[item.name] == nil else {
            throw BankKitError.authorizationResponseInvalid("parameter \(item.name) appears twice")
        }
        params[item.name] = item.value ?? ""
    }
    return params
}
