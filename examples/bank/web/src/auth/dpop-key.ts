// The session's DPoP key (RFC 9449): an ES256 key pair made by WebCrypto with a private key that is not
// extractable, so no script, this app's included, can read it out and sign elsewhere. It is kept in
// IndexedDB, which stores a CryptoKey as itself (the structured clone keeps it non-extractable), under
// an id kept in this tab's sessionStorage beside the session: each tab's session has its own key, and
// forgetting the session deletes it. Whoever runs script in the page while it is open can still ask the
// key to sign (see the README); the key never leaves the browser.
//
// A tiny IndexedDB wrapper by hand: the three calls below are all the app needs, and no IndexedDB
// library (idb, idb-keyval) is a dependency of the bank; WebCrypto does the rest.

const DB_NAME = 'stepup-bank';
const STORE = 'dpop-keys';
const KEY_ID = 'bank.dpopKey';

/** The WebCrypto parameters of ES256 (the contract's `DPOP_ALGORITHMS`, the only one the bank accepts). */
const ES256: EcKeyGenParams = { name: 'ECDSA', namedCurve: 'P-256' };

/** Where the key pairs are kept; IndexedDB in the browser, a map in tests (structured clone aside). */
export interface KeyPairStore {
  get(id: string): Promise<CryptoKeyPair | undefined>;
  put(id: string, keyPair: CryptoKeyPair): Promise<void>;
  delete(id: string): Promise<void>;
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function openDb(factory: IDBFactory): Promise<IDBDatabase> {
  const open = factory.open(DB_NAME, 1);
  open.onupgradeneeded = () => open.result.createObjectStore(STORE);
  return request(open);
}

/** {@link KeyPairStore} on IndexedDB (one object store, the pair under its id). */
export function indexedDbKeyStore(factory: IDBFactory = indexedDB): KeyPairStore {
  const run = async <T>(mode: IDBTransactionMode, op: (store: IDBObjectStore) => IDBRequest<T>) => {
    const db = await openDb(factory);
    try {
      return await request(op(db.transaction(STORE, mode).objectStore(STORE)));
    } finally {
      db.close();
    }
  };
  return {
    async get(id) {
      const found: unknown = await run('readonly', (store) => store.get(id));
      return isKeyPair(found) ? found : undefined;
    },
    async put(id, keyPair) {
      await run('readwrite', (store) => store.put(keyPair, id));
    },
    async delete(id) {
      await run('readwrite', (store) => store.delete(id));
    },
  };
}

function isKeyPair(value: unknown): value is CryptoKeyPair {
  if (typeof value !== 'object' || value === null) return false;
  const { privateKey, publicKey } = value as Partial<CryptoKeyPair>;
  return privateKey instanceof CryptoKey && publicKey instanceof CryptoKey;
}

/** A new ES256 key pair whose private key cannot be exported. */
export function generateDpopKeyPair(): Promise<CryptoKeyPair> {
  return crypto.subtle.generateKey(ES256, false, ['sign', 'verify']);
}

/** The key pair of this tab's session in `store`, made (and kept) on first need. */
export async function sessionKeyPair(
  store: KeyPairStore,
  ids: Pick<Storage, 'getItem' | 'setItem'> = sessionStorage,
): Promise<CryptoKeyPair> {
  const id = ids.getItem(KEY_ID);
  const found = id === null ? undefined : await store.get(id);
  if (found !== undefined) return found;
  const keyPair = await generateDpopKeyPair();
  const next = crypto.randomUUID();
  await store.put(next, keyPair);
  ids.setItem(KEY_ID, next);
  return keyPair;
}

/** Deletes this tab's session key: its tokens can no longer be used or refreshed anywhere. */
export async function forgetSessionKey(
  store: KeyPairStore,
  ids: Pick<Storage, 'getItem' | 'removeItem'> = sessionStorage,
): Promise<void> {
  const id = ids.getItem(KEY_ID);
  ids.removeItem(KEY_ID);
  if (id !== null) await store.delete(id);
}
