import Foundation

/// Everything that ties the app to one running bank. The only file to edit to point the app elsewhere.
///
/// Simulator: `localhost` is the Mac, so the defaults reach `npm start` at the repository root.
/// Device: `localhost` is the phone. See README.md ("Running on a device") for what to change here and
/// on the servers.
enum AppConfig {
    /// The authorization server (examples/bank/auth-server). Discovery is read from
    /// `<issuer>/.well-known/openid-configuration`.
    static let issuer = URL(string: "http://localhost:4000")!

    /// The bank API (examples/bank/api).
    static let apiBaseURL = URL(string: "http://localhost:4001")!

    /// The API's resource identifier (RFC 8707), the audience of its access tokens.
    static let apiResource = "http://localhost:4001"

    /// The native client the authorization server registers (public, PKCE S256, custom-scheme redirect).
    static let clientID = "bank-ios"

    /// A private-use URI scheme redirect (RFC 8252 §7.1). `ASWebAuthenticationSession` catches it
    /// itself, so it needs no `CFBundleURLTypes` entry; it must equal the registered redirect URI.
    static let redirectURI = URL(string: "bank.stepup.example:/oauth/callback")!

    static let scope = "openid profile offline_access accounts:read transfers:write"

    /// Words for the bank's acr values (examples/bank/contract, `credential`), used to explain a
    /// step-up to the customer.
    static let acrDescriptions: [String: String] = [
        "urn:stepup:bank:acr:standard": "your passkey",
        "urn:stepup:bank:acr:high": "your security key",
    ]

    /// Keychain service under which the tokens are kept.
    static let keychainService = "bank.stepup.example.tokens"
}
