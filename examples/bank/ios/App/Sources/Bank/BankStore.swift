import BankKit
import Foundation
import Observation

/// A transfer the customer submitted, with the `Idempotency-Key` made once for it. Every attempt of
/// this transfer (after a step-up, after a lost connection, "Try again") reuses the key, so the bank
/// moves the money at most once. Editing the form makes a new transfer with a new key.
struct PendingTransfer: Equatable, Sendable {
    let draft: TransferDraft
    let idempotencyKey: String

    init(draft: TransferDraft) {
        self.draft = draft
        idempotencyKey = makeIdempotencyKey()
    }
}

/// Accounts, history and transfers, loaded through ``BankAPIClient`` (which handles step-up).
@MainActor
@Observable
final class BankStore {
    private(set) var accounts: [Account] = []
    private(set) var history: [String: [Transaction]] = [:]
    private(set) var isLoading = false
    var errorMessage: String?

    private let api: BankAPIClient

    init(api: BankAPIClient) {
        self.api = api
    }

    func loadAccounts() async {
        isLoading = true
        defer { isLoading = false }
        do {
            accounts = try await api.accounts()
            errorMessage = nil
        } catch {
            errorMessage = UserMessage.forError(error)
        }
    }

    func loadHistory(for accountID: String) async {
        do {
            history[accountID] = try await api.transactions(accountID: accountID)
        } catch {
            errorMessage = UserMessage.forError(error)
        }
    }

    /// Sends the transfer; a step-up, if the bank asks for one, happens inside (explained on screen).
    func send(_ transfer: PendingTransfer) async throws -> TransferReceipt {
        let receipt = try await api.transfer(transfer.draft, idempotencyKey: transfer.idempotencyKey)
        await loadAccounts()
        history = [:]
        return receipt
    }

    func clear() {
        accounts = []
        history = [:]
        errorMessage = nil
    }
}
