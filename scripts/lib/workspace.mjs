// What the repository scripts share: where the root is, the pnpm it pins, its packages, and a
// way to run a command that shows its output only when it fails.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The pnpm the repository pins (`packageManager`), through npx: no global pnpm needed. */
export function pnpm() {
  const { packageManager } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  return ['npx', ['-y', packageManager]];
}

/**
 * Every package under packages/ that is published (not private), found by looking, so a new
 * package needs no list to be added to: `{ dir, manifest }`.
 */
export function publishedPackages() {
  const found = [];
  for (const name of readdirSync(join(ROOT, 'packages')).sort()) {
    const dir = join(ROOT, 'packages', name);
    const file = join(dir, 'package.json');
    if (!existsSync(file)) continue;
    const manifest = JSON.parse(readFileSync(file, 'utf8'));
    if (!manifest.private) found.push({ dir, manifest });
  }
  return found;
}

/**
 * Runs a command to completion; returns its output, or throws an Error carrying it (with the
 * command) when it exits non-zero.
 */
export function run(command, args, options = {}) {
  const result = spawnSync(command, args, {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    ...options,
    env: { ...process.env, NO_COLOR: '1', ...options.env },
  });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  if (result.status !== 0) {
    throw new Error(
      `\`${[command, ...args].join(' ')}\` exited ${result.status ?? result.signal}${result.error ? ` (${result.error.message})` : ''}:\n${output}`,
    );
  }
  return output;
}
