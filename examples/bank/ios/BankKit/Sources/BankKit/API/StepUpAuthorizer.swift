import Foundation

/// Gives the API client a valid access token (refreshing it when needed).
public protocol AccessTokenProvider: Sendable {
    func accessToken() async throws -> String
}

/// Performs a step-up when the API asks for one. The app's implementation explains
/// ``StepUpRequirement/reason(acrDescriptions:)`` to the user, runs a new authorization with the
/// requirement's `acr_values` and `max_age`, stores the new tokens, and returns the new access token.
/// Throw (e.g. ``BankKitError/authorizationCancelled``) to give up; the request is then not retried.
public protocol StepUpAuthorizer: Sendable {
    func stepUp(for requirement: StepUpRequirement) async throws -> String
}

extension StepUpRequirement {
    /// A sentence for people saying why they must sign in again, e.g. "This needs your security key.
    /// You also need to have signed in within the last 5 minutes."
    ///
    /// - Parameter acrDescriptions: words for the acr values the app knows ("your security key");
    ///   the first known value in the server's order of preference is used.
    public func reason(acrDescriptions: [String: String]) -> String {
        var sentences: [String] = []
        if let known = acrValues.lazy.compactMap({ acrDescriptions[$0] }).first {
            sentences.append("This needs \(known).")
        } else if !acrValues.isEmpty {
            sentences.append("This needs a stronger way of signing in than the one you used.")
        }
        if let maxAge {
            let recently = maxAge == 0 ? "just now" : "within the last \(Self.duration(maxAge))"
            let also = sentences.isEmpty ? "" : " also"
            sentences.append("You\(also) need to have signed in \(recently).")
        }
        return sentences.joined(separator: " ")
    }

    private static func duration(_ seconds: Int) -> String {
        if seconds % 3600 == 0 { return plural(seconds / 3600, "hour") }
        if seconds % 60 == 0 { return plural(seconds / 60, "minute") }
        return plural(seconds, "second")
    }

    private static func plural(_ count: Int, _ unit: String) -> String {
        count == 1 ? "\(unit)" : "\(count) \(unit)s"
    }
}
