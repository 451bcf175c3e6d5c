// Builds the packages once, quietly, when a dist is missing or older than its sources, and
// otherwise does nothing. `pnpm test` (through test-support/global-setup.ts) and `pnpm demo`
// call it, so a fresh clone works with the README's two commands while CI, which builds in its
// own step, builds once. The build's output is shown only when it fails.
//
//   node scripts/ensure-built.mjs          # exit 0 built or fresh, 1 the build failed
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Every file under `dir`, recursively (none when it does not exist). */
function filesUnder(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

/** The packages whose dist is missing or older than one of its sources, by folder name. */
export function stalePackages(root = ROOT) {
  const stale = [];
  for (const name of readdirSync(join(root, 'packages'))) {
    const dir = join(root, 'packages', name);
    const manifest = join(dir, 'package.json');
    if (!existsSync(manifest) || !JSON.parse(readFileSync(manifest, 'utf8')).scripts?.build)
      continue;
    const outputs = filesUnder(join(dir, 'dist'));
    const inputs = [...filesUnder(join(dir, 'src')), manifest, join(dir, 'tsup.config.ts')].filter(
      (file) => existsSync(file),
    );
    const built = Math.min(...outputs.map((file) => statSync(file).mtimeMs));
    const changed = Math.max(...inputs.map((file) => statSync(file).mtimeMs));
    if (outputs.length === 0 || changed > built) stale.push(name);
  }
  return stale;
}

/** The pnpm the repository pins (`packageManager`), through npx: no global pnpm needed. */
function pnpm() {
  const { packageManager } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  return ['npx', ['-y', packageManager]];
}

/**
 * Builds every package when any is stale; resolves once dist is current. Throws with the
 * build's own output when it fails.
 */
export function ensureBuilt({ log = (line) => process.stderr.write(`${line}\n`) } = {}) {
  const stale = stalePackages();
  if (stale.length === 0) return false;
  log(`Building the packages first (dist missing or older than src: ${stale.join(', ')})…`);
  const [command, args] = pnpm();
  const result = spawnSync(command, [...args, 'run', 'build'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  if (result.status !== 0) {
    const error = new Error(`the build failed:\n${result.stdout ?? ''}${result.stderr ?? ''}`);
    error.name = 'BuildFailed';
    throw error;
  }
  return true;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    ensureBuilt();
  } catch (error) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}
