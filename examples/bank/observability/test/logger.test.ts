import { createLogger, REDACTED, redact } from '@stepup-example/observability';
import { describe, expect, it } from 'vitest';

const NOW = Date.parse('2026-03-02T10:00:00Z');

// Secrets as they really look: a compact JWS, a DPoP proof, a session cookie, an OAuth client secret.
const JWT = 'eyJhbGciOiJFUzI1NiIsInR5cCI6ImF0K2p3dCJ9.eyJzdWIiOiJhbmEiLCJhY3IiOiJoaWdoIn0.c2lnbmF0dXJl';
const DPOP = 'eyJ0eXAiOiJkcG9wK2p3dCIsImFsZyI6IkVTMjU2In0.eyJodG0iOiJQT1NUIn0.cHJvb2Y';
const OPAQUE = 'mF_9.B5f-4.1JqM';
const SESSION = '_session=Qm9vayBvZiBzZWNyZXRz';
const CLIENT_SECRET = 's3cr3t-client-value';
const PASSWORD = 'correct horse battery staple';

function recorder() {
  const lines: string[] = [];
  const logger = createLogger({
    name: 'bank-test',
    now: () => NOW,
    destination: { write: (line: string) => void lines.push(line) },
  });
  const parsed = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { logger, lines, parsed };
}

describe('createLogger', () => {
  it('writes one JSON line per event with level, time from the clock, name and fields', () => {
    const { logger, lines, parsed } = recorder();
    logger.warn('dependency.down', { dependency: 'database', reason: 'ECONNREFUSED' });
    logger.info('dependency.up', { dependency: 'database', downForMs: 3000 });
    expect(lines.every((line) => line.endsWith('\n') && !line.slice(0, -1).includes('\n'))).toBe(true);
    expect(parsed()).toEqual([
      {
        level: 'warn',
        time: '2026-03-02T10:00:00.000Z',
        name: 'bank-test',
        event: 'dependency.down',
        dependency: 'database',
        reason: 'ECONNREFUSED',
      },
      {
        level: 'info',
        time: '2026-03-02T10:00:00.000Z',
        name: 'bank-test',
        event: 'dependency.up',
        dependency: 'database',
        downForMs: 3000,
      },
    ]);
  });

  it('never writes a header, cookie, token, password or secret, at any depth', () => {
    const { logger, lines, parsed } = recorder();
    logger.info('request.seen', {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${JWT}`,
        DPoP: DPOP,
        cookie: SESSION,
        'set-cookie': [`${SESSION}; HttpOnly`],
        'proxy-authorization': `Basic ${OPAQUE}`,
        accept: 'application/json',
      },
      body: { access_token: OPAQUE, refreshToken: OPAQUE, client_secret: CLIENT_SECRET, password: PASSWORD },
      grants: [{ id_token_hint: JWT, scope: 'openid' }],
      user: 'ana',
    });
    const [line] = lines;
    for (const secret of [JWT, DPOP, OPAQUE, SESSION, CLIENT_SECRET, PASSWORD, 'Qm9vayBvZiBzZWNyZXRz']) {
      expect(line).not.toContain(secret);
    }
    expect(parsed()[0]).toMatchObject({
      method: 'POST',
      headers: {
        Authorization: REDACTED,
        DPoP: REDACTED,
        cookie: REDACTED,
        'set-cookie': REDACTED,
        'proxy-authorization': REDACTED,
        accept: 'application/json',
      },
      body: { access_token: REDACTED, refreshToken: REDACTED, client_secret: REDACTED, password: REDACTED },
      grants: [{ id_token_hint: REDACTED, scope: 'openid' }],
      user: 'ana',
    });
  });

  it('cuts tokens out of strings, error messages, stacks and causes', () => {
    const { logger, lines, parsed } = recorder();
    const cause = new Error(`upstream answered 401 to Authorization: Bearer ${OPAQUE}`);
    const error = Object.assign(new Error(`verification of ${JWT} failed`, { cause }), { code: 'E_TEST' });
    logger.error('request.failed', {
      error,
      reason: `GET /callback?id_token_hint=${JWT} with DPoP ${DPOP}`,
    });
    const [line] = lines;
    for (const secret of [JWT, DPOP, OPAQUE]) expect(line).not.toContain(secret);
    const logged = parsed()[0]!;
    expect(logged.reason).toBe(`GET /callback?id_token_hint=${REDACTED} with DPoP ${REDACTED}`);
    expect(logged.error).toMatchObject({
      type: 'Error',
      message: `verification of ${REDACTED} failed`,
      code: 'E_TEST',
      stack: expect.stringContaining(`Error: verification of ${REDACTED} failed`),
      cause: { type: 'Error', message: `upstream answered 401 to Authorization: Bearer ${REDACTED}` },
    });
  });

  it('reads Headers and Maps, and survives cycles', () => {
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    const headers = new Headers({ authorization: `DPoP ${OPAQUE}`, 'content-type': 'application/json' });
    const map = new Map<string, unknown>([['refresh_token', OPAQUE]]);
    expect(redact({ headers, map, cyclic })).toEqual({
      headers: { authorization: REDACTED, 'content-type': 'application/json' },
      map: { refresh_token: REDACTED },
      cyclic: { name: 'loop', self: '[Circular]' },
    });
  });

  it('writes nothing below its level', () => {
    const lines: string[] = [];
    const logger = createLogger({
      name: 'quiet',
      level: 'warn',
      destination: { write: (l) => lines.push(l) },
    });
    logger.info('server.ready');
    logger.warn('dependency.down');
    expect(lines.map((l) => JSON.parse(l).event)).toEqual(['dependency.down']);
  });

  it('refuses bad options, naming the field', () => {
    expect(() => createLogger({ name: '' })).toThrow(expect.objectContaining({ code: 'ERR_CONFIG' }));
    expect(() =>
      // @ts-expect-error: a level pino does not have
      createLogger({ name: 'x', level: 'verbose' }),
    ).toThrow(/level/);
    expect(() =>
      // @ts-expect-error: a misspelt option
      createLogger({ name: 'x', levle: 'info' }),
    ).toThrow(/levle/);
    expect(() =>
      // @ts-expect-error: not a stream
      createLogger({ name: 'x', destination: 'stdout' }),
    ).toThrow(/destination/);
  });
});
