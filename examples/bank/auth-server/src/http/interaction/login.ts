import type { Request, Response } from 'express';
import type { InteractionResults } from 'oidc-provider';
import { type InteractionFactors, interactionFactors } from '../../accounts/interaction-factors.js';
import { nextSignInStep, type PasskeyFactor, type SignInStep } from '../../accounts/sign-in-plan.js';
import { accounts } from '../../accounts/store.js';
import { type BankAcr, isBankAcr, requiredAcr } from '../../assurance.js';
import { AuthServerError } from '../../errors.js';
import { type Approval, approvalDigest, requestedApproval } from '../../oidc/approval.js';
import { otpFactors } from '../../otp/store.js';
import { addedNotices } from '../../views/notices.js';
import { startAccountSession } from '../account/settings-session.js';
import type { AppContext } from '../context.js';

// The provider session's sign-in, when it is of `accountId` at one of the bank's levels.
function sessionFactor(
  session: { accountId?: string; acr?: string; amr?: string[] } | undefined,
  accountId: string | undefined,
): PasskeyFactor | undefined {
  if (session?.accountId === undefined || session.accountId !== accountId || !isBankAcr(session.acr))
    return undefined;
  return { acr: session.acr, amr: session.amr ?? [] };
}

/**
 * The login interaction of this request: its details, the level it requires (`undefined` when it
 * asks only for levels the bank does not offer), the transfer it asks to approve (if any), the
 * customer (signed in on this browser, or known from a passkey used in this interaction), their
 * credentials and authenticator app, what this interaction proved so far, and the next step
 * ({@link nextSignInStep}). Fails when the interaction is not at login.
 */
export async function loginInteraction(app: AppContext, req: Request, res: Response) {
  const details = await app.provider.interactionDetails(req, res);
  if (details.prompt.name !== 'login') {
    throw new AuthServerError('ERR_BAD_REQUEST', 'This step of the sign-in is already complete.');
  }
  const acrValues = details.params.acr_values;
  const required = requiredAcr(typeof acrValues === 'string' ? acrValues : undefined);
  const approval = requestedApproval(details.params.authorization_details);
  if (approval === 'invalid')
    throw new AuthServerError('ERR_BAD_REQUEST', 'This transfer cannot be approved here.');
  const now = app.now();
  const proven = await interactionFactors.of(app.db, details.uid, now);
  const accountId = proven?.accountId ?? details.session?.accountId;
  const known = accountId ? await accounts.byId(app.db, accountId) : undefined;
  const credentials = known ? await accounts.credentialsOf(app.db, known.id) : undefined;
  const otp = known ? await otpFactors.of(app.db, known.id) : undefined;
  const session = sessionFactor(details.session, known?.id);
  const step: SignInStep = nextSignInStep({
    required: required.unmet ? undefined : required.acr,
    bound: approval !== undefined,
    now,
    ...(known && credentials ? { account: { credentials, otp } } : {}),
    ...(session === undefined ? {} : { session }),
    proven: { ...(proven?.passkey ? { passkey: proven.passkey } : {}), code: proven?.code ?? false },
  });
  return {
    details,
    required: required.unmet ? undefined : required.acr,
    approval,
    known,
    credentials,
    otp,
    proven,
    step,
  };
}

/** Records what this interaction proved, for as long as the interaction can be answered. */
export function rememberFactors(app: AppContext, uid: string, factors: InteractionFactors): Promise<void> {
  return interactionFactors.save(app.db, uid, factors, app.now() + app.challengeTtlMs);
}

/**
 * Finishes the login interaction with the level reached and answers `{ redirectTo, notices }` (the
 * provider's resume URL, and the sentences the page shows before going there: a key added during its
 * cooling-off period is announced at every sign-in). With `approval`, the login result records the
 * digest of the transfer approved (the provider's checks and the authorization code read it). With a
 * passkey (`credentialId`), also opens the security-settings session.
 */
export async function finishLogin(
  app: AppContext,
  req: Request,
  res: Response,
  login: {
    uid: string;
    accountId: string;
    acr: BankAcr;
    amr: readonly string[];
    credentialId: string | undefined;
    /** The authenticator app whose code was used (an elevated settings session keeps it). */
    otpFactorId: string | undefined;
    approval: Approval | undefined;
  },
): Promise<void> {
  const now = app.now();
  const result: InteractionResults = {
    login: {
      accountId: login.accountId,
      acr: login.acr,
      amr: [...login.amr],
      ts: Math.floor(now / 1000),
      remember: true,
    },
    ...(login.approval === undefined
      ? {}
      : { approval: { digest: approvalDigest(login.approval), at: now } }),
  };
  const redirectTo = await app.provider.interactionResult(req, res, result, {
    mergeWithLastSubmission: false,
  });
  await interactionFactors.clear(app.db, login.uid);
  if (login.credentialId !== undefined) {
    await startAccountSession(app.db, res, {
      accountId: login.accountId,
      acr: login.acr,
      authTime: now,
      credentialId: login.credentialId,
      ...(login.otpFactorId === undefined ? {} : { otpFactorId: login.otpFactorId }),
    });
  }
  const notices = addedNotices(
    await accounts.credentialsOf(app.db, login.accountId),
    now,
    await otpFactors.of(app.db, login.accountId),
  );
  app.logger.info('signin.succeeded', {
    account: login.accountId,
    acr: login.acr,
    amr: login.amr,
    ip: req.socket.remoteAddress,
    ...(login.approval === undefined ? {} : { approved: approvalDigest(login.approval) }),
    ...(notices.length > 0 ? { pendingNotices: notices.length } : {}),
  });
  res.json({ redirectTo, notices });
}
