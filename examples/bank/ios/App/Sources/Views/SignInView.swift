import SwiftUI

@MainActor
struct SignInView: View {
    let auth: AuthService

    var body: some View {
        VStack(spacing: 24) {
            Spacer()
            Image(systemName: "building.columns.fill")
                .font(.system(size: 56))
                .foregroundStyle(.tint)
            Text("Stepup Bank")
                .font(.largeTitle.bold())
            Text("Sign in with your passkey. Large transfers will ask for your security key.")
                .multilineTextAlignment(.center)
                .foregroundStyle(.secondary)
            if let message = auth.lastError {
                Text(message)
                    .foregroundStyle(.red)
                    .multilineTextAlignment(.center)
            }
            Spacer()
            Button {
                Task { await auth.signIn() }
            } label: {
                if auth.phase == .signingIn {
                    ProgressView()
                        .frame(maxWidth: .infinity)
                } else {
                    Text("Sign in")
                        .frame(maxWidth: .infinity)
                }
            }
            .buttonStyle(.borderedProminent)
            .controlSize(.large)
            .disabled(auth.phase == .signingIn)
        }
        .padding(32)
    }
}
