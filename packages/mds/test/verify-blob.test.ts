import { type MdsErrorCode, verifyBlob } from '@stepup/mds';
import { CompactSign, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entry, payload, signBlob } from './helpers/blob.js';
import { type BlobPki, CrlServer, clock, createBlobPki, issue, NOW } from './helpers/pki.js';

const AAGUID = '0a6e3d2c-7f41-4b55-9c1e-5a1f0e0d7b21';
let crls: CrlServer;
let pki: BlobPki;
let other: BlobPki;

beforeAll(async () => {
  crls = await CrlServer.start();
  pki = await createBlobPki(crls, 'Test');
  other = await createBlobPki(crls, 'Other');
});
afterAll(() => crls.close());

const options = (o: Parameters<typeof verifyBlob>[1] = {}) => ({ roots: [pki.rootPem], now: clock, ...o });

async function codeOf(promise: Promise<unknown>): Promise<MdsErrorCode | 'resolved'> {
  try {
    await promise;
    return 'resolved';
  } catch (error) {
    return (error as { code: MdsErrorCode }).code;
  }
}

describe('verifyBlob with a self-made root and intermediate', () => {
  it('accepts a good BLOB, checks both CRLs and indexes it', async () => {
    crls.requests = [];
    const jwt = await signBlob(pki, payload(7, [entry({ aaguid: AAGUID })]));
    const blob = await verifyBlob(jwt, options());
    expect(blob.no).toBe(7);
    expect(blob.nextUpdate).toBe('2025-07-01');
    expect(blob.legalHeader).toBe('Test legal header: do no evil.');
    expect(blob.lookupAaguid(AAGUID)?.aaguid).toBe(AAGUID);
    expect(blob.certificates.map((c) => [c.subject, c.revocation])).toEqual([
      ['CN=Test MDS Signer', 'good'],
      ['CN=Test MDS CA-1', 'good'],
      ['CN=Test MDS Root', 'not_checked'],
    ]);
    expect(crls.requests.sort()).toEqual(['/test-intermediate.crl', '/test-root.crl']);
  });

  it('accepts bytes and surrounding whitespace (a file read as a Buffer)', async () => {
    const jwt = await signBlob(pki, payload(7, []));
    const blob = await verifyBlob(new TextEncoder().encode(`${jwt}\n`), options());
    expect(blob.no).toBe(7);
  });

  it('accepts RS256 (the production algorithm)', async () => {
    const rsa = await createBlobPki(crls, 'Rsa', 'RSA');
    const jwt = await signBlob(rsa, payload(3, []));
    expect(decodeProtectedHeader(jwt).alg).toBe('RS256');
    const blob = await verifyBlob(jwt, { roots: [rsa.rootPem], now: clock });
    expect(blob.no).toBe(3);
  });

  it('refuses a BLOB chaining to another root', async () => {
    const jwt = await signBlob(other, payload(7, []));
    expect(await codeOf(verifyBlob(jwt, options()))).toBe('ERR_BLOB_CHAIN_UNTRUSTED');
  });

  it('refuses by default against the bundled FIDO production root', async () => {
    const jwt = await signBlob(pki, payload(7, []));
    await expect(verifyBlob(jwt, { now: clock })).rejects.toMatchObject({
      code: 'ERR_BLOB_CHAIN_UNTRUSTED',
      details: { reason: 'untrusted_root' },
    });
  });

  it('refuses a signature by a key other than the x5c leaf', async () => {
    const jwt = await signBlob(pki, payload(7, []), { key: other.signer });
    expect(await codeOf(verifyBlob(jwt, options()))).toBe('ERR_BLOB_SIGNATURE_INVALID');
  });

  it('refuses a payload changed after signing', async () => {
    const jwt = await signBlob(pki, payload(7, []));
    const [h, , s] = jwt.split('.');
    const forged = Buffer.from(JSON.stringify(payload(8, []))).toString('base64url');
    expect(await codeOf(verifyBlob(`${h}.${forged}.${s}`, options()))).toBe('ERR_BLOB_SIGNATURE_INVALID');
  });

  it('refuses an x5c whose certificates do not issue each other in order', async () => {
    const jwt = await signBlob(pki, payload(7, []), {
      x5c: [pki.signer, other.intermediate, pki.intermediate],
    });
    await expect(verifyBlob(jwt, options())).rejects.toMatchObject({
      code: 'ERR_BLOB_CHAIN_UNTRUSTED',
      details: { reason: 'broken_chain', subject: 'CN=Test MDS Signer' },
    });
  });

  it('takes x5c[0] as the signer: an intermediate put first does not verify the signature', async () => {
    const jwt = await signBlob(pki, payload(7, []), { x5c: [pki.intermediate, pki.signer] });
    expect(await codeOf(verifyBlob(jwt, options()))).toBe('ERR_BLOB_SIGNATURE_INVALID');
  });

  it('refuses an intermediate that is not a CA', async () => {
    const fake = await issue({
      subject: 'CN=Not A CA',
      issuer: pki.root,
      ca: false,
      crlUrl: crls.url('test-root'),
    });
    const signer = await issue({ subject: 'CN=Signer under leaf', issuer: fake });
    const jwt = await signBlob(pki, payload(7, []), { x5c: [signer, fake], key: signer });
    await expect(verifyBlob(jwt, options())).rejects.toMatchObject({
      code: 'ERR_BLOB_CHAIN_UNTRUSTED',
      details: { reason: 'not_ca', subject: 'CN=Not A CA' },
    });
  });

  it('refuses an expired signing certificate, and one not yet valid', async () => {
    const jwt = await signBlob(pki, payload(7, []));
    const later = pki.signer.cert.notAfter.getTime() + 1000;
    await expect(verifyBlob(jwt, options({ now: () => later }))).rejects.toMatchObject({
      code: 'ERR_BLOB_CHAIN_UNTRUSTED',
      details: { reason: 'expired', subject: 'CN=Test MDS Signer' },
    });
    const earlier = pki.signer.cert.notBefore.getTime() - 1000;
    await expect(verifyBlob(jwt, options({ now: () => earlier }))).rejects.toMatchObject({
      code: 'ERR_BLOB_CHAIN_UNTRUSTED',
      details: { reason: 'not_yet_valid' },
    });
  });

  it('accepts an x5c that includes the root itself', async () => {
    const jwt = await signBlob(pki, payload(7, []), { x5c: [pki.signer, pki.intermediate, pki.root] });
    expect((await verifyBlob(jwt, options())).no).toBe(7);
  });
});

