import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { type CliIo, runCli } from '../src/cli/run.js';
import { CONFORMANCE_NOW, fixture, realRegistrations } from './helpers/fixtures.js';

const BLOB = fixture('fido-conformance-mds3.jwt').pathname;
const ROOT = fixture('fido-conformance-root.pem').pathname;
const AAGUID = 'a14eb40d-3b89-4f3b-8d46-13cdf3de625c';

const registrations = Object.fromEntries(
  Object.entries(realRegistrations()).map(([name, r]) => [name, r.response.attestationObject]),
);

async function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const files: Record<string, string> = {
    'registration.json': JSON.stringify(realRegistrations()['tpm-windows-hello']),
    'policy.json': JSON.stringify({ minCertificationLevel: 'FIDO_CERTIFIED_L2' }),
    'attestation.b64u': `${registrations['packed-x5c']}\n`,
    'not-json.json': '{ nope',
    'no-attestation.json': JSON.stringify({ response: {} }),
    'bad-policy.json': JSON.stringify({ minCertificationLevel: 'GOLD' }),
    'typo-policy.json': JSON.stringify({ minCertificationLvl: 'FIDO_CERTIFIED_L3', denyAaguid: [] }),
  };
  const io: CliIo = {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    readFile: async (path) => {
      if (path === 'attestation.cbor')
        return new Uint8Array(Buffer.from(registrations['packed-windows-hello']!, 'base64url'));
      return path in files ? new TextEncoder().encode(files[path]) : new Uint8Array(await readFile(path));
    },
    fetch: async () => {
      throw new TypeError('offline');
    },
    now: () => CONFORMANCE_NOW,
  };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

// The conformance BLOB's CRLs are on fidoalliance.org: offline, only --revocation fail-open accepts it.
const base = ['--root', ROOT, '--revocation', 'fail-open'];

