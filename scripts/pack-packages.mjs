// Packs every published package under packages/ into an installable tarball, the way npm will
// get them on publication day: `pnpm pack` turns `workspace:^` and `catalog:` into real ranges.
// It finds the packages itself, so a new one is packed without being listed anywhere.
//
//   pnpm pack:packages                 # → packed/trax-webhooks-<name>-<version>.tgz
//   node scripts/pack-packages.mjs DIR # → DIR/…
//
// Then, in any app:  npm install /path/to/packed/*.tgz
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBuilt } from './ensure-built.mjs';
import { pnpm, publishedPackages, ROOT, run } from './lib/workspace.mjs';

/** Packs every package into `out` (emptied first); returns the tarballs' paths. */
export function packPackages(out = join(ROOT, 'packed')) {
  ensureBuilt();
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const [command, args] = pnpm();
  for (const { dir } of publishedPackages()) {
    run(command, [...args, 'pack', '--pack-destination', out], { cwd: dir });
  }
  return readdirSync(out)
    .filter((file) => file.endsWith('.tgz'))
    .sort()
    .map((file) => join(out, file));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    const out = process.argv[2] ? resolve(process.argv[2]) : undefined;
    const tarballs = packPackages(out);
    for (const file of tarballs) console.log(file);
    console.log(
      `\n${tarballs.length} tarballs. Install them in an app with: npm install <the .tgz files>`,
    );
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
}
