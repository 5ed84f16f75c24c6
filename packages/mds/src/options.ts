import { z } from 'zod';
import { FIDO_MDS_ROOT_PEM } from './blob/roots.js';
import { type MdsConfigIssue, MdsError } from './errors.js';
import { parseCertificate, splitPem, type X509Certificate } from './pki/certificates.js';

/** A zod schema accepting any function (typed as `T`): options carry injected functions. */
export function fn<T>() {
  return z.custom<T>((value) => typeof value === 'function', { message: 'expected a function' });
}

/** The clock convention of every stepup package: milliseconds since the epoch, like `Date.now`. */
export const clockSchema = fn<() => number>();

/** Revocation failure policy for the BLOB chain's CRLs. */
export const revocationSchema = z.enum(['fail-closed', 'fail-open']);

/** The default clock, used only when none is injected. */
export const systemClock = (): number => Date.now();

/** The clock's current time as a `Date`, refusing a clock that does not return a finite number. */
export function dateOf(clock: () => number): Date {
  const ms = clock();
  if (typeof ms !== 'number' || !Number.isFinite(ms)) {
    throw configError('clock', [
      { path: 'now', message: 'must return milliseconds since the epoch (a number)' },
    ]);
  }
  return new Date(ms);
}

/**
 * Every issue of a zod error as `path: problem`. An unknown key becomes one issue per key
 * (`retry.maxDelai: unknown option`); of a union's branches, the closest one (fewest issues) is told.
 */
export function describeIssues(error: z.ZodError): MdsConfigIssue[] {
  return flatten(error.issues, []);
}

function flatten(issues: readonly z.core.$ZodIssue[], prefix: readonly PropertyKey[]): MdsConfigIssue[] {
  return issues.flatMap((issue): MdsConfigIssue[] => {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: render([...path, key]), message: 'unknown option' }));
    }
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      const closest = [...issue.errors].sort((a, b) => a.length - b.length)[0] ?? [];
      // The value fits none of the forms at all (a string for `source`): say which forms there are.
      if (issue.errors.every((branch) => branch.length === 1 && branch[0]?.path.length === 0)) {
        const forms = issue.errors.map((branch) => branch[0]?.message.replace(/^Invalid input: /, ''));
        return [{ path: render(path), message: `Invalid input: ${[...new Set(forms)].join(', or ')}` }];
      }
      if (closest.length > 0) return flatten(closest, path);
    }
    return [{ path: render(path), message: issue.message }];
  });
}

function render(path: readonly PropertyKey[]): string {
  return path.map(String).join('.') || '(root)';
}

/** The `ERR_CONFIG_INVALID` error for a list of issues, all named in one message. */
export function configError(what: string, issues: readonly MdsConfigIssue[], cause?: unknown): MdsError {
  const list = issues.map((i) => `${i.path}: ${i.message}`).join('; ');
  return new MdsError('ERR_CONFIG_INVALID', `${what}: invalid options: ${list}`, {
    details: { path: issues[0]?.path ?? '(root)', issues },
    cause,
  });
}

/**
 * Validates options with a strict zod schema; throws `ERR_CONFIG_INVALID` naming every bad or unknown
 * field (one message listing each `path: problem`, the list in `details.issues`).
 */
export function parseOptions<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(value ?? {});
  if (parsed.success) return parsed.data;
  throw configError(what, describeIssues(parsed.error), parsed.error);
}

/**
 * Parses trust anchors given as PEM (one or several certificates per string) or base64 DER.
 * Defaults to the bundled FIDO production root. Throws `ERR_CONFIG_INVALID` for anything that is
 * not a certificate, so a typo fails at boot.
 */
export function parseRoots(roots: readonly string[] | undefined): X509Certificate[] {
  const inputs = roots ?? [FIDO_MDS_ROOT_PEM];
  const certs: X509Certificate[] = [];
  const issues: MdsConfigIssue[] = [];
  inputs.forEach((input, i) => {
    const blocks = input.includes('-----BEGIN') ? splitPem(input) : [input];
    if (blocks.length === 0) issues.push({ path: `roots.${i}`, message: 'a PEM value holds no certificate' });
    for (const block of blocks) {
      const cert = parseCertificate(block);
      if (cert) certs.push(cert);
      else issues.push({ path: `roots.${i}`, message: 'not a certificate' });
    }
  });
  if (inputs.length === 0) issues.push({ path: 'roots', message: 'empty' });
  if (issues.length > 0) throw configError('roots', issues);
  return certs;
}
