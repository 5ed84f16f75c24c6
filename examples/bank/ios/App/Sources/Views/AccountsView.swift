import BankKit
import SwiftUI

@MainActor
struct AccountsView: View {
    let auth: AuthService
    let bank: BankStore
    @State private var showingTransfer = false

    var body: some View {
        NavigationStack {
            List {
                if let message = bank.errorMessage {
                    Section {
                        Text(message).foregroundStyle(.red)
                    }
                }
                Section("Accounts") {
                    ForEach(bank.accounts) { account in
                        NavigationLink(value: account) {
                            HStack {
                                Text(account.name)
                                Spacer()
                                Text(account.balance.formattedMoney(currency: account.currency))
                                    .monospacedDigit()
                            }
                        }
                    }
                }
            }
            .overlay {
                if bank.accounts.isEmpty && bank.isLoading {
                    ProgressView()
                }
            }
            .navigationTitle("Stepup Bank")
            .navigationDestination(for: Account.self) { account in
                AccountDetailView(account: account, bank: bank)
            }
            .toolbar {
                ToolbarItem(placement: .primaryAction) {
                    Button("Transfer", systemImage: "arrow.left.arrow.right") { showingTransfer = true }
                        .disabled(bank.accounts.isEmpty)
                }
                ToolbarItem(placement: .topBarLeading) {
                    Button("Sign out") { auth.signOut() }
                }
            }
            // Pushed, not a sheet: the step-up explanation is a sheet over the whole app.
            .navigationDestination(isPresented: $showingTransfer) {
                TransferView(bank: bank)
            }
            .refreshable { await bank.loadAccounts() }
            .task { await bank.loadAccounts() }
        }
    }
}

@MainActor
struct AccountDetailView: View {
    let account: Account
    let bank: BankStore

    var body: some View {
        List {
            Section {
                LabeledContent("Balance", value: account.balance.formattedMoney(currency: account.currency))
            }
            Section("History") {
                ForEach(bank.history[account.id] ?? []) { transaction in
                    VStack(alignment: .leading, spacing: 4) {
                        HStack {
                            Text(transaction.description)
                            Spacer()
                            Text(transaction.amount.formattedMoney(currency: account.currency))
                                .monospacedDigit()
                                .foregroundStyle(transaction.amount < 0 ? Color.primary : Color.green)
                        }
                        Text(transaction.createdAt, format: .dateTime.day().month().year().hour().minute())
                            .font(.caption)
                            .foregroundStyle(.secondary)
                    }
                }
            }
        }
        .navigationTitle(account.name)
        .refreshable { await bank.loadHistory(for: account.id) }
        .task { await bank.loadHistory(for: account.id) }
    }
}
