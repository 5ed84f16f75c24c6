import { createHash } from 'node:crypto';
import { PaymentApproval, type PaymentInitiation } from '@stepup-example/contract';
import { z } from 'zod';

/** The transfer an authorization request asks the customer to approve (RFC 9396 `authorization_details`). */
export type Approval = readonly [PaymentInitiation];

/**
 * The `authorization_details` request parameter (a JSON string, as `oidc-provider` keeps it) read as
 * one transfer: `undefined` when there is none; `'invalid'` for anything else (several details,
 * another type, a member the bank does not know). The provider's type validator refuses those at
 * `/auth` already; this reads the same contract schema, so the two cannot disagree.
 */
export function requestedApproval(parameter: unknown): Approval | 'invalid' | undefined {
  if (parameter === undefined) return undefined;
  if (typeof parameter !== 'string') return 'invalid';
  let json: unknown;
  try {
    json = JSON.parse(parameter);
  } catch {
    return 'invalid';
  }
  const parsed = PaymentApproval.safeParse(json);
  return parsed.success ? parsed.data : 'invalid';
}

// Every member, in a fixed order: the schema is strict, so this is the whole detail, and two
// different details can never make the same snapshot (JSON strings are unambiguous).
function snapshot(approval: Approval): string {
  return JSON.stringify(
    approval.map((d) => [
      d.type,
      d.instructedAmount.currency,
      d.instructedAmount.amount,
      d.creditorName,
      d.creditorAccount.iban,
    ]),
  );
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/** SHA-256 of the approval's canonical snapshot, base64url: what the login result records as approved. */
export function approvalDigest(approval: Approval): string {
  return sha256(snapshot(approval)).toString('base64url');
}

/**
 * The WebAuthn challenge of the sign-in that approves `approval` in the interaction `uid`: SHA-256 of a
 * label, the interaction (the transaction id), a random `nonce` the server keeps, and the snapshot.
 * So the assertion signs this transfer and no other (PSD2 RTS Art. 5 dynamic linking: the code is
 * specific to the amount and payee), in this interaction only, and stays unpredictable (the nonce).
 * The server recomputes it from the details it holds, never from what the page sends.
 */
export function approvalChallenge(uid: string, nonce: string, approval: Approval): Uint8Array<ArrayBuffer> {
  return new Uint8Array(
    sha256(JSON.stringify(['stepup-bank/payment-approval/v1', uid, nonce, snapshot(approval)])),
  );
}

/** What a finished login records about the approval (in the interaction result, next to `login`). */
export const ApprovalRecord = z.strictObject({ digest: z.string(), at: z.number() });
/** @see ApprovalRecord */
export type ApprovalRecord = z.output<typeof ApprovalRecord>;

/** The approval recorded in an interaction result, when its digest is `digest`'s. */
export function approvedIn(result: unknown, approval: Approval): ApprovalRecord | undefined {
  const record = z.object({ approval: ApprovalRecord }).safeParse(result);
  return record.success && record.data.approval.digest === approvalDigest(approval)
    ? record.data.approval
    : undefined;
}
