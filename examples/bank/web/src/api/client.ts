import * as oauth from 'oauth4webapi';
import type { z } from 'zod';
import {
  AccountList,
  ErrorBody,
  Payee,
  PayeeList,
  type PayeeRequest,
  TransactionList,
  Transfer,
  type TransferRequest,
} from './types.js';

/** An RFC 9470 challenge: what the API needs before it will do this. */
export interface StepUpChallenge {
  readonly acrValues: readonly string[];
  readonly maxAge?: number;
  /** The API's error code, e.g. `ERR_ACR_INSUFFICIENT` or `ERR_AUTH_TIME_TOO_OLD`. */
  readonly code?: string;
}

/** The API answered 401 `insufficient_user_authentication`: a step-up is needed. */
export class StepUpRequired extends Error {
  override readonly name = 'StepUpRequired';
  constructor(readonly challenge: StepUpChallenge) {
    super('a stronger or more recent sign-in is needed');
  }
}

/** The access token was refused (`invalid_token`, or no token): sign in again. */
export class SignInRequired extends Error {
  override readonly name = 'SignInRequired';
}

/** Any other error answer, with the API's stable `code` and its message. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function errorBody(response: Response): Promise<{ code: string; message: string }> {
  const parsed = ErrorBody.safeParse(await response.json().catch(() => undefined));
  return parsed.success ? parsed.data : { code: `HTTP_${response.status}`, message: 'Something went wrong.' };
}

// oauth4webapi parses every challenge of the header (scheme and parameter names lower-cased).
async function fromChallenge(error: oauth.WWWAuthenticateChallengeError): Promise<Error> {
  const bearer = error.cause.find((c) => c.scheme === 'bearer');
  const code = (await errorBody(error.response)).code;
  if (bearer?.parameters.error === 'insufficient_user_authentication') {
    const acr = bearer.parameters.acr_values;
    const maxAge = bearer.parameters.max_age;
    return new StepUpRequired({
      acrValues: acr === undefined ? [] : acr.split(' ').filter((v) => v !== ''),
      ...(maxAge !== undefined && /^\d+$/.test(maxAge) ? { maxAge: Number(maxAge) } : {}),
      code,
    });
  }
  if (error.status === 403) return new ApiError(403, code, 'You are not allowed to do this.');
  return new SignInRequired(bearer?.parameters.error_description ?? 'Please sign in again.');
}

/** The bank API, called with `oauth4webapi`'s `protectedResourceRequest`. */
export class BankApi {
  constructor(
    private readonly baseUrl: string,
    private readonly accessToken: () => Promise<string>,
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
    const options =
      url.protocol === 'http:' && url.hostname === 'localhost' ? { [oauth.allowInsecureRequests]: true } : {};
    let response: Response;
    try {
      const payload = body === undefined ? null : JSON.stringify(body);
      response = await oauth.protectedResourceRequest(
        await this.accessToken(),
        method,
        url,
        headers,
        payload,
        options,
      );
    } catch (error) {
      if (error instanceof oauth.WWWAuthenticateChallengeError) throw await fromChallenge(error);
      throw error;
    }
    if (!response.ok) {
      const { code, message } = await errorBody(response);
      throw new ApiError(response.status, code, message);
    }
    return schema.parse(await response.json());
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

  addPayee(payee: PayeeRequest) {
    return this.call(Payee, 'POST', '/payees', payee);
  }

  /** Pass the same `idempotencyKey` for every attempt of one transfer: it is done at most once. */
  transfer(transfer: TransferRequest, idempotencyKey: string) {
    return this.call(Transfer, 'POST', '/transfers', transfer, { 'idempotency-key': idempotencyKey });
  }
}
