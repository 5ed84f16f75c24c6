import { parseArgs } from 'node:util';
import type { VerifiedBlob } from '../blob/verified-blob.js';
import { verifyBlob } from '../blob/verify-blob.js';
import { classifyRegistration } from '../classify/classify-registration.js';
import { localStatementsSchema } from '../classify/local-statements.js';
import { validatePolicy } from '../classify/policy.js';
import { isMdsError } from '../errors.js';
import { parseOptions } from '../options.js';
import { evaluateStatus } from '../status/evaluate-status.js';
import { summarizeBlob } from '../status/summarize.js';
import { readAttestationFile } from './attestation-file.js';
import { CliError, EXIT, readInput, readJson } from './files.js';

/** The world the command line runs in (injected so it can be tested in-process). */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly readFile: (path: string) => Promise<Uint8Array>;
  readonly fetch: typeof fetch;
  /** The clock, milliseconds since the epoch. */
  readonly now: () => number;
}

export const USAGE = `usage: stepup-mds <command> <blob-file> [args] [options]

commands:
  verify   <blob-file>                      verify a BLOB; print its no, nextUpdate, entries, chain
                                            and the entries skipped as malformed
  show     <blob-file> <aaguid>             print the entry for an AAGUID and its evaluated status
  classify <blob-file> <attestation-file>   classify an attestation (CBOR, base64url, or a
                                            registration response JSON)
  stats    <blob-file>                      counts by status and certification level

options:
  --root <pem-file>        trust anchor (repeatable; default: the bundled FIDO production root)
  --signer <common-name>   pin the BLOB signer's CN (repeatable; default with the bundled root:
                           mds.fidoalliance.org)
  --crl <crl-file>         a CRL (DER or PEM) to use instead of downloading (repeatable: with any,
                           nothing is downloaded: offline verification)
  --now <iso-date>         the clock (default: now)
  --revocation <policy>    fail-closed (default) or fail-open when no usable CRL is found
  --policy <json-file>     classification policy (classify)
  --local <json-file>      local metadata statements, a JSON array (classify)
  --json                   print JSON (verify)
`;

/**
 * Runs `stepup-mds`. Returns the exit code: 0 success, 1 a failure (verification, classification, an
 * input file that cannot be read; one line on stderr with the `MdsError` code when there is one),
 * 2 usage error.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    io.stderr(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return EXIT.usage;
  }
  const { command, files, values } = parsed;
  const [blobFile, arg] = files;
  const needs = command === 'show' || command === 'classify' ? 2 : 1;
  if (!command || !COMMANDS.has(command) || files.length !== needs || !blobFile) {
    io.stderr(USAGE);
    return command === undefined && values.help ? EXIT.ok : EXIT.usage;
  }
  try {
    const now = values.now === undefined ? io.now() : Date.parse(values.now);
    if (Number.isNaN(now)) throw new CliError(`--now: not a date: ${values.now}`, EXIT.usage);
    const blob = await loadBlob(blobFile, values, now, io);
    if (command === 'verify') verifyCommand(blob, values.json === true, io);
    if (command === 'show') showCommand(blob, arg!, now, io);
    if (command === 'stats')
      io.stdout(`${JSON.stringify(summarizeBlob(blob, { now: () => now }), null, 2)}\n`);
    if (command === 'classify') await classifyCommand(blob, arg!, values, now, io);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CliError) {
      io.stderr(`error: ${error.message}\n`);
      return error.exitCode;
    }
    // Only our own messages are printed: never a stack trace or a system error's text.
    io.stderr(
      isMdsError(error)
        ? `error: ${error.code}: ${error.message}\n`
        : `error: unexpected failure (${error instanceof Error ? error.name : typeof error})\n`,
    );
    return EXIT.failed;
  }
}

const COMMANDS: ReadonlySet<string> = new Set(['verify', 'show', 'classify', 'stats']);

function parse(argv: readonly string[]) {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      root: { type: 'string', multiple: true },
      signer: { type: 'string', multiple: true },
      crl: { type: 'string', multiple: true },
      now: { type: 'string' },
      revocation: { type: 'string' },
      policy: { type: 'string' },
      local: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, ...files] = positionals;
  return { command, files, values };
}

type Values = ReturnType<typeof parse>['values'];

async function loadBlob(file: string, values: Values, now: number, io: CliIo): Promise<VerifiedBlob> {
  const revocation = values.revocation ?? 'fail-closed';
  if (revocation !== 'fail-closed' && revocation !== 'fail-open') {
    throw new CliError(`--revocation: expected fail-closed or fail-open, got ${revocation}`, EXIT.usage);
  }
  const decoder = new TextDecoder();
  const roots =
    values.root && (await Promise.all(values.root.map(async (f) => decoder.decode(await readInput(io, f)))));
  const crls = values.crl && (await Promise.all(values.crl.map((f) => readInput(io, f))));
  return verifyBlob(await readInput(io, file), {
    ...(roots ? { roots } : {}),
    ...(values.signer ? { signerCommonNames: values.signer } : {}),
    ...(crls ? { crls } : {}),
    now: () => now,
    fetch: io.fetch,
    revocation,
  });
}

function verifyCommand(blob: VerifiedBlob, json: boolean, io: CliIo): void {
  const report = {
    valid: true,
    no: blob.no,
    nextUpdate: blob.nextUpdate,
    entries: blob.entries.length,
    skippedEntries: blob.skippedEntries.map(({ index, path, reason }) => ({ index, path, reason })),
    legalHeader: blob.legalHeader,
    certificates: blob.certificates,
  };
  if (json) {
    io.stdout(`${JSON.stringify(report, null, 2)}\n`);
    return;
  }
  const lines = [
    'BLOB verified',
    `no:          ${blob.no}`,
    `nextUpdate:  ${blob.nextUpdate}`,
    `entries:     ${blob.entries.length}`,
    `skipped:     ${blob.skippedEntries.length}`,
    ...blob.skippedEntries.map((s) => `  entry ${s.index}: ${s.path}: ${s.reason}`),
    `legalHeader: ${blob.legalHeader}`,
    'chain:',
    ...blob.certificates.map((c) => `  ${c.subject} (until ${c.notAfter}, revocation: ${c.revocation})`),
  ];
  io.stdout(`${lines.join('\n')}\n`);
}

function showCommand(blob: VerifiedBlob, aaguid: string, now: number, io: CliIo): void {
  const entry = blob.lookupAaguid(aaguid);
  if (!entry) throw new CliError(`no entry for AAGUID ${aaguid} in BLOB ${blob.no}`, EXIT.failed);
  const status = evaluateStatus(entry, { now: () => now });
  io.stdout(`${JSON.stringify({ status, entry }, null, 2)}\n`);
}

async function classifyCommand(blob: VerifiedBlob, file: string, values: Values, now: number, io: CliIo) {
  const attestationObject = readAttestationFile(await readInput(io, file));
  // The same strict schemas as the library's options: an unknown key fails with ERR_CONFIG_INVALID.
  const policy = values.policy && validatePolicy(await readJson(io, values.policy, '--policy'));
  const local =
    values.local &&
    parseOptions(localStatementsSchema, await readJson(io, values.local, '--local'), 'localStatements');
  const result = await classifyRegistration(
    { attestationObject },
    {
      store: blob,
      now: () => now,
      ...(policy ? { policy } : {}),
      ...(local ? { localStatements: local } : {}),
    },
  );
  io.stdout(`${JSON.stringify(result, null, 2)}\n`);
}
