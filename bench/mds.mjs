// MDS benchmark (issue 4), one run, one machine, sequential:
//   ours   : @stepup/mds verifyBlob — chain to the root, CRLs for signer and intermediate (served
//            on 127.0.0.1, fetched every call: no cache), RS256 signature, zod payload validation,
//            `no` check, and the AAGUID/AAID/key-id indexes.
//   peer   : @simplewebauthn/server verifyMDSBlob — chain, CRLs (it caches them after the first
//            call), signature, JSON.parse; no schema, no `no`, no index (it does less).
// The BLOB is made here: ~10 MB, 500 entries (icons and attestation roots like production), signed
// RS256 by a root → intermediate → signer chain made with @peculiar/x509.
// Peak memory: each verifier runs once in a fresh child process; its max RSS is reported.
// Targets: ours ≤ 1.2x peer; ours peak < 300 MB; lookup < 1 µs.
// Run: npm run build && npm run bench:mds
import 'reflect-metadata';
import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  BasicConstraintsExtension,
  CRLDistributionPointsExtension,
  KeyUsageFlags,
  KeyUsagesExtension,
  X509CertificateGenerator,
  X509CrlGenerator,
} from '@peculiar/x509';
import { SettingsService } from '@simplewebauthn/server';
import { verifyMDSBlob } from '@simplewebauthn/server/helpers';
import { verifyBlob } from '@stepup/mds';
import { CompactSign } from 'jose';

const ENTRIES = Number(process.env.BENCH_ENTRIES ?? 500);
const TARGET_BYTES = Number(process.env.BENCH_BYTES ?? 10 * 1024 * 1024);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
const LOOKUPS = 2_000_000;
const rsa = {
  name: 'RSASSA-PKCS1-v1_5',
  hash: 'SHA-256',
  modulusLength: 2048,
  publicExponent: new Uint8Array([1, 0, 1]),
};
const DAY = 86_400_000;

if (process.argv[2] === '--child') await child(process.argv[3], process.argv[4]);
else await main();

async function child(which, dir) {
  const jwt = readFileSync(join(dir, 'blob.jwt'), 'utf8');
  const root = readFileSync(join(dir, 'root.pem'), 'utf8');
  if (which === 'ours') {
    const blob = await verifyBlob(jwt, { roots: [root] });
    if (blob.entries.length !== ENTRIES) throw new Error('wrong entry count');
  } else {
    SettingsService.setRootCertificates({ identifier: 'mds', certificates: [root] });
    const { statements } = await verifyMDSBlob(jwt);
    if (statements.length !== ENTRIES) throw new Error('wrong entry count');
  }
  process.stdout.write(String(process.resourceUsage().maxRSS * 1024));
}

