import {
  AccountList,
  ErrorBody,
  Payee,
  type PayeeBodyInput,
  PayeeList,
  TransactionList,
  Transfer,
  type TransferBodyInput,
} from '@stepup-example/contract';
import * as oauth from 'oauth4webapi';
import type { z } from 'zod';
import { withDpopNonce } from '../auth/dpop-nonce.js';
import { ApiError, ResponseInvalid, SignInRequired, StepUpRequired, Unreachable } from './errors.js';

async function errorBody(response: Response): Promise<{ code: string; message: string }> {
  const parsed = ErrorBody.safeParse(await response.json().catch(() => undefined));
  return parsed.success
    ? parsed.data
    : { code: `ERR_HTTP_${response.status}`, message: 'Something went wrong on the bank’s side.' };
}

const STEP_UP_ERRORS = new Set(['insufficient_user_authentication', 'insufficient_authorization']);

// oauth4webapi parses every challenge of the header (scheme and parameter names lower-cased); the API
// requires DPoP, so its challenge is the `DPoP` one (a `Bearer` one is read too, for an API that
// offers both and answers a Bearer request there). A
// transaction-bound refusal (`insufficient_authorization`, or a step-up of a transfer) names the
// transfer to approve in the JSON body's `authorization_details`, read with the contract's strict
// schema: what @stepup/core's `readAuthorizationChallenge` reads, whose entry point also holds the
// Node verifier and so stays out of the browser bundle.
async function fromChallenge(error: oauth.WWWAuthenticateChallengeError): Promise<Error> {
  const bearer =
    error.cause.find((c) => c.scheme === 'dpop' && c.parameters.error !== undefined) ??
    error.cause.find((c) => c.scheme === 'bearer' && c.parameters.error !== undefined) ??
    error.cause.find((c) => c.scheme === 'dpop' || c.scheme === 'bearer');
  const parsed = ErrorBody.safeParse(await error.response.json().catch(() => undefined));
  const code = parsed.success ? parsed.data.code : `ERR_HTTP_${error.status}`;
  const wire = bearer?.parameters.error;
  if (wire !== undefined && STEP_UP_ERRORS.has(wire)) {
    const acr = bearer?.parameters.acr_values;
    const maxAge = bearer?.parameters.max_age;
    const details = parsed.success ? parsed.data.authorization_details : undefined;
    if (wire === 'insufficient_authorization' && details === undefined) {
      return new ApiError(401, code, 'The bank asked for an approval this app cannot read.');
    }
    return new StepUpRequired({
      acrValues: acr === undefined ? [] : acr.split(' ').filter((v) => v !== ''),
      ...(maxAge !== undefined && /^\d{1,10}$/.test(maxAge) ? { maxAge: Number(maxAge) } : {}),
      code,
      ...(details === undefined ? {} : { authorizationDetails: details }),
    });
  }
  if (error.status === 403) return new ApiError(403, code, 'You are not allowed to do this.');
  return new SignInRequired(bearer?.parameters.error_description ?? 'Please sign in again.');
}

/**
 * The bank API, called with `oauth4webapi`'s `protectedResourceRequest` and DPoP (RFC 9449): each
 * request carries `Authorization: DPoP <token>` and a new proof of the session key (`dpop`) for its
 * method and URL, sent once more with the API's nonce if it asks for one. Answers are read with the
 * contract's schemas (`@stepup-example/contract`), the ones the API is tested against.
 * @throws StepUpRequired, SignInRequired, ApiError, Unreachable, ResponseInvalid.
 */
export class BankApi {
  constructor(
    private readonly baseUrl: string,
    private readonly accessToken: () => Promise<string>,
    private readonly dpop: () => Promise<oauth.DPoPHandle>,
  ) {}

  private async call<S extends z.ZodType>(
    schema: S,
    method: string,
    path: string,
    body?: unknown,
    extra: Record<string, string> = {},
  ): Promise<z.output<S>> {
    const url = new URL(path, this.baseUrl);
    const headers = new Headers({ accept: 'application/json', ...extra });
    if (body !== undefined) headers.set('content-type', 'application/json');
    const insecure =
      url.protocol === 'http:' && url.hostname === 'localhost' ? { [oauth.allowInsecureRequests]: true } : {};
    const token = await this.accessToken();
    let response: Response;
    try {
      const options = { ...insecure, DPoP: await this.dpop() };
      const payload = body === undefined ? null : JSON.stringify(body);
      response = await withDpopNonce(() =>
        oauth.protectedResourceRequest(token, method, url, headers, payload, options),
      );
    } catch (error) {
      if (error instanceof oauth.WWWAuthenticateChallengeError) throw await fromChallenge(error);
      // fetch rejects with a TypeError when there is no answer at all.
      if (error instanceof TypeError) throw new Unreachable(error);
      throw error;
    }
    if (!response.ok) {
      const { code, message } = await errorBody(response);
      throw new ApiError(response.status, code, message);
    }
    const parsed = schema.safeParse(await response.json().catch(() => undefined));
    if (!parsed.success)
      throw new ResponseInvalid(`${method} ${path}: the answer is not what the contract says`);
    return parsed.data;
  }

  async accounts() {
    return (await this.call(AccountList, 'GET', '/accounts')).accounts;
  }

  async transactions(accountId: string) {
    const path = `/accounts/${encodeURIComponent(accountId)}/transactions?limit=50`;
    return (await this.call(TransactionList, 'GET', path)).transactions;
  }

  async payees() {
    return (await this.call(PayeeList, 'GET', '/payees')).payees;
  }

  addPayee(payee: PayeeBodyInput) {
    return this.call(Payee, 'POST', '/payees', payee);
  }

  /** Pass the same `idempotencyKey` for every attempt of one transfer: it is done at most once. */
  transfer(transfer: TransferBodyInput, idempotencyKey: string) {
    return this.call(Transfer, 'POST', '/transfers', transfer, { 'idempotency-key': idempotencyKey });
  }
}
