// Item "revoked is revoked": an authentic CRL (signed by the issuer, naming it) that lists a chain
// certificate refuses the BLOB in every revocation mode, whatever its thisUpdate/nextUpdate; a stale
// CRL that does not list it only makes revocation "unavailable". And CRLs given by the caller are used
// instead of downloading. CRLs are minted by a CA on 127.0.0.1 with @peculiar/x509.
import 'reflect-metadata';
import { X509CrlGenerator } from '@peculiar/x509';
import { verifyBlob } from '@stepup/mds';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { payload, signBlob } from './helpers/blob.js';
import {
  algorithmOf,
  type BlobPki,
  CrlServer,
  clock,
  createBlobPki,
  type Issued,
  NOW,
} from './helpers/pki.js';

const DAY = 86_400_000;
let crls: CrlServer;
let other: BlobPki;

beforeAll(async () => {
  crls = await CrlServer.start();
  other = await createBlobPki(crls, 'RevOther');
});
afterAll(() => crls.close());

const modes = ['fail-closed', 'fail-open'] as const;

describe('a revoked certificate is refused whatever the CRL dates', () => {
  const stale: Array<[string, { thisUpdate?: Date; nextUpdate?: Date }]> = [
    [
      'past its nextUpdate',
      { thisUpdate: new Date(NOW.getTime() - 30 * DAY), nextUpdate: new Date(NOW.getTime() - DAY) },
    ],
    [
      'not yet valid',
      { thisUpdate: new Date(NOW.getTime() + DAY), nextUpdate: new Date(NOW.getTime() + 8 * DAY) },
    ],
  ];
  for (const [when, dates] of stale) {
    it(`an authentic CRL ${when} that lists the signer refuses it, fail-closed and fail-open`, async () => {
      const name = `stale${when.length}`;
      const p = await createBlobPki(crls, name);
      crls.revoke(`${name}-intermediate`, p.signer.cert);
      crls.faults.set(`${name}-intermediate`, dates);
      const jwt = await signBlob(p, payload(7, []));
      for (const revocation of modes) {
        await expect(verifyBlob(jwt, { roots: [p.rootPem], now: clock, revocation })).rejects.toMatchObject({
          code: 'ERR_BLOB_CERT_REVOKED',
          details: { subject: `CN=${name} MDS Signer`, reason: 'revoked' },
        });
      }
    });
  }

  it('a stale CRL that does not list it is "unavailable": refused fail-closed, accepted fail-open', async () => {
    const p = await createBlobPki(crls, 'StaleGood');
    crls.faults.set('stalegood-intermediate', { nextUpdate: new Date(NOW.getTime() - DAY) });
    const jwt = await signBlob(p, payload(7, []));
    await expect(verifyBlob(jwt, { roots: [p.rootPem], now: clock })).rejects.toMatchObject({
      code: 'ERR_REVOCATION_UNAVAILABLE',
      details: { reason: 'crl_expired' },
    });
    const blob = await verifyBlob(jwt, { roots: [p.rootPem], now: clock, revocation: 'fail-open' });
    expect(blob.certificates[0]?.revocation).toBe('unavailable');
  });

  it('a CRL listing it but signed by another key is not authentic: unavailable, not revoked', async () => {
    const p = await createBlobPki(crls, 'Forged');
    crls.revoke('forged-intermediate', p.signer.cert);
    crls.faults.set('forged-intermediate', { signWith: other.intermediate });
    const jwt = await signBlob(p, payload(7, []));
    await expect(verifyBlob(jwt, { roots: [p.rootPem], now: clock })).rejects.toMatchObject({
      code: 'ERR_REVOCATION_UNAVAILABLE',
      details: { reason: 'crl_signature' },
    });
    expect((await verifyBlob(jwt, { roots: [p.rootPem], now: clock, revocation: 'fail-open' })).no).toBe(7);
  });
});

