import SwiftUI

@main
@MainActor
struct BankApp: App {
    @State private var auth = AuthService.live()

    var body: some Scene {
        WindowGroup {
            RootView(auth: auth)
        }
    }
}
