import BankKit
import SwiftUI

/// The transfer form. A submitted transfer keeps its idempotency key until it succeeds or the form is
/// edited, so "Try again" after a failure can never send the money twice.
@MainActor
struct TransferView: View {
    let bank: BankStore

    @State private var fromAccountID = ""
    @State private var toAccountID = ""
    @State private var amountText = ""
    @State private var reference = ""
    @State private var pending: PendingTransfer?
    @State private var sending = false
    @State private var outcome: Outcome?

    private enum Outcome: Equatable {
        case sent(TransferReceipt, String)
        case failed(String)
    }

    private var draft: TransferDraft? {
        guard !fromAccountID.isEmpty, !toAccountID.isEmpty, fromAccountID != toAccountID,
              let amount = Money.minorUnits(from: amountText) else { return nil }
        return TransferDraft(fromAccountId: fromAccountID, toAccountId: toAccountID, amount: amount, description: reference)
    }

    private var currency: String {
        bank.accounts.first { $0.id == fromAccountID }?.currency ?? "EUR"
    }

    var body: some View {
        Form {
            Section("From and to") {
                accountPicker("From", selection: $fromAccountID)
                accountPicker("To", selection: $toAccountID)
            }
            Section {
                TextField("Amount", text: $amountText)
                    .keyboardType(.decimalPad)
                TextField("Reference", text: $reference)
            } footer: {
                Text("Transfers over 1,000 need your security key and a sign-in within the last 5 minutes.")
            }
            Section {
                Button(pending == nil ? "Send" : "Try again") { submit() }
                    .disabled(draft == nil || sending)
                if sending { ProgressView() }
            }
            if let outcome {
                Section { outcomeView(outcome) }
            }
        }
        .navigationTitle("Transfer")
        .onAppear {
            if fromAccountID.isEmpty { fromAccountID = bank.accounts.first?.id ?? "" }
        }
        .onChange(of: draft) { _, _ in
            // A different transfer: the next submission gets a new idempotency key.
            pending = nil
        }
    }

    private func accountPicker(_ title: String, selection: Binding<String>) -> some View {
        Picker(title, selection: selection) {
            Text("Choose").tag("")
            ForEach(bank.accounts) { account in
                Text(account.name).tag(account.id)
            }
        }
    }

    @ViewBuilder
    private func outcomeView(_ outcome: Outcome) -> some View {
        switch outcome {
        case let .sent(receipt, amount):
            Label("Sent \(amount) (\(receipt.status)).", systemImage: "checkmark.circle.fill")
                .foregroundStyle(.green)
        case let .failed(message):
            Label(message, systemImage: "exclamationmark.triangle.fill")
                .foregroundStyle(.red)
        }
    }

    private func submit() {
        guard let draft else { return }
        let transfer = pending?.draft == draft ? pending! : PendingTransfer(draft: draft)
        pending = transfer
        sending = true
        outcome = nil
        Task {
            defer { sending = false }
            do {
                let receipt = try await bank.send(transfer)
                outcome = .sent(receipt, transfer.draft.amount.formattedMoney(currency: currency))
                pending = nil
                amountText = ""
                reference = ""
            } catch {
                outcome = .failed(UserMessage.forError(error))
            }
        }
    }
}
