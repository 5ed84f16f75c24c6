import { z } from 'zod';
import { FIDO_MDS_ROOT_PEM } from './blob/roots.js';
import { MdsError } from './errors.js';
import { parseCertificate, splitPem, type X509Certificate } from './pki/certificates.js';

/** A zod schema accepting any function (typed as `T`): options carry injected functions. */
export function fn<T>() {
  return z.custom<T>((value) => typeof value === 'function', { message: 'expected a function' });
}

/** Revocation failure policy for the BLOB chain's CRLs. */
export const revocationSchema = z.enum(['fail-closed', 'fail-open']);

/** Validates options with zod; throws `ERR_CONFIG_INVALID` naming the first bad path. */
export function parseOptions<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(value ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = issue?.path.join('.') ?? '';
  throw new MdsError(
    'ERR_CONFIG_INVALID',
    `${what}: invalid option ${path || '(root)'}: ${issue?.message ?? 'invalid'}`,
    { path },
    { cause: parsed.error },
  );
}

/**
 * Parses trust anchors given as PEM (one or several certificates per string) or base64 DER.
 * Defaults to the bundled FIDO production root. Throws `ERR_CONFIG_INVALID` for anything that is
 * not a certificate, so a typo fails at boot.
 */
export function parseRoots(roots: readonly string[] | undefined): X509Certificate[] {
  const inputs = roots ?? [FIDO_MDS_ROOT_PEM];
  const certs: X509Certificate[] = [];
  for (const input of inputs) {
    const blocks = input.includes('-----BEGIN') ? splitPem(input) : [input];
    for (const block of blocks) {
      const cert = parseCertificate(block);
      if (!cert)
        throw new MdsError('ERR_CONFIG_INVALID', 'roots: a value is not a certificate', { path: 'roots' });
      certs.push(cert);
    }
    if (blocks.length === 0) {
      throw new MdsError('ERR_CONFIG_INVALID', 'roots: a PEM value holds no certificate', { path: 'roots' });
    }
  }
  if (certs.length === 0) throw new MdsError('ERR_CONFIG_INVALID', 'roots: empty', { path: 'roots' });
  return certs;
}

/** The default clock, used only when none is injected. */
export const systemClock = (): Date => new Date();