async function crlOf(
  ca: Issued,
  revoked: Issued[],
  thisUpdate = NOW.getTime() - DAY,
  nextUpdate = NOW.getTime() + DAY,
) {
  const crl = await X509CrlGenerator.create({
    issuer: ca.cert.subject,
    thisUpdate: new Date(thisUpdate),
    nextUpdate: new Date(nextUpdate),
    entries: revoked.map((r) => ({
      serialNumber: r.cert.serialNumber,
      revocationDate: new Date(NOW.getTime() - DAY),
    })),
    signingKey: ca.keys.privateKey,
    signingAlgorithm: algorithmOf(ca.kind).sign,
  });
  return new Uint8Array(crl.rawData);
}

describe('CRLs given by the caller (crls option)', () => {
  const nothingFetched: typeof fetch = async () => {
    throw new Error('a CRL was downloaded although CRLs were given');
  };

  it('uses them instead of downloading: good CRLs for both chain certificates', async () => {
    const p = await createBlobPki(crls, 'Given');
    const jwt = await signBlob(p, payload(7, []));
    const intermediateCrl = await crlOf(p.intermediate, []);
    const rootCrl = Buffer.from(await crlOf(p.root, [])).toString('base64');
    const pem = `-----BEGIN X509 CRL-----\n${rootCrl}\n-----END X509 CRL-----\n`;
    // DER bytes, PEM text and base64 DER text are all accepted.
    for (const list of [
      [intermediateCrl, pem],
      [intermediateCrl, rootCrl],
      [intermediateCrl, new TextEncoder().encode(pem)],
    ]) {
      const blob = await verifyBlob(jwt, {
        roots: [p.rootPem],
        now: clock,
        fetch: nothingFetched,
        crls: list,
      });
      expect(blob.certificates.map((c) => c.revocation)).toEqual(['good', 'good', 'not_checked']);
    }
  });

  it('a given CRL listing the signer refuses it in both modes, even when stale', async () => {
    const p = await createBlobPki(crls, 'GivenRevoked');
    const jwt = await signBlob(p, payload(7, []));
    const list = [
      await crlOf(p.intermediate, [p.signer], NOW.getTime() - 30 * DAY, NOW.getTime() - 20 * DAY),
      await crlOf(p.root, []),
    ];
    for (const revocation of modes) {
      await expect(
        verifyBlob(jwt, { roots: [p.rootPem], now: clock, fetch: nothingFetched, crls: list, revocation }),
      ).rejects.toMatchObject({
        code: 'ERR_BLOB_CERT_REVOKED',
        details: { subject: 'CN=GivenRevoked MDS Signer' },
      });
    }
  });

  it('a chain certificate whose issuer has no given CRL is unavailable (crl_not_provided), nothing fetched', async () => {
    const p = await createBlobPki(crls, 'GivenMissing');
    const jwt = await signBlob(p, payload(7, []));
    const list = [await crlOf(p.intermediate, [])];
    await expect(
      verifyBlob(jwt, { roots: [p.rootPem], now: clock, fetch: nothingFetched, crls: list }),
    ).rejects.toMatchObject({
      code: 'ERR_REVOCATION_UNAVAILABLE',
      details: { reason: 'crl_not_provided', subject: 'CN=GivenMissing MDS CA-1' },
    });
    const open = await verifyBlob(jwt, {
      roots: [p.rootPem],
      now: clock,
      fetch: nothingFetched,
      crls: list,
      revocation: 'fail-open',
    });
    expect(open.certificates.map((c) => c.revocation)).toEqual(['good', 'unavailable', 'not_checked']);
  });

  it('refuses a value that is not a CRL at the call, naming it', async () => {
    const p = await createBlobPki(crls, 'GivenBad');
    const jwt = await signBlob(p, payload(7, []));
    await expect(
      verifyBlob(jwt, { roots: [p.rootPem], now: clock, crls: [await crlOf(p.root, []), 'not a crl'] }),
    ).rejects.toMatchObject({ code: 'ERR_CONFIG_INVALID', details: { path: 'crls.1' } });
  });
});
