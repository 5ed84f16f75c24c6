/** What a redacted value is replaced with. */
export const REDACTED = '[Redacted]';

/**
 * Field names whose values never reach a log, at any depth, case-insensitively: `authorization`
 * (and `proxy-authorization`), `cookie`, `set-cookie`, `DPoP`, anything with `token` in its name
 * (`access_token`, `refreshToken`, `id_token_hint`), `password`/`passwd`, `secret` (`client_secret`),
 * private keys.
 */
export const SECRET_FIELD = /authorization|cookie|dpop|token|passw(?:or)?d|secret|private[-_]?key/i;

// A compact JWS/JWT (header and payload are base64url JSON objects, so they start with `eyJ`), and the
// credential after an HTTP authentication scheme (RFC 9110 §11.4: token68 after `Bearer` or `DPoP`).
const JWT = /eyJ[A-Za-z0-9_-]{2,}\.eyJ[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*/g;
const SCHEME_CREDENTIAL = /\b(Bearer|DPoP)\s+[A-Za-z0-9\-._~+/]+=*/gi;

/** A string with any JWT, and any `Bearer …`/`DPoP …` credential in it, replaced by {@link REDACTED}. */
export function scrub(text: string): string {
  return text.replace(JWT, REDACTED).replace(SCHEME_CREDENTIAL, `$1 ${REDACTED}`);
}

const MAX_DEPTH = 10;

function errorFields(error: Error, depth: number, ancestors: WeakSet<object>): Record<string, unknown> {
  const own = fields(error, depth, ancestors);
  return {
    type: error.name,
    message: scrub(error.message),
    ...own,
    ...(error.stack === undefined ? {} : { stack: scrub(error.stack) }),
    ...(error.cause === undefined ? {} : { cause: walk(error.cause, depth + 1, ancestors) }),
  };
}

function fields(value: object, depth: number, ancestors: WeakSet<object>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    out[key] = SECRET_FIELD.test(key) ? REDACTED : walk(inner, depth + 1, ancestors);
  }
  return out;
}

function walk(value: unknown, depth: number, ancestors: WeakSet<object>): unknown {
  if (typeof value === 'string') return scrub(value);
  if (typeof value !== 'object' || value === null) return value;
  if (ancestors.has(value)) return '[Circular]';
  if (depth >= MAX_DEPTH) return '[Truncated]';
  ancestors.add(value);
  try {
    if (value instanceof Error) return errorFields(value, depth, ancestors);
    if (Array.isArray(value)) return value.map((item) => walk(item, depth + 1, ancestors));
    if (value instanceof Map || value instanceof Headers) {
      const entries: Record<string, unknown> = {};
      value.forEach((inner: unknown, key: unknown) => {
        entries[String(key)] = inner;
      });
      return fields(entries, depth, ancestors);
    }
    if ('toJSON' in value && typeof value.toJSON === 'function') {
      return walk(value.toJSON(), depth + 1, ancestors);
    }
    return fields(value, depth, ancestors);
  } finally {
    ancestors.delete(value);
  }
}

/**
 * A copy of `value` fit for a log: every field named like a secret ({@link SECRET_FIELD}) replaced by
 * {@link REDACTED} at any depth (in arrays, maps, `Headers`, an error's own fields and its `cause`
 * chain), JWTs and `Bearer`/`DPoP` credentials cut out of every string (messages and stacks included),
 * errors turned into `{ type, message, …, stack, cause }`, cycles cut.
 *
 * Written here because pino's own `redact` (`@pinojs/redact`) takes exact paths, with `*` only for a
 * whole path segment: it can neither match a field by part of its name (`*token*`) nor at any depth,
 * nor look inside strings.
 *
 * Does not recognise a secret under an innocent name with an innocent shape (an opaque session id in a
 * field called `id`): name such fields after what they hold.
 *
 * @example
 * redact({ headers: { authorization: 'Bearer abc' }, user: 'ana' }); // { headers: { authorization: '[Redacted]' }, user: 'ana' }
 */
export function redact(value: unknown): unknown {
  return walk(value, 0, new WeakSet());
}
