import { createStepUp, type StepUpOptions, type StepUpRequest } from '@stepup/core';
import type { ReplayStore } from '@stepup/core/stores';
import { createTestIssuer, type TestIssuer } from '@stepup/core/testing';
import { ACR, NOW_MS, now } from './conformance/setup.js';

export { ACR, NOW, NOW_MS, now } from './conformance/setup.js';

export const LEVELS = [
  { name: 'standard', acr: [ACR.standard] },
  { name: 'high', acr: [ACR.high] },
];

export const get = (authorization?: string, url = '/r'): StepUpRequest => ({
  method: 'GET',
  url,
  headers: authorization === undefined ? {} : { authorization },
});

/** A mutable clock for tests that move time. */
export function clock(start = NOW_MS) {
  let t = start;
  return { now: () => t, advance: (seconds: number) => (t += seconds * 1000) };
}

export async function issuer(options: Parameters<typeof createTestIssuer>[0] = {}): Promise<TestIssuer> {
  return createTestIssuer({ now, ...options });
}

export function engine(as: TestIssuer, options: Partial<StepUpOptions> = {}) {
  return createStepUp({
    issuers: [as.config()],
    levels: LEVELS,
    operations: { read: { level: 'standard' }, pay: { level: 'high', maxAge: 300 } },
    now,
    ...options,
  });
}

/** A replay store that records its calls and answers with `answer(n)` for the n-th call. */
export function spyStore(answer: (call: number) => Promise<boolean> = async () => true) {
  const calls: unknown[][] = [];
  const store: ReplayStore = {
    consume(...args) {
      calls.push(args);
      return answer(calls.length);
    },
  };
  return { store, calls };
}
