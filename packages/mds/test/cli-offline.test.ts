// The command line verifies offline with CRL files (--crl, repeatable: nothing is downloaded), pins the
// signer (--signer), lists skipped entries, and classifies with local statements (--local). Real PKI:
// a root, an intermediate and a signer made at test time, CRLs minted with @peculiar/x509.
import 'reflect-metadata';
import { X509CrlGenerator } from '@peculiar/x509';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliIo, runCli } from '../src/cli/run.js';
import { buildRegistration } from './helpers/attestation.js';
import { entry, payload, signBlob } from './helpers/blob.js';
import {
  algorithmOf,
  type BlobPki,
  b64,
  CrlServer,
  clock,
  createBlobPki,
  type Issued,
  issue,
  NOW,
} from './helpers/pki.js';

const DAY = 86_400_000;
const KEY = '11111111-2222-4333-8444-555555555555';
let crls: CrlServer;
let pki: BlobPki;
let vendorRoot: Issued;
let files: Record<string, Uint8Array | string>;
let fetches = 0;

async function crlOf(ca: Issued, revoked: Issued[] = []) {
  const crl = await X509CrlGenerator.create({
    issuer: ca.cert.subject,
    thisUpdate: new Date(NOW.getTime() - DAY),
    nextUpdate: new Date(NOW.getTime() + DAY),
    entries: revoked.map((r) => ({
      serialNumber: r.cert.serialNumber,
      revocationDate: new Date(NOW.getTime() - DAY),
    })),
    signingKey: ca.keys.privateKey,
    signingAlgorithm: algorithmOf(ca.kind).sign,
  });
  return new Uint8Array(crl.rawData);
}

beforeAll(async () => {
  crls = await CrlServer.start();
  pki = await createBlobPki(crls, 'Cli');
  vendorRoot = await issue({ subject: 'CN=Cli Vendor Root', ca: true });
  const broken = entry({ aaguid: '22222222-2222-4333-8444-555555555555' });
  (broken.metadataStatement as Record<string, unknown>).keyProtection = 'hardware';
  const leaf = await issue({ subject: 'CN=Cli Key', issuer: vendorRoot });
  files = {
    'blob.jwt': await signBlob(
      pki,
      payload(7, [entry({ aaguid: '33333333-2222-4333-8444-555555555555' }), broken]),
    ),
    'root.pem': pki.rootPem,
    'intermediate.crl': await crlOf(pki.intermediate),
    'root.crl': `-----BEGIN X509 CRL-----\n${Buffer.from(await crlOf(pki.root)).toString('base64')}\n-----END X509 CRL-----\n`,
    'revoking.crl': await crlOf(pki.intermediate, [pki.signer]),
    'not-a.crl': 'hello',
    'attestation.cbor': (await buildRegistration({ aaguid: KEY, x5c: [leaf] })).attestationObject,
    'local.json': JSON.stringify([
      {
        aaguid: KEY,
        metadataStatement: {
          attestationRootCertificates: [b64(vendorRoot.cert)],
          keyProtection: ['hardware', 'tee'],
        },
        statusReports: [{ status: 'FIDO_CERTIFIED_L1', effectiveDate: '2024-01-01' }],
      },
    ]),
    'bad-local.json': JSON.stringify([
      { aaguid: KEY, metadataStatement: { keyProtection: ['hardware'] }, extra: 1 },
    ]),
  };
});
afterAll(() => crls.close());

async function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    readFile: async (path) => {
      const content = files[path];
      if (content === undefined)
        throw Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), {
          code: 'ENOENT',
        });
      return typeof content === 'string' ? new TextEncoder().encode(content) : content;
    },
    fetch: async () => {
      fetches++;
      throw new TypeError('offline');
    },
    now: clock,
  };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

const offline = ['--root', 'root.pem', '--crl', 'intermediate.crl', '--crl', 'root.crl'];

