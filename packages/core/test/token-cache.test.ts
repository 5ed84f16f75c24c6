import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CacheEntry, TokenCache } from '../src/token/cache.js';

// The cache stores what the verifier gives it; these tests only follow identities.
const entry = (name: string) => ({ token: { subject: name } }) as unknown as CacheEntry;
const subject = (cache: TokenCache, token: string) =>
  (cache.get(token)?.token as { subject?: string } | undefined)?.subject;

describe('TokenCache (second chance)', () => {
  it('evicts the first unmarked entry in ring order, unmarking marked ones on the way', () => {
    const cache = new TokenCache(3);
    for (const t of ['a', 'b', 'c']) cache.set(t, entry(t));
    cache.get('a');
    cache.get('b');
    cache.set('d', entry('d')); // a and b are marked: both unmarked, c goes
    expect(['a', 'b', 'c', 'd'].map((t) => cache.get(t) !== undefined)).toEqual([true, true, false, true]);
    // Those four gets marked a, b and d again; the hand is back at a.
    cache.set('e', entry('e')); // a, b, d unmarked in turn, then a goes
    expect(cache.get('a')).toBeUndefined();
    expect(cache.size).toBe(3);
  });

  it('replaces an entry set again in its place, and reuses the place of a deleted entry first', () => {
    const cache = new TokenCache(2);
    cache.set('a', entry('a1'));
    cache.set('b', entry('b'));
    cache.set('a', entry('a2'));
    expect(cache.size).toBe(2);
    expect(subject(cache, 'a')).toBe('a2');
    cache.delete('b');
    cache.delete('missing');
    cache.set('c', entry('c'));
    expect(subject(cache, 'a')).toBe('a2'); // c took b's place: nothing was evicted
    expect(subject(cache, 'c')).toBe('c');
    cache.clear();
    expect(cache.size).toBe(0);
    cache.set('d', entry('d'));
    expect(subject(cache, 'd')).toBe('d');
  });

  it('keeps every invariant under any sequence of operations', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('set' as const), token: fc.integer({ min: 0, max: 12 }) }),
      fc.record({ kind: fc.constant('get' as const), token: fc.integer({ min: 0, max: 12 }) }),
      fc.record({ kind: fc.constant('delete' as const), token: fc.integer({ min: 0, max: 12 }) }),
      fc.record({ kind: fc.constant('clear' as const), token: fc.constant(0) }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.array(op, { maxLength: 200 }), (max, ops) => {
        const cache = new TokenCache(max);
        // What a reference holds: the last value set per token, minus deletions and evictions.
        const model = new Map<string, string>();
        ops.forEach(({ kind, token }, step) => {
          const id = `t${token}`;
          if (kind === 'set') {
            const before = cache.size;
            const had = model.has(id);
            cache.set(id, entry(`${id}@${step}`));
            model.set(id, `${id}@${step}`);
            // Something is evicted only when a new token arrives at a full cache, and then exactly one.
            expect(cache.size).toBe(had || before < max ? before + (had ? 0 : 1) : max);
          } else if (kind === 'get') {
            const found = subject(cache, id);
            if (found !== undefined) expect(found).toBe(model.get(id));
          } else if (kind === 'delete') {
            cache.delete(id);
            model.delete(id);
            expect(cache.get(id)).toBeUndefined();
          } else {
            cache.clear();
            model.clear();
          }
          expect(cache.size).toBeLessThanOrEqual(max);
          // Every cached entry is the one last set under its token, never a stale or evicted one.
          for (let t = 0; t <= 12; t++) {
            const found = subject(cache, `t${t}`);
            if (found !== undefined) expect(found).toBe(model.get(`t${t}`));
          }
        });
        return true;
      }),
    );
  });
});
