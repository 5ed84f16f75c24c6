// Packs every publishable workspace, lints the tarball layout with publint, checks what the tarball
// holds (a LICENSE, every `files` entry present, source maps whose sources ship too, no compiled file
// without its source), then installs all the tarballs into an empty project and imports each entry
// point from its `exports` map, as a user would. Run after `npm run build`.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix, resolve } from 'node:path';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';

const root = resolve(import.meta.dirname, '..');
const packages = ['core', 'express', 'fastify', 'mds'];
const work = mkdtempSync(join(tmpdir(), 'stepup-pack-'));
const run = (cmd, args, cwd) =>
  execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });

let failed = false;

/** What is wrong with a tarball's file list (paths relative to the package root). */
function checkContents(dir, pkg, paths) {
  const problems = [];
  const inTarball = new Set(paths);
  if (!inTarball.has('LICENSE')) problems.push('the tarball has no LICENSE');
  for (const entry of pkg.files ?? []) {
    if (entry.startsWith('!')) continue;
    if (!existsSync(join(dir, entry))) problems.push(`"files" lists ${entry}, which does not exist`);
  }
  for (const path of paths) {
    if (path.endsWith('.map')) {
      const map = JSON.parse(readFileSync(join(dir, path), 'utf8'));
      for (const source of map.sources ?? []) {
        const target = posix.normalize(posix.join(posix.dirname(path), map.sourceRoot ?? '', source));
        if (!inTarball.has(target)) problems.push(`${path} names ${target}, which the tarball lacks`);
      }
    }
    // A compiled file whose source is gone (stale output of a deleted module) must not ship.
    const js = /^dist\/(.+)\.(js|d\.ts)$/.exec(path);
    if (js !== null && !inTarball.has(`src/${js[1]}.ts`))
      problems.push(`${path} has no source (stale build?)`);
  }
  return problems;
}
const tarballs = [];
const entries = [];
for (const name of packages) {
  const dir = join(root, 'packages', name);
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const { messages } = await publint({ pkgDir: dir, level: 'warning', strict: true });
  for (const message of messages) {
    failed = true;
    console.error(`publint ${pkg.name}: ${formatMessage(message, pkg)}`);
  }
  const [packed] = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', work], dir));
  tarballs.push(join(work, packed.filename));
  for (const problem of checkContents(
    dir,
    pkg,
    packed.files.map((f) => f.path),
  )) {
    failed = true;
    console.error(`${pkg.name}: ${problem}`);
  }
  for (const key of Object.keys(pkg.exports)) {
    if (key !== './package.json') entries.push(key === '.' ? pkg.name : `${pkg.name}/${key.slice(2)}`);
  }
  console.log(`packed ${packed.filename}: ${packed.entryCount} files, ${packed.size} bytes`);
}

const app = join(work, 'app');
run('mkdir', ['-p', app]);
writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
run(
  'npm',
  ['install', '--no-audit', '--no-fund', '--loglevel=error', ...tarballs, 'express@5', 'fastify@5'],
  app,
);
const probe = entries.map(
  (e, i) => `import * as m${i} from '${e}'; console.log('${e}', Object.keys(m${i}).length);`,
);
writeFileSync(join(app, 'probe.mjs'), probe.join('\n'));
for (const line of run('node', ['probe.mjs'], app).trim().split('\n')) {
  const [entry, count] = line.split(' ');
  if (Number(count) === 0) {
    failed = true;
    console.error(`${entry}: imported but exports nothing`);
  } else console.log(`import ${entry}: ${count} exports`);
}
rmSync(work, { recursive: true, force: true });
if (failed) process.exit(1);
console.log('pack check passed');
