import AuthenticationServices
import BankKit
import UIKit

/// Runs one authorization in the system browser sheet (`ASWebAuthenticationSession`), where passkeys
/// and security keys work without associated domains, and returns the redirect URL.
@MainActor
final class WebAuthenticator: NSObject, ASWebAuthenticationPresentationContextProviding {
    private var session: ASWebAuthenticationSession?

    /// - Throws: ``BankKitError/authorizationCancelled`` when the user closes the sheet.
    func authenticate(url: URL, callbackScheme: String) async throws -> URL {
        defer { session = nil }
        return try await withCheckedThrowingContinuation { continuation in
            let completion: (URL?, Error?) -> Void = { callbackURL, error in
                if let callbackURL {
                    continuation.resume(returning: callbackURL)
                } else if let error = error as? ASWebAuthenticationSessionError, error.code == .canceledLogin {
                    continuation.resume(throwing: BankKitError.authorizationCancelled)
                } else {
                    continuation.resume(throwing: error ?? BankKitError.authorizationCancelled)
                }
            }
            let session: ASWebAuthenticationSession
            if #available(iOS 17.4, *) {
                session = ASWebAuthenticationSession(
                    url: url, callback: .customScheme(callbackScheme), completionHandler: completion)
            } else {
                session = ASWebAuthenticationSession(
                    url: url, callbackURLScheme: callbackScheme, completionHandler: completion)
            }
            session.presentationContextProvider = self
            // Share the browser's cookies with the authorization server's session, so a step-up asks
            // only for the stronger authenticator (the server forces the new sign-in itself).
            session.prefersEphemeralWebBrowserSession = false
            self.session = session
            if !session.start() {
                continuation.resume(throwing: BankKitError.authorizationCancelled)
            }
        }
    }

    nonisolated func presentationAnchor(for session: ASWebAuthenticationSession) -> ASPresentationAnchor {
        MainActor.assumeIsolated {
            let scenes = UIApplication.shared.connectedScenes.compactMap { $0 as? UIWindowScene }
            guard let scene = scenes.first(where: { $0.activationState == .foregroundActive }) ?? scenes.first else {
                return ASPresentationAnchor()
            }
            return scene.keyWindow ?? ASPresentationAnchor(windowScene: scene)
        }
    }
}
