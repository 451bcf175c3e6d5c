// `pnpm bench`: runs every `bench:*` script of this package in turn (each prints its own
// table and writes bench/.results/<name>.json), then rewrites the summary table at the top of
// BENCHMARKS.md from those results (support/summary.mjs). BENCH_ONLY=http,redis runs the
// scripts whose names contain one of the words.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const { scripts } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const only = process.env.BENCH_ONLY?.split(',');
const names = Object.keys(scripts).filter(
  (s) => s.startsWith('bench:') && (!only || only.some((word) => s.includes(word))),
);
for (const name of names) {
  console.log(`\n### ${name}\n`);
  // The pnpm that runs this script (npx pnpm@… included), else one on the PATH.
  const pnpm = process.env.npm_execpath;
  if (pnpm)
    execFileSync(process.execPath, [pnpm, 'run', '--silent', name], {
      stdio: 'inherit',
      cwd: import.meta.dirname,
    });
  else
    execFileSync('pnpm', ['run', '--silent', name], { stdio: 'inherit', cwd: import.meta.dirname });
}
console.log('\n### summary (BENCHMARKS.md)\n');
execFileSync(process.execPath, ['support/summary.mjs'], {
  stdio: 'inherit',
  cwd: import.meta.dirname,
});
