// Runs every `bench:*` script of this package in turn (each one prints its own table).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const { scripts } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
for (const name of Object.keys(scripts).filter((s) => s.startsWith('bench:'))) {
  console.log(`\n### ${name}\n`);
  execFileSync('pnpm', ['run', '--silent', name], { stdio: 'inherit', cwd: import.meta.dirname });
}
