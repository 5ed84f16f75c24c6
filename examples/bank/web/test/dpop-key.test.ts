// The session's DPoP key: made once per tab session, non-extractable, found again after the redirect
// (the IndexedDB store itself is exercised in Chromium by the e2e tests), deleted with the session.
import { describe, expect, it } from 'vitest';
import { forgetSessionKey, type KeyPairStore, sessionKeyPair } from '../src/auth/dpop-key.js';

/** A KeyPairStore in memory, counting writes (IndexedDB's structured clone aside). */
function memoryStore() {
  const pairs = new Map<string, CryptoKeyPair>();
  const store: KeyPairStore = {
    get: async (id) => pairs.get(id),
    put: async (id, pair) => void pairs.set(id, pair),
    delete: async (id) => void pairs.delete(id),
  };
  return { pairs, store };
}

/** A tab's sessionStorage. */
function tabStorage() {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
    removeItem: (key: string) => void items.delete(key),
  };
}

describe('the session DPoP key', () => {
  it('is an ES256 pair whose private key cannot be exported, made once and found again', async () => {
    const { pairs, store } = memoryStore();
    const tab = tabStorage();
    const first = await sessionKeyPair(store, tab);
    expect(first.privateKey).toMatchObject({
      type: 'private',
      extractable: false,
      algorithm: { name: 'ECDSA', namedCurve: 'P-256' },
    });
    await expect(crypto.subtle.exportKey('pkcs8', first.privateKey)).rejects.toThrow();
    expect(pairs.size).toBe(1);
    expect(await sessionKeyPair(store, tab)).toBe(first);
    expect(pairs.size).toBe(1);
  });

  it('gives each tab its own key, and a new one when the stored one is gone', async () => {
    const { pairs, store } = memoryStore();
    const one = tabStorage();
    const two = tabStorage();
    const a = await sessionKeyPair(store, one);
    const b = await sessionKeyPair(store, two);
    expect(b).not.toBe(a);
    expect(pairs.size).toBe(2);
    pairs.clear(); // the browser dropped the database
    const again = await sessionKeyPair(store, one);
    expect(again).not.toBe(a);
    expect(pairs.get(String(one.items.get('bank.dpopKey')))).toBe(again);
  });

  it('is deleted with the session: the store forgets it and the tab no longer names it', async () => {
    const { pairs, store } = memoryStore();
    const tab = tabStorage();
    const pair = await sessionKeyPair(store, tab);
    await forgetSessionKey(store, tab);
    expect(pairs.size).toBe(0);
    expect(tab.items.size).toBe(0);
    expect(await sessionKeyPair(store, tab)).not.toBe(pair);
    await forgetSessionKey(store, tabStorage()); // nothing to forget: no error
  });
});