describe('verifyBlob revocation', () => {
  it('refuses a revoked signing certificate, under both policies', async () => {
    const p = await createBlobPki(crls, 'Revoked');
    crls.revoke('revoked-intermediate', p.signer.cert);
    const jwt = await signBlob(p, payload(7, []));
    for (const revocation of ['fail-closed', 'fail-open'] as const) {
      await expect(verifyBlob(jwt, { roots: [p.rootPem], now: clock, revocation })).rejects.toMatchObject({
        code: 'ERR_BLOB_CERT_REVOKED',
        details: { subject: 'CN=Revoked MDS Signer' },
      });
    }
  });

  it('refuses a revoked intermediate', async () => {
    const p = await createBlobPki(crls, 'RevokedCa');
    crls.revoke('revokedca-root', p.intermediate.cert);
    const jwt = await signBlob(p, payload(7, []));
    await expect(verifyBlob(jwt, { roots: [p.rootPem], now: clock })).rejects.toMatchObject({
      code: 'ERR_BLOB_CERT_REVOKED',
      details: { subject: 'CN=RevokedCa MDS CA-1' },
    });
  });

  type Fault = {
    status?: number;
    body?: Uint8Array;
    thisUpdate?: Date;
    nextUpdate?: Date;
    issuer?: string;
    signer?: boolean;
  };
  const faults: Array<[string, Fault, string]> = [
    ['an HTTP error', { status: 500 }, 'crl_http_status'],
    ['garbage', { body: new TextEncoder().encode('not a crl') }, 'crl_malformed'],
    ['a CRL past its nextUpdate', { nextUpdate: new Date(NOW.getTime() - 1000) }, 'crl_expired'],
    ['a CRL not yet valid', { thisUpdate: new Date(NOW.getTime() + 60_000) }, 'crl_not_yet_valid'],
    ['a CRL signed by another key', { signer: true }, 'crl_signature'],
    ['a CRL naming another issuer', { issuer: 'CN=Someone Else' }, 'crl_issuer_mismatch'],
    ['a CRL larger than 8 MiB', { body: new Uint8Array(8 * 1024 * 1024 + 1) }, 'crl_too_large'],
  ];
  for (const [what, fault, reason] of faults) {
    it(`treats ${what} as unavailable: refused fail-closed, accepted fail-open`, async () => {
      const name = `fault${reason.replaceAll('_', '')}`;
      const p = await createBlobPki(crls, name);
      crls.faults.set(`${name}-intermediate`, {
        ...fault,
        ...(fault.signer ? { signWith: other.intermediate } : {}),
      });
      const jwt = await signBlob(p, payload(7, []));
      await expect(verifyBlob(jwt, { roots: [p.rootPem], now: clock })).rejects.toMatchObject({
        code: 'ERR_REVOCATION_UNAVAILABLE',
        details: { reason, subject: `CN=${name} MDS Signer` },
      });
      const blob = await verifyBlob(jwt, { roots: [p.rootPem], now: clock, revocation: 'fail-open' });
      expect(blob.certificates[0]?.revocation).toBe('unavailable');
    });
  }

  it('treats an unreachable CRL (injected fetch failing) as unavailable', async () => {
    const jwt = await signBlob(pki, payload(7, []));
    const offline: typeof fetch = async () => {
      throw new TypeError('fetch failed');
    };
    await expect(verifyBlob(jwt, options({ fetch: offline }))).rejects.toMatchObject({
      code: 'ERR_REVOCATION_UNAVAILABLE',
      details: { reason: 'crl_unreachable' },
    });
  });

  it('treats a chain certificate without a CRL distribution point as unavailable', async () => {
    const root = await issue({ subject: 'CN=NoCdp Root', ca: true });
    const signer = await issue({ subject: 'CN=NoCdp Signer', issuer: root });
    const jwt = await signBlob({ root, intermediate: root, signer, rootPem: '' }, payload(7, []), {
      x5c: [signer],
    });
    const roots = [root.cert.toString('pem')];
    await expect(verifyBlob(jwt, { roots, now: clock })).rejects.toMatchObject({
      code: 'ERR_REVOCATION_UNAVAILABLE',
      details: { reason: 'no_crl_url' },
    });
    expect((await verifyBlob(jwt, { roots, now: clock, revocation: 'fail-open' })).no).toBe(7);
  });
});

