#!/usr/bin/env node
// Writes the contract vectors (BankKit/Tests/BankKitTests/Vectors/contract.json, read by BankKit's XCTest
// suite and by test/contract-vectors.test.ts) from @stepup-example/contract. It builds the contract first
// (tsc -b), so the file never comes from a stale build. Node 20 cannot import TypeScript, hence the build.
//
//   node examples/bank/ios/scripts/contract-vectors.mjs            # write the committed file
//   node examples/bank/ios/scripts/contract-vectors.mjs --out FILE # write elsewhere
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { out: { type: 'string' } } });
const contract = fileURLToPath(new URL('../../contract/', import.meta.url));
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-b', contract], { stdio: 'inherit' });

const { contractVectorsJson } = await import('@stepup-example/contract/vectors');
const out =
  values.out === undefined
    ? fileURLToPath(new URL('../BankKit/Tests/BankKitTests/Vectors/contract.json', import.meta.url))
    : resolve(values.out);
writeFileSync(out, contractVectorsJson());
process.stdout.write(`wrote ${out}\n`);
