import BankKit
import Foundation

/// What to tell the customer about an error, in one place.
enum UserMessage {
    static func forError(_ error: Error) -> String {
        if let error = error as? BankKitError {
            return forBankKitError(error)
        }
        if error is URLError {
            return "The bank could not be reached. Is it running? (See the README for the simulator and for devices.)"
        }
        return "Something went wrong. Please try again."
    }

    private static func forBankKitError(_ error: BankKitError) -> String {
        switch error {
        case .authorizationCancelled:
            return "Nothing was sent: the sign-in was cancelled."
        case .authorizationFailed(error: "unmet_authentication_requirements", _):
            return "Your account has no authenticator strong enough for this. Add a security key on the bank's account page."
        case .authorizationFailed(error: "access_denied", _):
            return "The sign-in was declined."
        case .stepUpNotSatisfied:
            return "The bank still needs a stronger sign-in for this. Nothing was sent twice; try again with your security key."
        case .notSignedIn, .unauthorized:
            return "Your session has ended. Please sign in again."
        case .forbidden:
            return "This app is not allowed to do that."
        case let .apiError(_, _, message?):
            return message
        case let .apiError(status, _, nil):
            return "The bank refused the request (\(status))."
        default:
            return "Something went wrong (\(error.code)). Please try again."
        }
    }
}
