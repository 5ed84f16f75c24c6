// Clients of the bank API under faults: each sends transfers one after another and re-sends, with the
// same Idempotency-Key and body, every request it did not see answered (no answer, or a 5xx), as the
// web and iOS clients do. What they saw is kept for the checks: the acknowledged transfers, a count of
// every kind of answer, and every answer that breaks the API's promises.
import { randomInt, randomUUID } from 'node:crypto';
import type { AcknowledgedTransfer } from '@stepup-example/api';
import { z } from 'zod';
import type { ServedIssuer } from './issuer.js';
import { waitFor } from './servers.js';

/** A customer with a DPoP-bound token, the proofs of its key, and their two demo accounts. */
export interface Customer {
  readonly sub: string;
  readonly authorization: string;
  /** A fresh DPoP proof for one request (a re-sent request needs a new one: a proof is good once). */
  readonly proof: (method: string, url: string) => Promise<string>;
  readonly everyday: string;
  readonly savings: string;
}

/** What the clients saw. */
export interface LoadReport {
  readonly acknowledged: AcknowledgedTransfer[];
  /** `201`, `503 ERR_UNAVAILABLE`, `no answer`, … → how many. */
  readonly answers: Record<string, number>;
  /** Answers the API must never give: a 500, a 503 without a code or `Retry-After`, internal text. */
  readonly problems: string[];
}

const Transferred = z.object({ id: z.string() });
const ErrorBody = z.object({ code: z.string(), message: z.string() });
const DB_CODES = new Set(['ERR_UNAVAILABLE', 'ERR_OUTCOME_UNKNOWN', 'ERR_BUSY']);
// What must never reach a client: driver and socket errors, SQL, stack frames, file paths.
const INTERNAL =
  /ECONN|EPIPE|ETIMEDOUT|terminat|administrator|postgres|pglite|sql|\bat \S+:\d+|\/work\/|node_modules/i;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The clients' shared record, and one transfer delivered until it has an answer. */
export class Clients {
  readonly report: LoadReport = { acknowledged: [], answers: {}, problems: [] };
  stopping = false;

  constructor(private readonly url: string) {}

  private count(answer: string): void {
    this.report.answers[answer] = (this.report.answers[answer] ?? 0) + 1;
  }

  /**
   * Sends the transfer until it gets a 2xx or a 4xx (re-sending on no answer and on 5xx), at most for
   * `giveUpMs`. Returns the 2xx response's transfer id and whether it was a replay.
   */
  async deliver(
    customer: Customer,
    key: string,
    body: Record<string, unknown>,
    giveUpMs = 20_000,
  ): Promise<{ id: string; replayed: boolean } | undefined> {
    const deadline = performance.now() + giveUpMs;
    while (performance.now() < deadline) {
      let response: Response;
      let text: string;
      try {
        response = await fetch(`${this.url}/transfers`, {
          method: 'POST',
          headers: {
            authorization: customer.authorization,
            dpop: await customer.proof('POST', `${this.url}/transfers`),
            'content-type': 'application/json',
            'idempotency-key': key,
          },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(10_000),
        });
        text = await response.text();
      } catch {
        this.count('no answer');
        await sleep(100);
        continue;
      }
      if (response.status === 201) {
        const { id } = Transferred.parse(JSON.parse(text));
        this.count('201');
        this.report.acknowledged.push({ owner: customer.sub, key, transferId: id });
        return { id, replayed: response.headers.get('idempotent-replayed') === 'true' };
      }
      const error = ErrorBody.safeParse(
        (() => {
          try {
            return JSON.parse(text);
          } catch {
            return undefined;
          }
        })(),
      );
      const code = error.success ? error.data.code : 'no code';
      this.count(`${response.status} ${code}`);
      if (INTERNAL.test(text)) this.report.problems.push(`internal text in a ${response.status}: ${text}`);
      if (response.status === 503) {
        if (!DB_CODES.has(code)) this.report.problems.push(`503 with code ${code}`);
        if (response.headers.get('retry-after') === null)
          this.report.problems.push('503 without Retry-After');
        await sleep(150); // shorter than Retry-After: keeps the suite short
        continue;
      }
      if (response.status >= 500) {
        this.report.problems.push(`${response.status}: ${text}`);
        await sleep(150);
        continue;
      }
      this.report.problems.push(`unexpected ${response.status}: ${text}`);
      return undefined;
    }
    this.report.problems.push(`no answer within ${giveUpMs} ms for key ${key}`);
    return undefined;
  }

  /** Waits (20 s at most) for `count` more acknowledged transfers, calling `check` (a liveness assertion) meanwhile. */
  async moreAcknowledged(count: number, check: () => void): Promise<void> {
    const target = this.report.acknowledged.length + count;
    await waitFor(`${count} more acknowledged transfers`, 20_000, async () => {
      check();
      return this.report.acknowledged.length >= target ? true : undefined;
    });
  }

  /**
   * `workers` clients, each sending small transfers between a customer's two accounts (alternating
   * direction, a new key each) until {@link stopping}; resolves when each has its last one answered.
   */
  async run(customers: readonly Customer[], workers: number): Promise<void> {
    await Promise.all(
      Array.from({ length: workers }, async (_, worker) => {
        for (let round = 0; !this.stopping; round++) {
          const customer = customers[(worker + round) % customers.length]!;
          const [from, to] =
            round % 2 === 0 ? [customer.everyday, customer.savings] : [customer.savings, customer.everyday];
          const body = {
            fromAccountId: from,
            toAccountId: to,
            amount: randomInt(1, 100),
            description: 'load',
          };
          await this.deliver(customer, randomUUID(), body);
        }
      }),
    );
  }
}

const Accounts = z.object({ accounts: z.array(z.object({ id: z.string(), name: z.string() })) });

/** Opens `count` customers (a first `GET /accounts` each) named `prefix-0…`, with their tokens. */
export async function openCustomers(
  url: string,
  client: Pick<ServedIssuer, 'authorization' | 'proof'>,
  prefix: string,
  count: number,
): Promise<Customer[]> {
  const customers: Customer[] = [];
  for (let i = 0; i < count; i++) {
    const sub = `${prefix}-${i}`;
    const token = await client.authorization(sub);
    const proof = (method: string, target: string) => client.proof(token, method, target);
    const response = await fetch(`${url}/accounts`, {
      headers: { authorization: token, dpop: await proof('GET', `${url}/accounts`) },
    });
    const { accounts } = Accounts.parse(await response.json());
    const id = (name: string) => accounts.find((a) => a.name === name)!.id;
    customers.push({
      sub,
      authorization: token,
      proof,
      everyday: id('Everyday account'),
      savings: id('Savings account'),
    });
  }
  return customers;
}

/** What every customer holds when opened: Everyday 2,609.40 and Savings 12,000.00 (see the API README). */
export const OPENING_TOTAL = 260_940 + 1_200_000;
