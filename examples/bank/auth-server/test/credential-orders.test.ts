// Whoever holds a copy of a customer's synced passkey gets no high-level token for the account
// before the cooling-off period of a key they added ends, in every order of the steps they can take
// (enrol a key, remove one, sign up inside a high request, re-enrol), and every sign-in of the
// customer meanwhile names each key they planted. Over HTTP, on both databases.
import { describe, expect, it } from 'vitest';
import { postgresVariant } from '../../../../test/services.js';
import { ACR_HIGH, ACR_STANDARD } from '../src/assurance.js';
import type { SoftAuthenticator } from './helpers/authenticator.js';
import {
  addCredential,
  authorize,
  interactionPath,
  openAccount,
  removeCredential,
  settingsSignIn,
  signIn,
  signUp,
  TestBrowser,
  tokenAcr,
} from './helpers/client.js';
import { databases } from './helpers/db.js';
import { bankForSuite, COOLING_OFF_SECONDS } from './helpers/setup.js';

const COOLING_OFF_MS = COOLING_OFF_SECONDS * 1000;

describe.each(databases)('a copied synced passkey on $name', (database) => {
  const suite = bankForSuite(database);
  const browser = () => new TestBrowser(suite.bank.server.url);

  async function open(authenticator: SoftAuthenticator) {
    const b = browser();
    await openAccount(b, authenticator);
    return b;
  }

  it('gives the holder of a copied synced passkey no high token before the cooling-off ends, in any order of steps', async () => {
    const steps = ['enroll', 'remove', 'signUpHigh', 'reEnroll'] as const;
    const orders = permutations([...steps]);
    expect(orders).toHaveLength(24);
    for (const order of orders) {
      const victim = suite.bank.syncedPasskey();
      const owner = await open(victim);
      const start = suite.bank.clock.now();
      const attacker = browser();
      expect((await settingsSignIn(attacker, victim)).status).toBe(200);
      // Never signs in (every attempt is refused), so it never knows the customer.
      const stranger = browser();
      const planted: SoftAuthenticator[] = [];
      for (const step of order) {
        if (step === 'enroll' || step === 'reEnroll') {
          if (step === 'reEnroll' && planted.length > 0) {
            const last = planted.pop();
            expect((await removeCredential(attacker, last?.credentials[0]?.id)).status).toBe(200);
          }
          const key = suite.bank.securityKey();
          expect(await addCredential(attacker, key)).toMatchObject({
            status: 200,
            body: { acr: ACR_STANDARD },
          });
          planted.push(key);
        }
        if (step === 'remove' && planted.length > 0) {
          expect((await removeCredential(attacker, planted.pop()?.credentials[0]?.id)).status).toBe(200);
        }
        if (step === 'signUpHigh') {
          const high = await authorize(attacker, { acr_values: ACR_HIGH });
          expect((await signUp(attacker, high, victim)).body.error).toBe('credential_too_weak');
        }
        // After every step: the owner's browser is offered nothing at the high level, and neither the
        // synced passkey nor the newest planted key reaches it from a browser that does not know the
        // customer (older planted keys were checked after their own step; time has not moved since)…
        const known = await authorize(owner, { acr_values: ACR_HIGH });
        expect((await owner.postJson(`${interactionPath(known)}/signin/options`, {})).status).toBe(403);
        for (const authenticator of [victim, ...planted.slice(-1)]) {
          const cold = await authorize(stranger, { acr_values: ACR_HIGH });
          expect(await tokenAcr(stranger, cold, await signIn(stranger, cold, authenticator))).not.toBe(
            ACR_HIGH,
          );
        }
        // …and the owner's next sign-in names every key planted so far.
        const check = await authorize(owner, { prompt: 'login' });
        const notices = (await signIn(owner, check, victim)).body.notices as string[];
        expect(notices).toHaveLength(planted.length);
      }
      // Not even one minute before the first planted key could become active.
      suite.bank.advance(start + COOLING_OFF_MS - 60_000 - suite.bank.clock.now());
      for (const authenticator of [victim, ...planted]) {
        const cold = await authorize(stranger, { acr_values: ACR_HIGH });
        expect(await tokenAcr(stranger, cold, await signIn(stranger, cold, authenticator))).not.toBe(
          ACR_HIGH,
        );
      }
      suite.bank.advance(COOLING_OFF_MS);
    }
  }, 240_000);
});

postgresVariant('a copied synced passkey on PostgreSQL');

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
  );
}
