// Item "pin the signer, not only the root": a public root (GlobalSign R3 for the production BLOB) signs
// a great many certificates, so the BLOB signer (x5c leaf) is pinned by its common name too: on by
// default with the bundled root, optional with custom roots.
import { FIDO_MDS_ROOT_PEM, FIDO_MDS_SIGNER_COMMON_NAME, verifyBlob } from '@stepup/mds';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveTrust } from '../src/blob/trust.js';
import { payload, signBlob } from './helpers/blob.js';
import { CONFORMANCE_NOW, conformanceBlob, conformanceRoot } from './helpers/fixtures.js';
import { type BlobPki, CrlServer, clock, createBlobPki, issue } from './helpers/pki.js';

let crls: CrlServer;
let pki: BlobPki;

beforeAll(async () => {
  crls = await CrlServer.start();
  pki = await createBlobPki(crls, 'Pin');
});
afterAll(() => crls.close());

describe('signer pin', () => {
  it('with custom roots, no pin unless asked: any leaf under the root is accepted', async () => {
    const jwt = await signBlob(pki, payload(3, []));
    expect((await verifyBlob(jwt, { roots: [pki.rootPem], now: clock })).no).toBe(3);
  });

  it('a pinned common name accepts its signer (any case) and refuses another leaf under the same root', async () => {
    const jwt = await signBlob(pki, payload(3, []));
    const pinned = { roots: [pki.rootPem], now: clock, signerCommonNames: ['pin mds signer'] };
    expect((await verifyBlob(jwt, pinned)).no).toBe(3);
    // Another certificate the same intermediate issued: a valid chain, a valid signature, the wrong signer.
    const sibling = await issue({
      subject: 'CN=Pin Web Server',
      issuer: pki.intermediate,
      crlUrl: crls.url('pin-intermediate'),
    });
    const forged = await signBlob(pki, payload(4, []), { x5c: [sibling, pki.intermediate], key: sibling });
    expect((await verifyBlob(forged, { roots: [pki.rootPem], now: clock })).no).toBe(4);
    crls.requests = [];
    await expect(verifyBlob(forged, pinned)).rejects.toMatchObject({
      code: 'ERR_BLOB_CHAIN_UNTRUSTED',
      details: { reason: 'signer_not_pinned', subject: 'CN=Pin Web Server' },
    });
    expect(crls.requests).toEqual([]); // refused before any CRL traffic
  });

  it('the pin reads the CN, not a substring of the subject', async () => {
    const impostor = await issue({
      subject: 'CN=evil.example, OU=Pin MDS Signer',
      issuer: pki.intermediate,
      crlUrl: crls.url('pin-intermediate'),
    });
    const jwt = await signBlob(pki, payload(5, []), { x5c: [impostor, pki.intermediate], key: impostor });
    await expect(
      verifyBlob(jwt, { roots: [pki.rootPem], now: clock, signerCommonNames: ['Pin MDS Signer'] }),
    ).rejects.toMatchObject({ details: { reason: 'signer_not_pinned' } });
  });

  it('pins the real conformance BLOB to its real signer', async () => {
    const options = {
      roots: [conformanceRoot()],
      now: () => CONFORMANCE_NOW,
      fetch: async () => Promise.reject(new TypeError('offline')),
      revocation: 'fail-open' as const,
    };
    const ok = await verifyBlob(conformanceBlob(), {
      ...options,
      signerCommonNames: ['FAKE Metadata 3 BLOB Signing Signer 4 FAKE'],
    });
    expect(ok.no).toBe(42);
    await expect(
      verifyBlob(conformanceBlob(), { ...options, signerCommonNames: [FIDO_MDS_SIGNER_COMMON_NAME] }),
    ).rejects.toMatchObject({ code: 'ERR_BLOB_CHAIN_UNTRUSTED', details: { reason: 'signer_not_pinned' } });
  });

  it('is on by default with the bundled production root, given or defaulted, and replaceable', () => {
    expect(FIDO_MDS_SIGNER_COMMON_NAME).toBe('mds.fidoalliance.org');
    expect([...(resolveTrust(undefined, undefined).signerCommonNames ?? [])]).toEqual([
      'mds.fidoalliance.org',
    ]);
    expect([...(resolveTrust([pki.rootPem, FIDO_MDS_ROOT_PEM], undefined).signerCommonNames ?? [])]).toEqual([
      'mds.fidoalliance.org',
    ]);
    expect(resolveTrust([pki.rootPem], undefined).signerCommonNames).toBeUndefined();
    expect([...(resolveTrust(undefined, ['MDS2.example']).signerCommonNames ?? [])]).toEqual([
      'mds2.example',
    ]);
  });

  it('refuses an empty pin list or an empty name at the call', async () => {
    const jwt = await signBlob(pki, payload(3, []));
    for (const signerCommonNames of [[], ['']]) {
      await expect(
        verifyBlob(jwt, { roots: [pki.rootPem], now: clock, signerCommonNames }),
      ).rejects.toMatchObject({
        code: 'ERR_CONFIG_INVALID',
      });
    }
  });
});
