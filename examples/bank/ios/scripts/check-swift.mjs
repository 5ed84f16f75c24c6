#!/usr/bin/env node
// Syntax-checks Swift sources without a Swift toolchain: parses each file with tree-sitter-swift (its
// prebuilt Node binding, installed with --ignore-scripts) and fails on any ERROR or MISSING node.
// This catches syntax errors only: no type checking, no name resolution, no SDK APIs. See ../README.md.
//
// Usage: node scripts/check-swift.mjs [file-or-dir ...]   (default: BankKit/ and App/ next to this script)
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, resolve } from 'node:path';

const require = createRequire(import.meta.url);
let Parser;
let Swift;
try {
  Parser = require('tree-sitter');
  Swift = require('tree-sitter-swift');
} catch (error) {
  // Optional dependencies: a plain `npm install` drops them when tree-sitter-cli's download fails.
  console.error(`check-swift: tree-sitter-swift is not installed (${error.code ?? error.message}).`);
  console.error('Install with `npm ci --ignore-scripts` (see examples/bank/ios/README.md).');
  process.exit(3);
}

const iosRoot = resolve(import.meta.dirname, '..');

/** Every `.swift` file under the given paths, sorted, skipping build output and hidden folders. */
function swiftFiles(paths) {
  const found = [];
  const visit = (path) => {
    if (statSync(path).isFile()) {
      if (path.endsWith('.swift')) found.push(path);
      return;
    }
    for (const entry of readdirSync(path)) {
      if (entry.startsWith('.') || entry === 'node_modules' || entry === 'build') continue;
      visit(join(path, entry));
    }
  };
  for (const path of paths) visit(resolve(path));
  return found.sort();
}

/** The ERROR and MISSING nodes of one source text, as `line:column: message` (1-based). */
function problemsIn(parser, text) {
  const tree = parser.parse(text, undefined, { bufferSize: Buffer.byteLength(text) + 1 });
  const problems = [];
  if (!tree.rootNode.hasError) return problems;
  const cursor = tree.walk();
  let descend = true;
  for (;;) {
    const node = cursor.currentNode;
    const where = `${node.startPosition.row + 1}:${node.startPosition.column + 1}`;
    if (descend && node.isMissing) problems.push(`${where}: missing ${node.type}`);
    else if (descend && node.type === 'ERROR') {
      problems.push(`${where}: syntax error near ${JSON.stringify(node.text.slice(0, 40))}`);
    }
    // Only look inside subtrees that contain an error.
    if (descend && node.hasError && cursor.gotoFirstChild()) continue;
    if (cursor.gotoNextSibling()) {
      descend = true;
      continue;
    }
    if (!cursor.gotoParent()) break;
    descend = false;
  }
  return problems;
}

const args = process.argv.slice(2);
const files = swiftFiles(args.length > 0 ? args : [join(iosRoot, 'BankKit'), join(iosRoot, 'App')]);
if (files.length === 0) {
  console.error('check-swift: no .swift files found');
  process.exit(2);
}
const parser = new Parser();
parser.setLanguage(Swift);
let failed = 0;
for (const file of files) {
  const problems = problemsIn(parser, readFileSync(file, 'utf8'));
  if (problems.length === 0) continue;
  failed++;
  for (const problem of problems) console.error(`${relative(process.cwd(), file)}:${problem}`);
}
console.log(`check-swift: ${files.length - failed} of ${files.length} Swift files parse without errors`);
process.exit(failed === 0 ? 0 : 1);
