// Builds the packages once, quietly, when a dist is missing or older than its sources, and
// otherwise does nothing. `pnpm test` (through test-support/global-setup.ts), `pnpm demo` and the
// packaging scripts call it, so a fresh clone works with the README's two commands while CI,
// which builds in its own step, builds once. The build's output is shown only when it fails.
//
//   node scripts/ensure-built.mjs          # exit 0 built or fresh, 1 the build failed
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pnpm, publishedPackages, ROOT, run } from './lib/workspace.mjs';

/** Every file under `dir`, recursively (none when it does not exist). */
function filesUnder(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

/** The packages whose dist is missing or older than one of its sources, by folder name. */
export function stalePackages() {
  const stale = [];
  for (const { dir, manifest } of publishedPackages()) {
    if (!manifest.scripts?.build) continue;
    const outputs = filesUnder(join(dir, 'dist'));
    const inputs = [
      ...filesUnder(join(dir, 'src')),
      join(dir, 'package.json'),
      join(dir, 'tsup.config.ts'),
    ].filter((file) => existsSync(file));
    const built = Math.min(...outputs.map((file) => statSync(file).mtimeMs));
    const changed = Math.max(...inputs.map((file) => statSync(file).mtimeMs));
    if (outputs.length === 0 || changed > built) stale.push(dir.split(/[\\/]/).at(-1));
  }
  return stale;
}

/**
 * Builds every package when any is stale; true when it built. Throws with the build's own
 * output when it fails.
 */
export function ensureBuilt({ log = (line) => process.stderr.write(`${line}\n`) } = {}) {
  const stale = stalePackages();
  if (stale.length === 0) return false;
  log(`Building the packages first (dist missing or older than src: ${stale.join(', ')})…`);
  const [command, args] = pnpm();
  run(command, [...args, 'run', 'build'], { cwd: ROOT });
  return true;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    ensureBuilt();
  } catch (error) {
    process.stderr.write(`The build failed. ${error.message}\n`);
    process.exit(1);
  }
}
