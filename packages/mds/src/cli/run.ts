import { parseArgs } from 'node:util';
import type { VerifiedBlob } from '../blob/verified-blob.js';
import { verifyBlob } from '../blob/verify-blob.js';
import { classifyRegistration } from '../classify/classify-registration.js';
import { type ClassificationPolicy, validatePolicy } from '../classify/policy.js';
import { isMdsError } from '../errors.js';
import { evaluateStatus } from '../status/evaluate-status.js';
import { summarizeBlob } from '../status/summarize.js';
import { readAttestationFile } from './attestation-file.js';

/** The world the command line runs in (injected so it can be tested in-process). */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly readFile: (path: string) => Promise<Uint8Array>;
  readonly fetch: typeof fetch;
  readonly now: () => Date;
}

export const USAGE = `usage: stepup-mds <command> <blob-file> [args] [options]

commands:
  verify   <blob-file>                      verify a BLOB; print its no, nextUpdate, entries and chain
  show     <blob-file> <aaguid>             print the entry for an AAGUID and its evaluated status
  classify <blob-file> <attestation-file>   classify an attestation (CBOR, base64url, or a
                                            registration response JSON)
  stats    <blob-file>                      counts by status and certification level

options:
  --root <pem-file>        trust anchor (repeatable; default: the bundled FIDO production root)
  --now <iso-date>         the clock (default: now)
  --revocation <policy>    fail-closed (default) or fail-open when a CRL cannot be fetched
  --policy <json-file>     classification policy (classify)
  --json                   print JSON (verify)
`;

const EXIT_OK = 0;
const EXIT_FAILED = 1;
const EXIT_USAGE = 2;

/**
 * Runs `stepup-mds`. Returns the exit code: 0 success, 1 verification or classification failure
 * (the `MdsError` code is printed), 2 usage error.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    io.stderr(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return EXIT_USAGE;
  }
  const { command, files, values } = parsed;
  const [blobFile, arg] = files;
  const needs = command === 'show' || command === 'classify' ? 2 : 1;
  if (
    !command ||
    !['verify', 'show', 'classify', 'stats'].includes(command) ||
    files.length !== needs ||
    !blobFile
  ) {
    io.stderr(USAGE);
    return command === undefined && values.help ? EXIT_OK : EXIT_USAGE;
  }
  try {
    const now = values.now ? new Date(values.now) : io.now();
    if (Number.isNaN(now.getTime())) throw new UsageError(`--now: not a date: ${values.now}`);
    const blob = await loadBlob(blobFile, values, now, io);
    if (command === 'verify') verifyCommand(blob, values.json === true, io);
    if (command === 'show') showCommand(blob, arg!, now, io);
    if (command === 'stats') io.stdout(`${JSON.stringify(summarizeBlob(blob, { now }), null, 2)}\n`);
    if (command === 'classify') await classifyCommand(blob, arg!, values.policy, now, io);
    return EXIT_OK;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`${error.message}\n`);
      return error.exitCode;
    }
    io.stderr(isMdsError(error) ? `error: ${error.code}: ${error.message}\n` : `error: ${String(error)}\n`);
    return EXIT_FAILED;
  }
}

class UsageError extends Error {
  constructor(
    message: string,
    readonly exitCode = EXIT_USAGE,
  ) {
    super(message);
  }
}

function parse(argv: readonly string[]) {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      root: { type: 'string', multiple: true },
      now: { type: 'string' },
      revocation: { type: 'string' },
      policy: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, ...files] = positionals;
  return { command, files, values };
}

type Values = ReturnType<typeof parse>['values'];

async function loadBlob(file: string, values: Values, now: Date, io: CliIo): Promise<VerifiedBlob> {
  const revocation = values.revocation ?? 'fail-closed';
  if (revocation !== 'fail-closed' && revocation !== 'fail-open') {
    throw new UsageError(`--revocation: expected fail-closed or fail-open, got ${revocation}`);
  }
  const decoder = new TextDecoder();
  const roots = values.root
    ? await Promise.all(values.root.map(async (f) => decoder.decode(await io.readFile(f))))
    : undefined;
  return verifyBlob(await io.readFile(file), {
    ...(roots ? { roots } : {}),
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
    `legalHeader: ${blob.legalHeader}`,
    'chain:',
    ...blob.certificates.map((c) => `  ${c.subject} (until ${c.notAfter}, revocation: ${c.revocation})`),
  ];
  io.stdout(`${lines.join('\n')}\n`);
}

function showCommand(blob: VerifiedBlob, aaguid: string, now: Date, io: CliIo): void {
  const entry = blob.lookupAaguid(aaguid);
  if (!entry) throw new UsageError(`no entry for AAGUID ${aaguid} in BLOB ${blob.no}`, EXIT_FAILED);
  const status = evaluateStatus(entry, { now });
  io.stdout(`${JSON.stringify({ status, entry }, null, 2)}\n`);
}

async function classifyCommand(
  blob: VerifiedBlob,
  file: string,
  policyFile: string | undefined,
  now: Date,
  io: CliIo,
) {
  const attestationObject = readAttestationFile(await io.readFile(file));
  let policy: ClassificationPolicy | undefined;
  if (policyFile) {
    let json: unknown;
    try {
      json = JSON.parse(new TextDecoder().decode(await io.readFile(policyFile)));
    } catch {
      throw new UsageError(`--policy: ${policyFile} is not JSON`);
    }
    policy = validatePolicy(json);
  }
  const result = await classifyRegistration({ attestationObject }, { store: blob, now: () => now, policy });
  io.stdout(`${JSON.stringify(result, null, 2)}\n`);
}
