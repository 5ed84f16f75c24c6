import type { Queryable } from '@stepup-example/db';
import { AuthServerError } from '../errors.js';
import type { CodeAttempts } from '../otp/attempts.js';
import type { SecretBox } from '../otp/secret-box.js';
import { otpFactors, type StoredOtp } from '../otp/store.js';
import { totpStep } from '../otp/totp.js';
import { formatActivation } from '../views/words.js';
import { otpContext } from './add-otp.js';
import { isPending } from './credential-level.js';

/**
 * Checks a one-time code of the account's authenticator app and uses it up: the app must exist and be
 * active, the account must not have used up its wrong codes ({@link CodeAttempts}), the code must be
 * the app's for now (one step of drift either way), and its time step must not have been used before —
 * a code seen over a shoulder or replayed from a log is refused, also when two requests race with it.
 *
 * @throws AuthServerError `ERR_OTP_MISSING`, `ERR_OTP_PENDING`, `ERR_OTP_LOCKED`, `ERR_OTP_INVALID`, `ERR_OTP_REPLAYED`.
 */
export async function useCode(input: {
  db: Queryable;
  box: SecretBox;
  attempts: CodeAttempts;
  accountId: string;
  code: string;
  now: number;
}): Promise<StoredOtp> {
  const { accountId, now } = input;
  const otp = await otpFactors.of(input.db, accountId);
  if (!otp) {
    throw new AuthServerError(
      'ERR_OTP_MISSING',
      'Your account has no authenticator app. You can add one in your security settings.',
    );
  }
  if (isPending(otp, now)) {
    throw new AuthServerError(
      'ERR_OTP_PENDING',
      `Your authenticator app becomes active at ${formatActivation(otp.activeAt)}. Until then its codes are not accepted.`,
    );
  }
  await input.attempts.assertAllowed(accountId);
  const secret = input.box.open(otp.sealedSecret, otpContext(accountId, otp.id));
  const step = totpStep(secret, input.code.trim(), now);
  if (step === undefined) {
    await input.attempts.failed(accountId);
    throw new AuthServerError(
      'ERR_OTP_INVALID',
      'That code does not match. Type the 6 digits your authenticator app shows now.',
    );
  }
  if (step <= otp.lastStep || !(await otpFactors.useStep(input.db, otp.id, step, now))) {
    throw new AuthServerError(
      'ERR_OTP_REPLAYED',
      'This code was used already. Wait for your authenticator app to show a new one.',
    );
  }
  return { ...otp, lastStep: step, lastUsedAt: now };
}
