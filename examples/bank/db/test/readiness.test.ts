import { type DependencyChange, watchReadiness } from '@stepup-example/db';
import { describe, expect, it } from 'vitest';

// Readiness over checks made here (a switch per dependency), with a clock moved by hand.
function dependency(name: string) {
  const state = { up: true, hang: false, calls: 0 };
  return {
    state,
    check: {
      name,
      check: async () => {
        state.calls++;
        if (state.hang) await new Promise(() => {});
        if (!state.up) throw new Error(`${name} refused`);
      },
    },
  };
}

function setup(names: string[], timeoutMs = 50) {
  const deps = names.map(dependency);
  const changes: DependencyChange[] = [];
  const clock = { ms: 0 };
  const readiness = watchReadiness({
    checks: deps.map((d) => d.check),
    timeoutMs,
    intervalMs: 0,
    maxAgeMs: 500,
    elapsed: () => clock.ms,
    onChange: (change) => changes.push(change),
  });
  return { deps, changes, clock, readiness };
}

describe('watchReadiness', () => {
  it('is ready when every check answers, and says which one is down otherwise', async () => {
    const { deps, readiness } = setup(['database', 'jwks']);
    expect(await readiness.check()).toEqual({ ready: true, dependencies: { database: 'up', jwks: 'up' } });
    deps[1]!.state.up = false;
    readiness.suspect();
    expect(await readiness.check()).toEqual({ ready: false, dependencies: { database: 'up', jwks: 'down' } });
  });

  it('reports a change once: down on the first failure, up with how long it was down', async () => {
    const { deps, changes, clock, readiness } = setup(['database']);
    await readiness.check();
    deps[0]!.state.up = false;
    clock.ms = 1_000;
    await readiness.check();
    clock.ms = 2_000;
    await readiness.check();
    deps[0]!.state.up = true;
    clock.ms = 4_500;
    await readiness.check();
    expect(changes.map((c) => ({ ...c, error: 'error' in c ? String(c.error) : undefined }))).toEqual([
      { name: 'database', state: 'down', error: 'Error: database refused' },
      { name: 'database', state: 'up', downForMs: 3_500, error: undefined },
    ]);
  });

  it('counts a check that does not answer within the timeout as down', async () => {
    const { deps, readiness } = setup(['database'], 30);
    deps[0]!.state.hang = true;
    expect(await readiness.check()).toEqual({ ready: false, dependencies: { database: 'down' } });
  });

  it('counts a check that throws instead of returning a promise as down', async () => {
    const readiness = watchReadiness({
      checks: [
        {
          name: 'broken',
          check: () => {
            throw new TypeError('not a function');
          },
        },
      ],
      intervalMs: 0,
    });
    expect(await readiness.check()).toEqual({ ready: false, dependencies: { broken: 'down' } });
  });

  it('answers a fresh report again without checking, and shares a run under way', async () => {
    const { deps, clock, readiness } = setup(['database']);
    await Promise.all([readiness.check(), readiness.check(), readiness.check()]);
    expect(deps[0]!.state.calls).toBe(1);
    clock.ms = 499;
    await readiness.check();
    expect(deps[0]!.state.calls).toBe(1);
    clock.ms = 500;
    await readiness.check();
    expect(deps[0]!.state.calls).toBe(2);
  });
});