describe('stepup-mds', () => {
  it('verify prints the BLOB facts and chain', async () => {
    const { code, stdout } = await run('verify', BLOB, ...base);
    expect(code).toBe(0);
    expect(stdout).toContain(
      'BLOB verified\nno:          42\nnextUpdate:  2023-11-08\nentries:     200\nskipped:     0\n',
    );
    expect(stdout).toContain('CN=FAKE Root FAKE (until 2045-01-31T23:59:59.000Z, revocation: not_checked)');
    const json = await run('verify', BLOB, ...base, '--json');
    expect(JSON.parse(json.stdout)).toMatchObject({ valid: true, no: 42, entries: 200, skippedEntries: [] });
  });

  it('verify fails with the MdsError code: fail-closed offline, wrong root, default root', async () => {
    const closed = await run('verify', BLOB, '--root', ROOT);
    expect(closed).toMatchObject({ code: 1, stdout: '' });
    expect(closed.stderr).toMatch(/^error: ERR_REVOCATION_UNAVAILABLE: /);
    expect((await run('verify', BLOB, '--revocation', 'fail-open')).stderr).toMatch(
      /^error: ERR_BLOB_CHAIN_UNTRUSTED: /,
    );
  });

  it('show prints an entry and its evaluated status', async () => {
    const { code, stdout } = await run('show', BLOB, AAGUID.toUpperCase(), ...base);
    expect(code).toBe(0);
    const shown = JSON.parse(stdout);
    expect(shown.entry.aaguid).toBe(AAGUID);
    expect(shown.status).toMatchObject({
      status: 'FIDO_CERTIFIED_L1',
      certificationLevel: 'FIDO_CERTIFIED_L1',
      rejected: false,
    });
    const missing = await run('show', BLOB, '00000000-0000-0000-0000-000000000000', ...base);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no entry for AAGUID');
  });

  it('stats counts by status and certification level', async () => {
    const { code, stdout } = await run('stats', BLOB, ...base);
    expect(code).toBe(0);
    const stats = JSON.parse(stdout);
    expect(stats).toMatchObject({ no: 42, entries: 200, aaguidEntries: 100, aaidEntries: 100 });
    expect(Object.values(stats.byStatus as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(200);
    expect(stats.byStatus.USER_KEY_REMOTE_COMPROMISE).toBe(4);
  });

  it('classify reads a registration response JSON (no metadata for it in this BLOB)', async () => {
    const { code, stdout } = await run(
      'classify',
      BLOB,
      'registration.json',
      ...base,
      '--policy',
      'policy.json',
    );
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result).toMatchObject({ class: 'medium', reasons: ['metadata_not_found'] });
    expect(result.evidence).toMatchObject({
      fmt: 'tpm',
      aaguid: '08987058-cadc-4b81-b6e1-30de50dcbe96',
      metadata: { blobNo: 42, found: false },
    });
    const bad = await run('classify', BLOB, 'registration.json', ...base, '--policy', 'bad-policy.json');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^error: ERR_CONFIG_INVALID: /);
    // A misspelt key in the policy file is refused, named, never dropped.
    const typo = await run('classify', BLOB, 'registration.json', ...base, '--policy', 'typo-policy.json');
    expect(typo).toMatchObject({ code: 1, stdout: '' });
    expect(typo.stderr).toBe(
      'error: ERR_CONFIG_INVALID: policy: invalid options: minCertificationLvl: unknown option; denyAaguid: unknown option\n',
    );
  });

  it('classify reads base64url text and raw CBOR too, and refuses other files', async () => {
    const text = await run('classify', BLOB, 'attestation.b64u', ...base);
    expect(JSON.parse(text.stdout).evidence).toMatchObject({
      fmt: 'packed',
      aaguid: '42383245-4437-3343-3846-423445354132',
    });
    const cbor = await run('classify', BLOB, 'attestation.cbor', ...base);
    expect(JSON.parse(cbor.stdout)).toMatchObject({ class: 'medium', reasons: ['attestation_self'] });
    for (const file of ['not-json.json', 'no-attestation.json']) {
      const bad = await run('classify', BLOB, file, ...base);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toMatch(/^error: ERR_ATTESTATION_MALFORMED: /);
    }
  });

  it('a missing or unreadable file is one line without internal text, exit 1', async () => {
    const missing = await run('verify', 'no-such-blob.jwt', ...base);
    expect(missing).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: cannot read no-such-blob.jwt (file not found)\n',
    });
    const dir = await run('verify', new URL('./fixtures/', import.meta.url).pathname, ...base);
    expect(dir.code).toBe(1);
    expect(dir.stderr).toMatch(/^error: cannot read .*fixtures\/ \(is a directory\)\n$/);
    const root = await run('verify', BLOB, '--root', 'missing-root.pem');
    expect(root.stderr).toBe('error: cannot read missing-root.pem (file not found)\n');
    const crl = await run('verify', BLOB, ...base, '--crl', 'missing.crl');
    expect(crl).toMatchObject({ code: 1, stderr: 'error: cannot read missing.crl (file not found)\n' });
    const attestation = await run('classify', BLOB, 'missing.json', ...base);
    expect(attestation.stderr).toBe('error: cannot read missing.json (file not found)\n');
    for (const r of [missing, dir, root, crl, attestation])
      expect(r.stderr).not.toMatch(/ENOENT|EISDIR|Error:/);
  });

  it('usage errors exit 2', async () => {
    expect((await run()).code).toBe(2);
    expect((await run('frobnicate', BLOB)).code).toBe(2);
    expect((await run('show', BLOB)).code).toBe(2);
    expect((await run('verify', BLOB, '--revocation', 'ignore')).code).toBe(2);
    expect((await run('verify', BLOB, '--now', 'yesterday')).code).toBe(2);
    const unknown = await run('verify', BLOB, '--frob');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('usage: stepup-mds');
    expect((await run('--help')).code).toBe(0);
  });
});
