import { createTestIssuer, type TestIssuer } from '@stepup/core/testing';
import { type BankApi, type BankApiOptions, type Db, startBankApi } from '@stepup-example/api';
import { ACR_ELEVATED, ACR_HIGH, ACR_STANDARD } from '@stepup-example/contract';
import * as dpop from 'dpop';
import { vi } from 'vitest';
import { z } from 'zod';

/** The fixed clock of every API test: 2026-03-02T10:00:00Z. */
export const NOW = Date.parse('2026-03-02T10:00:00Z');
export const ISSUER = 'http://localhost:4000';
export const AUDIENCE = 'http://localhost:4001';
export const WEB_ORIGIN = 'http://localhost:5173';
const ALL_SCOPES = 'openid offline_access accounts:read transfers:write payees:write';

/**
 * A DPoP proof (RFC 9449 §4.2) made by the `dpop` package at `now` (ms): the package takes `iat` from
 * `Date.now()`, read before its first `await`, so the date is fixed just for that synchronous start
 * (the tests' clock is a fixed day of March 2026, the proofs' must be too).
 */
export function proofAt(
  now: number,
  key: dpop.KeyPair,
  htu: string,
  htm: string,
  accessToken?: string,
): Promise<string> {
  vi.useFakeTimers({ toFake: ['Date'], now });
  try {
    return dpop.generateProof(key, htu, htm, undefined, accessToken);
  } finally {
    vi.useRealTimers();
  }
}

/** A running API with a test issuer whose tokens it accepts. */
export interface TestBank {
  readonly api: BankApi;
  readonly issuer: TestIssuer;
  /** The client's DPoP key (ES256): every token below is bound to it, every call proves it. */
  readonly key: dpop.KeyPair;
  /** Its RFC 7638 thumbprint, the tokens' `cnf.jkt`. */
  readonly jkt: string;
  /** `DPoP …` (bound to {@link key}) for `sub` at the standard level, signed in a minute ago. */
  standard(sub: string, claims?: Record<string, unknown>): Promise<string>;
  /** `DPoP …` for `sub` at the elevated level (passkey and code), signed in `authAge` seconds ago (default 60). */
  elevated(sub: string, authAge?: number, claims?: Record<string, unknown>): Promise<string>;
  /** `DPoP …` for `sub` at the high level, signed in `authAge` seconds ago (default 60). */
  high(sub: string, authAge?: number, claims?: Record<string, unknown>): Promise<string>;
  /**
   * `DPoP …` for `sub` carrying the approval of `details` (RFC 9396 `authorization_details`), at
   * `acr` (default high), signed in `authAge` seconds ago (default 60), with a fresh `jti`.
   */
  approved(
    sub: string,
    details: readonly object[],
    options?: { acr?: string; authAge?: number },
  ): Promise<string>;
  /**
   * `fetch` on the API with `authorization`, JSON in and out. With a `DPoP …` authorization, a fresh
   * proof of {@link key} for the API's public origin ({@link AUDIENCE}) and the path, unless `proof`
   * is given (a proof to send, or `null` for none).
   */
  call(path: string, init?: CallInit): Promise<Response>;
  close(): Promise<void>;
}

/** The request of {@link TestBank.call}. */
export interface CallInit {
  method?: string;
  authorization?: string;
  body?: unknown;
  headers?: Record<string, string>;
  proof?: string | null;
}

/** Options of {@link startTestBank}. */
export interface TestBankOptions {
  readonly clockTolerance?: number;
  /** Fetch the issuer's JWKS (over the issuer's offline `fetch`, wrapped by `fetch` when given) instead of local keys. */
  readonly remoteJwks?: { readonly fetch?: (inner: typeof fetch) => typeof fetch };
  readonly logger?: BankApiOptions['logger'];
}

