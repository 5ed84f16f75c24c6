import BankKit
import SwiftUI

/// Tells the customer why the bank wants a stronger or more recent sign-in before anything else
/// happens, and lets them continue or stop. Their transfer is kept either way.
struct StepUpSheet: View {
    let pending: PendingStepUp
    let decide: (Bool) -> Void

    var body: some View {
        VStack(alignment: .leading, spacing: 20) {
            Label("Confirm it's you", systemImage: "key.fill")
                .font(.title2.bold())
            Text(pending.reason)
                .font(.body)
            Text("You'll sign in again in a secure browser sheet. Your transfer is kept and sent once you're done, exactly once.")
                .font(.callout)
                .foregroundStyle(.secondary)
            Spacer()
            Button {
                decide(true)
            } label: {
                Text("Continue").frame(maxWidth: .infinity)
            }
            .buttonStyle(.borderedProminent)
            .controlSize(.large)
            Button("Not now", role: .cancel) {
                decide(false)
            }
            .frame(maxWidth: .infinity)
        }
        .padding(28)
        .presentationDetents([.medium])
        .interactiveDismissDisabled(false)
    }
}