describe('verifyBlob payload, size, rollback and structure', () => {
  it('refuses a signed payload that is not JSON', async () => {
    const jwt = await signBlob(pki, 'this is not json');
    await expect(verifyBlob(jwt, options())).rejects.toMatchObject({
      code: 'ERR_BLOB_PAYLOAD_INVALID',
      details: { reason: 'not_json' },
    });
  });

  it('refuses a signed payload that is truncated JSON', async () => {
    const json = JSON.stringify(payload(7, [entry({ aaguid: AAGUID })]));
    const jwt = await signBlob(pki, json.slice(0, Math.floor(json.length / 2)));
    expect(await codeOf(verifyBlob(jwt, options()))).toBe('ERR_BLOB_PAYLOAD_INVALID');
  });

  it('refuses a truncated BLOB', async () => {
    const jwt = await signBlob(pki, payload(7, [entry({ aaguid: AAGUID })]));
    expect(await codeOf(verifyBlob(jwt.slice(0, jwt.length - 20), options()))).toBe(
      'ERR_BLOB_SIGNATURE_INVALID',
    );
    expect(await codeOf(verifyBlob(jwt.slice(0, jwt.indexOf('.') + 10), options()))).toBe(
      'ERR_BLOB_MALFORMED',
    );
    expect(await codeOf(verifyBlob(jwt.slice(0, 30), options()))).toBe('ERR_BLOB_MALFORMED');
  });

  it.each([
    ['no missing', { legalHeader: 'x', nextUpdate: '2025-07-01', entries: [] }, 'no'],
    ['no negative', { ...payload(-1, []) }, 'no'],
    ['nextUpdate not a date', { ...payload(1, []), nextUpdate: '2025-13-01' }, 'nextUpdate'],
    ['legalHeader missing', { no: 1, nextUpdate: '2025-07-01', entries: [] }, 'legalHeader'],
    ['entries not an array', { ...payload(1, []), entries: {} }, 'entries'],
    ['legalHeader not a string', { ...payload(1, []), legalHeader: 7 }, 'legalHeader'],
  ])('refuses a payload with %s', async (_what, body, path) => {
    const jwt = await signBlob(pki, body);
    await expect(verifyBlob(jwt, options())).rejects.toMatchObject({
      code: 'ERR_BLOB_PAYLOAD_INVALID',
      details: { reason: 'schema', path },
    });
  });

  it('keeps unknown fields and unknown status values', async () => {
    const e = {
      ...entry({ aaguid: AAGUID, statusReports: [{ status: 'SOMETHING_NEW', effectiveDate: '2024-02-02' }] }),
      futureField: 1,
    };
    const jwt = await signBlob(pki, { ...payload(9, [e]), futureTopLevel: true });
    const blob = await verifyBlob(jwt, options());
    expect(blob.lookupAaguid(AAGUID)).toMatchObject({
      futureField: 1,
      statusReports: [{ status: 'SOMETHING_NEW' }],
    });
  });

  it('refuses a BLOB larger than maxBytes, before any other work', async () => {
    crls.requests = [];
    const jwt = await signBlob(pki, payload(7, [entry({ aaguid: AAGUID })]));
    await expect(verifyBlob(jwt, options({ maxBytes: jwt.length - 1 }))).rejects.toMatchObject({
      code: 'ERR_BLOB_TOO_LARGE',
      details: { maxBytes: jwt.length - 1 },
    });
    await expect(verifyBlob(Buffer.from(jwt), options({ maxBytes: 100 }))).rejects.toMatchObject({
      code: 'ERR_BLOB_TOO_LARGE',
    });
    expect(crls.requests).toEqual([]);
    expect((await verifyBlob(jwt, options({ maxBytes: jwt.length }))).no).toBe(7);
  });

  it('refuses a no that is not greater than minNo (rollback), before fetching CRLs', async () => {
    const jwt = await signBlob(pki, payload(7, []));
    crls.requests = [];
    await expect(verifyBlob(jwt, options({ minNo: 7 }))).rejects.toMatchObject({
      code: 'ERR_BLOB_ROLLBACK',
      details: { no: 7, minNo: 7 },
    });
    await expect(verifyBlob(jwt, options({ minNo: 8 }))).rejects.toMatchObject({ code: 'ERR_BLOB_ROLLBACK' });
    expect(crls.requests).toEqual([]);
    expect((await verifyBlob(jwt, options({ minNo: 6 }))).no).toBe(7);
  });

  it('refuses algorithms outside the allow-list and headers without a usable x5c', async () => {
    const body = new TextEncoder().encode(JSON.stringify(payload(7, [])));
    const hmac = await new CompactSign(body)
      .setProtectedHeader({ alg: 'HS256', x5c: [] })
      .sign(new Uint8Array(32).fill(1));
    await expect(verifyBlob(hmac, options())).rejects.toMatchObject({
      code: 'ERR_BLOB_MALFORMED',
      details: { reason: 'alg_not_allowed' },
    });
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(body).toString('base64url')}.`;
    expect(await codeOf(verifyBlob(none, options()))).toBe('ERR_BLOB_MALFORMED');
    const noX5c = await new CompactSign(body)
      .setProtectedHeader({ alg: 'ES256' })
      .sign(pki.signer.keys.privateKey);
    await expect(verifyBlob(noX5c, options())).rejects.toMatchObject({ details: { reason: 'x5c_missing' } });
    const badX5c = await new CompactSign(body)
      .setProtectedHeader({ alg: 'ES256', x5c: ['bm90IGEgY2VydA=='] })
      .sign(pki.signer.keys.privateKey);
    await expect(verifyBlob(badX5c, options())).rejects.toMatchObject({
      details: { reason: 'x5c_malformed' },
    });
  });

  it('refuses bytes that are not UTF-8', async () => {
    expect(await codeOf(verifyBlob(new Uint8Array([0xff, 0xfe, 0x2e]), options()))).toBe(
      'ERR_BLOB_MALFORMED',
    );
  });

  it('throws ERR_CONFIG_INVALID for bad options', async () => {
    const jwt = await signBlob(pki, payload(7, []));
    expect(await codeOf(verifyBlob(jwt, { roots: ['not a certificate'] }))).toBe('ERR_CONFIG_INVALID');
    expect(await codeOf(verifyBlob(jwt, { roots: [] }))).toBe('ERR_CONFIG_INVALID');
    expect(await codeOf(verifyBlob(jwt, { minNo: -1 }))).toBe('ERR_CONFIG_INVALID');
    // @ts-expect-error an unknown revocation policy
    expect(await codeOf(verifyBlob(jwt, { revocation: 'ignore' }))).toBe('ERR_CONFIG_INVALID');
  });
});
