// Runs publint and @arethetypeswrong/cli on every published package in packages/* (found by
// looking, see lib/workspace.mjs).
// attw uses the node16 profile (node16 CJS + ESM, bundler): node10 resolution cannot see
// subpath exports like `@trax-webhooks/core/contract`, which no supported Node uses.
import { execFileSync } from 'node:child_process';
import { publishedPackages } from './lib/workspace.mjs';

let failed = 0;
for (const { dir, manifest } of publishedPackages()) {
  const { name } = manifest;
  for (const [tool, args] of [
    ['publint', ['--strict']],
    ['attw', ['--pack', '.', '--profile', 'node16', '--format', 'table-flipped']],
  ]) {
    try {
      execFileSync('pnpm', ['exec', tool, ...args], { cwd: dir, stdio: 'pipe', encoding: 'utf8' });
      console.log(`ok   ${tool} ${name}`);
    } catch (error) {
      failed++;
      console.log(`FAIL ${tool} ${name}\n${error.stdout ?? ''}${error.stderr ?? ''}`);
    }
  }
}
if (failed) {
  console.log(`${failed} package check(s) failed`);
  process.exit(1);
}
