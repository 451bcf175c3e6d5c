// Runs publint and @arethetypeswrong/cli on every built package in packages/*.
// attw uses the node16 profile (node16 CJS + ESM, bundler): node10 resolution cannot see
// subpath exports like `@trax-webhooks/core/contract`, which no supported Node uses.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', 'packages');
let failed = 0;
for (const name of readdirSync(root)) {
  const dir = join(root, name);
  for (const [tool, args] of [
    ['publint', ['--strict']],
    ['attw', ['--pack', '.', '--profile', 'node16', '--format', 'table-flipped']],
  ]) {
    try {
      execFileSync('pnpm', ['exec', tool, ...args], { cwd: dir, stdio: 'pipe', encoding: 'utf8' });
      console.log(`ok   ${tool} @trax-webhooks/${name}`);
    } catch (error) {
      failed++;
      console.log(
        `FAIL ${tool} @trax-webhooks/${name}\n${error.stdout ?? ''}${error.stderr ?? ''}`,
      );
    }
  }
}
if (failed) {
  console.log(`${failed} package check(s) failed`);
  process.exit(1);
}
