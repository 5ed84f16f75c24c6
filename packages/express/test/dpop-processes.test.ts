/**
 * Two API processes behind one origin sharing one Redis: a DPoP proof accepted by one is refused by the
 * other. The processes run the built packages (`npm run build` runs first here, incrementally; CI
 * builds before testing anyway). Needs Redis (`requires('redis')`: REDIS_URL): skipped without it on a
 * dev machine, never in CI.
 */
import { execFileSync, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createTestIssuer } from '@stepup/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requires } from '../../../test/services.js';
import { createProofKey, signProof } from '../../core/test/conformance/proof.js';
import { NOW, NOW_MS, now } from '../../core/test/helpers.js';

const redisUrl = process.env.REDIS_URL;
const root = fileURLToPath(new URL('../../..', import.meta.url));

interface Instance {
  readonly port: number;
  readonly child: ReturnType<typeof fork>;
}

describe('DPoP replay across two API processes sharing Redis', requires('redis'), () => {
  const instances: Instance[] = [];
  let as: Awaited<ReturnType<typeof createTestIssuer>>;
  beforeAll(async () => {
    // Incremental: seconds when CI has just built, longer on a fresh checkout (hence the hook's timeout).
    execFileSync('npx', ['tsc', '-b', 'tsconfig.build.json'], { cwd: root, stdio: 'ignore' });
    as = await createTestIssuer({ now });
    const prefix = `stepup-test:${randomUUID()}:`;
    for (let i = 0; i < 2; i++) {
      const child = fork(fileURLToPath(new URL('./fixtures/dpop-instance.mjs', import.meta.url)), {
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        // Not the test runner's flags (its source condition would load TypeScript): a plain Node process.
        execArgv: [],
      });
      const ready = new Promise<{ port: number }>((resolve, reject) => {
        child.once('message', resolve as never);
        child.once('exit', (code) => reject(new Error(`instance exited with ${code}`)));
      });
      child.send({
        jwk: as.jwks.keys[0],
        issuer: as.issuer,
        audience: as.audience,
        redisUrl,
        prefix,
        nowMs: NOW_MS,
      });
      instances.push({ port: (await ready).port, child });
    }
  }, 180_000);
  afterAll(async () => {
    await Promise.all(
      instances.map(
        ({ child }) =>
          new Promise((resolve) => {
            child.once('exit', resolve);
            child.send('exit');
          }),
      ),
    );
  });

  it('the proof that process 1 accepted is refused by process 2, and a fresh one is accepted there', async () => {
    const key = await createProofKey('ES256');
    const token = await as.mint({ cnf: { jkt: key.jkt } });
    const proof = () => signProof({ key, token, htm: 'GET', htu: 'https://api.test/accounts', iat: NOW });
    const send = (instance: Instance, dpop: string) =>
      fetch(`http://127.0.0.1:${instance.port}/accounts`, {
        headers: { authorization: `DPoP ${token}`, dpop },
      });
    const used = await proof();
    const first = await send(instances[0]!, used);
    const firstBody = await first.json();
    expect([first.status, firstBody.pid]).toEqual([200, instances[0]!.child.pid]);
    const replay = await send(instances[1]!, used);
    expect([replay.status, (await replay.json()).code]).toEqual([401, 'ERR_DPOP_PROOF_REPLAYED']);
    const fresh = await send(instances[1]!, await proof());
    expect([fresh.status, (await fresh.json()).pid]).toEqual([200, instances[1]!.child.pid]);
  });
});