/** Starts the API on a free port over `db`, with a test issuer on the fixed clock. */
export async function startTestBank(db: Db, options: TestBankOptions = {}): Promise<TestBank> {
  const now = () => NOW;
  const issuer = await createTestIssuer({ issuer: ISSUER, audience: AUDIENCE, now });
  const remote = options.remoteJwks;
  const api = await startBankApi({
    port: 0,
    db,
    issuer: remote === undefined ? issuer.config() : issuer.remoteConfig(),
    now,
    ...(remote === undefined ? {} : { fetch: remote.fetch?.(issuer.fetch) ?? issuer.fetch }),
    ...(options.clockTolerance === undefined ? {} : { clockTolerance: options.clockTolerance }),
    ...(options.logger === undefined ? {} : { logger: options.logger }),
    readiness: { intervalMs: 0, maxAgeMs: 0 },
  });
  const key = await dpop.generateKeyPair('ES256');
  const jkt = await dpop.calculateThumbprint(key.publicKey);
  const token = async (sub: string, acr: string, authAge: number, claims: Record<string, unknown> = {}) =>
    `DPoP ${await issuer.mint({
      sub,
      acr,
      amr: ['hwk', 'user'],
      auth_time: issuer.now() - authAge,
      scope: ALL_SCOPES,
      client_id: 'bank-web',
      cnf: { jkt },
      ...claims,
    })}`;
  return {
    api,
    issuer,
    key,
    jkt,
    standard: (sub, claims) => token(sub, ACR_STANDARD, 60, claims),
    elevated: (sub, authAge = 60, claims) =>
      token(sub, ACR_ELEVATED, authAge, { amr: ['mfa', 'swk', 'otp'], ...claims }),
    high: (sub, authAge = 60, claims) => token(sub, ACR_HIGH, authAge, claims),
    approved: (sub, details, options = {}) =>
      token(sub, options.acr ?? ACR_HIGH, options.authAge ?? 60, { authorization_details: details }),
    async call(path, init = {}) {
      const method = init.method ?? (init.body === undefined ? 'GET' : 'POST');
      const headers: Record<string, string> = { accept: 'application/json', ...init.headers };
      if (init.authorization !== undefined) headers.authorization = init.authorization;
      if (init.body !== undefined) headers['content-type'] = 'application/json';
      const bound = init.authorization?.startsWith('DPoP ') === true;
      const proof =
        init.proof !== undefined
          ? init.proof
          : bound
            ? await proofAt(
                NOW,
                key,
                `${AUDIENCE}${path.split('?')[0]}`,
                method,
                init.authorization?.slice(5),
              )
            : null;
      if (proof !== null) headers.dpop = proof;
      return fetch(`${api.url}${path}`, {
        method,
        headers,
        ...(init.body === undefined
          ? {}
          : { body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body) }),
      });
    },
    close: () => api.close(),
  };
}

const AccountList = z.object({
  accounts: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      number: z.string(),
      currency: z.string(),
      balance: z.number(),
    }),
  ),
});

/** The customer's accounts (opening them on first call), by name. */
export async function accountsOf(bank: TestBank, sub: string) {
  const response = await bank.call('/accounts', { authorization: await bank.standard(sub) });
  const { accounts } = AccountList.parse(await response.json());
  const byName = (name: string) => accounts.find((a) => a.name === name)!;
  return { all: accounts, everyday: byName('Everyday account'), savings: byName('Savings account') };
}

/**
 * The \`payment_initiation\` detail of a transfer of \`amount\` minor units to \`to\` (an account or a
 * payee as the API lists it), written out as RFC 9396 shows it: for the tests' convenience; the
 * approval tests also spell the details out literally.
 */
export function paymentTo(to: { name: string; number?: string; accountNumber?: string }, amount: number) {
  const euros = `${Math.floor(amount / 100)}.${String(amount % 100).padStart(2, '0')}`;
  return {
    type: 'payment_initiation',
    instructedAmount: { currency: 'EUR', amount: euros },
    creditorName: to.name,
    creditorAccount: { iban: String(to.accountNumber ?? to.number).replaceAll(' ', '') },
  };
}
