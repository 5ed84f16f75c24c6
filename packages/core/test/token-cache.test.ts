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

  it('answers only for the whole token, also when another one ends alike', () => {
    const cache = new TokenCache(4);
    const tail = 'S'.repeat(40); // two tokens whose signatures end alike
    const [one, two] = [`header.one.${tail}`, `header.two.${tail}`];
    cache.set(one, entry('one'));
    expect(cache.get(two)).toBeUndefined();
    cache.delete(two); // not the entry of `one`
    expect(subject(cache, one)).toBe('one');
    cache.set(two, entry('two')); // displaces `one`: never both answered from one entry
    expect(cache.get(one)).toBeUndefined();
    expect(subject(cache, two)).toBe('two');
    expect(cache.size).toBe(1);
  });

  it('with reused admission, stores a token only when it is offered the second time', () => {
    const cache = new TokenCache(3, 'reused');
    const tokens = Array.from(
      { length: 500 },
      (_, i) => `header.payload.signature-${i}-${'x'.repeat(i % 7)}`,
    );
    // A flood of tokens offered once: nothing stored, nothing evicted.
    expect(tokens.map((t) => cache.set(t, entry(t))).filter(Boolean)).toEqual([]);
    expect(cache.size).toBe(0);
    const a = 'header.payload.a-signature-that-is-offered-twice';
    expect(cache.set(a, entry('a'))).toBe(false);
    expect(cache.get(a)).toBeUndefined();
    expect(cache.set(a, entry('a'))).toBe(true);
    expect(subject(cache, a)).toBe('a');
    // clear() forgets what was offered once too.
    const b = 'header.payload.b-signature';
    cache.set(b, entry('b'));
    cache.clear();
    expect(cache.set(b, entry('b'))).toBe(false);
    expect(cache.size).toBe(0);
  });

  it('keeps every invariant under any sequence of operations', () => {
    const op = fc.record({
      kind: fc.constantFrom('set', 'get', 'delete', 'clear'),
      token: fc.integer({ min: 0, max: 12 }),
    });
    // Even tokens end alike (they share their last characters), odd ones do not.
    const ids = Array.from({ length: 13 }, (_, t) =>
      t % 2 === 0 ? `t${t}.${'S'.repeat(30)}` : `${'S'.repeat(30)}.t${t}`,
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.array(op, { maxLength: 200 }), (max, ops) => {
        const cache = new TokenCache(max);
        const last = new Map<string, string>(); // the value last set per token
        ops.forEach(({ kind, token }, step) => {
          const id = ids[token]!;
          const present = ids.filter((other) => cache.has(other));
          if (kind === 'set') {
            const twin = present.find(
              (other) => other !== id && token % 2 === 0 && ids.indexOf(other) % 2 === 0,
            );
            cache.set(id, entry(`${id}@${step}`));
            last.set(id, `${id}@${step}`);
            expect(subject(cache, id)).toBe(`${id}@${step}`);
            const grows = !present.includes(id) && twin === undefined;
            // Nothing is evicted below `max`; at `max`, a new token evicts exactly one entry.
            expect(cache.size).toBe(grows ? Math.min(present.length + 1, max) : present.length);
            if (twin !== undefined) expect(cache.has(twin)).toBe(false);
          } else if (kind === 'get') {
            expect(subject(cache, id)).toBe(present.includes(id) ? last.get(id) : undefined);
          } else if (kind === 'delete') {
            cache.delete(id);
            expect(cache.size).toBe(present.length - (present.includes(id) ? 1 : 0));
            expect(cache.has(id)).toBe(false);
          } else {
            cache.clear();
            expect(cache.size).toBe(0);
          }
          // Every entry is the one last set under its whole token; it answers for no other token.
          for (const other of ids) if (cache.has(other)) expect(subject(cache, other)).toBe(last.get(other));
          expect(ids.filter((other) => cache.has(other)).length).toBe(cache.size);
        });
        return true;
      }),
    );
  });
});