describe('stepup-mds offline', () => {
  it('verifies fail-closed with CRL files (DER and PEM) and downloads nothing', async () => {
    fetches = 0;
    const { code, stdout, stderr } = await run('verify', 'blob.jwt', ...offline);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(fetches).toBe(0);
    expect(stdout).toContain('  CN=Cli MDS Signer (until ');
    expect(stdout).toMatch(
      /CN=Cli MDS Signer \(until .*, revocation: good\)\n {2}CN=Cli MDS CA-1 \(until .*, revocation: good\)/,
    );
    // Without the files the same command needs the network, which is off.
    const online = await run('verify', 'blob.jwt', '--root', 'root.pem');
    expect(online.stderr).toMatch(/^error: ERR_REVOCATION_UNAVAILABLE: /);
  });

  it('refuses a BLOB whose signer a CRL file lists, and names a file that is not a CRL', async () => {
    const revoked = await run(
      'verify',
      'blob.jwt',
      '--root',
      'root.pem',
      '--crl',
      'revoking.crl',
      '--crl',
      'root.crl',
    );
    expect(revoked).toMatchObject({ code: 1, stdout: '' });
    expect(revoked.stderr).toBe(
      'error: ERR_BLOB_CERT_REVOKED: BLOB chain certificate is revoked: CN=Cli MDS Signer\n',
    );
    const garbage = await run('verify', 'blob.jwt', ...offline, '--crl', 'not-a.crl');
    expect(garbage).toMatchObject({ code: 1 });
    expect(garbage.stderr).toBe(
      'error: ERR_CONFIG_INVALID: verifyBlob: invalid options: crls.2: not a CRL\n',
    );
  });

  it('lists the entries skipped as malformed, in text and JSON', async () => {
    const text = await run('verify', 'blob.jwt', ...offline);
    expect(text.stdout).toContain(
      'entries:     1\nskipped:     1\n  entry 1: entries.1.metadataStatement.keyProtection: ',
    );
    const json = JSON.parse((await run('verify', 'blob.jwt', ...offline, '--json')).stdout);
    expect(json.skippedEntries).toEqual([
      { index: 1, path: 'entries.1.metadataStatement.keyProtection', reason: expect.any(String) },
    ]);
  });

  it('pins the signer with --signer', async () => {
    expect((await run('verify', 'blob.jwt', ...offline, '--signer', 'Cli MDS Signer')).code).toBe(0);
    const other = await run('verify', 'blob.jwt', ...offline, '--signer', 'mds.fidoalliance.org');
    expect(other.stderr).toMatch(
      /^error: ERR_BLOB_CHAIN_UNTRUSTED: BLOB signer CN=Cli MDS Signer is not the pinned signer\n$/,
    );
  });

  it('classifies with local statements (--local), strictly validated', async () => {
    const without = await run('classify', 'blob.jwt', 'attestation.cbor', ...offline);
    expect(JSON.parse(without.stdout)).toMatchObject({ class: 'medium', reasons: ['metadata_not_found'] });
    const withLocal = await run(
      'classify',
      'blob.jwt',
      'attestation.cbor',
      ...offline,
      '--local',
      'local.json',
    );
    expect(JSON.parse(withLocal.stdout)).toMatchObject({
      class: 'high',
      evidence: { metadata: { source: 'local' } },
    });
    const bad = await run(
      'classify',
      'blob.jwt',
      'attestation.cbor',
      ...offline,
      '--local',
      'bad-local.json',
    );
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe(
      'error: ERR_CONFIG_INVALID: localStatements: invalid options: 0.metadataStatement.attestationRootCertificates: Invalid input: expected array, received undefined; 0.extra: unknown option\n',
    );
    expect(
      (await run('classify', 'blob.jwt', 'attestation.cbor', ...offline, '--local', 'gone.json')).stderr,
    ).toBe('error: cannot read gone.json (file not found)\n');
  });
});
