import BankKit
import SwiftUI

/// Sign-in or the bank, and the step-up explanation over either.
@MainActor
struct RootView: View {
    @Bindable var auth: AuthService
    @State private var bank: BankStore

    init(auth: AuthService) {
        self.auth = auth
        let api = BankAPIClient(
            baseURL: AppConfig.apiBaseURL, transport: URLSessionTransport(),
            tokens: auth.tokenProvider, stepUp: auth.stepUpAuthorizer)
        _bank = State(initialValue: BankStore(api: api))
    }

    var body: some View {
        Group {
            switch auth.phase {
            case .signedOut, .signingIn:
                SignInView(auth: auth)
            case .signedIn:
                AccountsView(auth: auth, bank: bank)
            }
        }
        .sheet(item: $auth.pendingStepUp, onDismiss: { auth.stepUpSheetDismissed() }) { pending in
            StepUpSheet(pending: pending) { proceed in
                auth.chooseStepUp(proceed: proceed)
            }
        }
        .onChange(of: auth.phase) { _, phase in
            if phase == .signedOut { bank.clear() }
        }
    }
}