async function main() {
  const crls = new Map();
  const server = createServer((req, res) => {
    const crl = crls.get(req.url);
    if (!crl) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/pkix-crl' }).end(crl);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${server.address().port}`;
  try {
    const { jwt, rootPem } = await makeBlob(base, crls);
    await measure(jwt, rootPem);
  } finally {
    server.close();
  }
}

async function issue(subject, issuer, ca, crlUrl) {
  const keys = await crypto.subtle.generateKey(rsa, true, ['sign', 'verify']);
  const cert = await X509CertificateGenerator.create({
    serialNumber: randomBytes(8)
      .toString('hex')
      .replace(/^[89a-f]/, '1'),
    subject,
    issuer: issuer?.cert.subject ?? subject,
    notBefore: new Date(Date.now() - 30 * DAY),
    notAfter: new Date(Date.now() + 365 * DAY),
    publicKey: keys.publicKey,
    signingKey: (issuer?.keys ?? keys).privateKey,
    signingAlgorithm: rsa,
    extensions: [
      new BasicConstraintsExtension(ca, undefined, true),
      new KeyUsagesExtension(
        ca ? KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign : KeyUsageFlags.digitalSignature,
        true,
      ),
      ...(crlUrl ? [new CRLDistributionPointsExtension([crlUrl])] : []),
    ],
  });
  return { cert, keys };
}

async function crlOf(ca) {
  const crl = await X509CrlGenerator.create({
    issuer: ca.cert.subject,
    thisUpdate: new Date(Date.now() - DAY),
    nextUpdate: new Date(Date.now() + 7 * DAY),
    entries: [{ serialNumber: '0badc0de', revocationDate: new Date(Date.now() - DAY) }],
    signingKey: ca.keys.privateKey,
    signingAlgorithm: rsa,
  });
  return Buffer.from(crl.rawData);
}

async function makeBlob(base, crls) {
  process.stdout.write('making PKI and BLOB... ');
  const root = await issue('CN=Bench MDS Root', undefined, true);
  const intermediate = await issue('CN=Bench MDS CA', root, true, `${base}/root.crl`);
  const signer = await issue('CN=Bench MDS Signer', intermediate, false, `${base}/ca.crl`);
  crls.set('/root.crl', await crlOf(root));
  crls.set('/ca.crl', await crlOf(intermediate));
  const certB64 = Buffer.from(intermediate.cert.rawData).toString('base64');
  // The compact JWS is base64url: the payload is 3/4 of the BLOB.
  const perEntry = Math.floor((TARGET_BYTES * 3) / 4 / ENTRIES);
  const iconBytes = Math.max(0, Math.floor((perEntry - 3 * certB64.length - 1600) * 0.75));
  const entries = [];
  for (let i = 0; i < ENTRIES; i++) entries.push(entryOf(i, certB64, iconBytes));
  const payload = {
    legalHeader: 'Bench legal header. '.repeat(40),
    no: 100,
    nextUpdate: '2099-01-01',
    entries,
  };
  const x5c = [signer, intermediate].map((c) => Buffer.from(c.cert.rawData).toString('base64'));
  const jwt = await new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', x5c })
    .sign(signer.keys.privateKey);
  console.log(`${(jwt.length / 1024 / 1024).toFixed(1)} MB, ${ENTRIES} entries`);
  return { jwt, rootPem: root.cert.toString('pem') };
}

function entryOf(i, certB64, iconBytes) {
  const aaguid = randomUUID();
  const statusReports = [{ status: 'FIDO_CERTIFIED_L1', effectiveDate: '2022-01-01' }];
  if (i % 50 === 0) statusReports.push({ status: 'REVOKED', effectiveDate: '2024-01-01' });
  return {
    aaguid,
    metadataStatement: {
      legalHeader: 'https://fidoalliance.org/metadata/metadata-statement-legal-header/',
      aaguid,
      description: `Bench Authenticator ${i}`,
      authenticatorVersion: 5,
      protocolFamily: 'fido2',
      schema: 3,
      upv: [{ major: 1, minor: 1 }],
      authenticationAlgorithms: ['secp256r1_ecdsa_sha256_raw', 'ed25519_eddsa_sha512_raw'],
      publicKeyAlgAndEncodings: ['cose'],
      attestationTypes: ['basic_full'],
      userVerificationDetails: [
        [{ userVerification: 'passcode_external', caDesc: { base: 10, minLength: 4 } }],
      ],
      keyProtection: ['hardware', 'secure_element'],
      matcherProtection: ['on_chip'],
      attachmentHint: ['external', 'wired'],
      tcDisplay: [],
      attestationRootCertificates: [certB64, certB64, certB64],
      icon: `data:image/png;base64,${randomBytes(iconBytes).toString('base64')}`,
      authenticatorGetInfo: {
        versions: ['FIDO_2_0', 'FIDO_2_1'],
        aaguid: aaguid.replaceAll('-', ''),
        options: { rk: true, uv: true },
      },
    },
    statusReports,
    timeOfLastStatusChange: '2024-01-01',
  };
}

async function time(fn) {
  const t = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

function median(xs) {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
}

async function measure(jwt, rootPem) {
  SettingsService.setRootCertificates({ identifier: 'mds', certificates: [rootPem] });
  let blob;
  const ours = async () => {
    blob = await verifyBlob(jwt, { roots: [rootPem] });
  };
  const peer = () => verifyMDSBlob(jwt);
  for (let i = 0; i < 2; i++) {
    await ours();
    await peer();
  }
  const oursMs = [];
  const peerMs = [];
  for (let i = 0; i < ROUNDS; i++) {
    oursMs.push(await time(ours));
    peerMs.push(await time(peer));
  }
  const aaguids = blob.entries.map((e) => e.aaguid);
  const upper = aaguids.map((a) => a.toUpperCase());
  const lookupNs = lookupTime(blob, aaguids);
  const lookupUpperNs = lookupTime(blob, upper);
  const misses = aaguids.map(() => randomUUID());
  const lookupMissNs = lookupTime(blob, misses, 0);
  const dir = mkdtempSync(join(tmpdir(), 'stepup-bench-mds-'));
  writeFileSync(join(dir, 'blob.jwt'), jwt);
  writeFileSync(join(dir, 'root.pem'), rootPem);
  // Asynchronously: the children fetch their CRLs from this process's server.
  const peak = async (which) => {
    const script = new URL(import.meta.url).pathname;
    const { stdout } = await promisify(execFile)(process.execPath, [script, '--child', which, dir]);
    return Number(stdout) / 1024 / 1024;
  };
  const oursPeak = await peak('ours');
  const peerPeak = await peak('peer');
  rmSync(dir, { recursive: true, force: true });
  report({ oursMs, peerMs, lookupNs, lookupUpperNs, lookupMissNs, oursPeak, peerPeak });
}

function lookupTime(blob, keys, hitRate = 1) {
  let found = 0;
  for (let i = 0; i < 100_000; i++) if (blob.lookupAaguid(keys[i % keys.length])) found++;
  const t = process.hrtime.bigint();
  for (let i = 0; i < LOOKUPS; i++) if (blob.lookupAaguid(keys[i % keys.length])) found++;
  const ns = Number(process.hrtime.bigint() - t) / LOOKUPS;
  if (found !== (100_000 + LOOKUPS) * hitRate) throw new Error('unexpected lookup result');
  return ns;
}

function report({ oursMs, peerMs, lookupNs, lookupUpperNs, lookupMissNs, oursPeak, peerPeak }) {
  const o = median(oursMs);
  const p = median(peerMs);
  const ok = (pass) => (pass ? 'OK' : 'MISSED');
  console.log(`\nmedian of ${ROUNDS} rounds (node ${process.version})`);
  console.log(`  @stepup/mds verifyBlob (verify + CRLs + schema + index): ${o.toFixed(1)} ms`);
  console.log(`  @simplewebauthn/server verifyMDSBlob (verify, cached CRLs): ${p.toFixed(1)} ms`);
  console.log(`  ratio ours/peer: ${(o / p).toFixed(2)}x   target <= 1.2x   ${ok(o / p <= 1.2)}`);
  console.log(
    `  peak RSS, one verify in a fresh process: ours ${oursPeak.toFixed(0)} MB, peer ${peerPeak.toFixed(0)} MB   target < 300 MB   ${ok(oursPeak < 300)}`,
  );
  console.log(
    `  lookupAaguid (canonical): ${lookupNs.toFixed(0)} ns   target < 1000 ns   ${ok(lookupNs < 1000)}`,
  );
  console.log(
    `  lookupAaguid (upper case, normalized): ${lookupUpperNs.toFixed(0)} ns   ${ok(lookupUpperNs < 1000)}`,
  );
  console.log(`  lookupAaguid (unknown AAGUID): ${lookupMissNs.toFixed(0)} ns   ${ok(lookupMissNs < 1000)}`);
}
