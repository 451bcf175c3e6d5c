// Tests run against source: every `@trax-webhooks/*` import (and subpath such as
// `@trax-webhooks/core/contract`) resolves to the package's `src` entry, so `vitest --watch`
// sees an edit without a build. Vite maps the `.js` specifiers inside `src` to their `.ts`
// files. Child processes (examples, the CLI's bin, fixtures) still load `dist`:
// test-support/global-setup.ts builds it when it is missing or stale.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGES = fileURLToPath(new URL('../packages', import.meta.url));

interface PackageJson {
  name: string;
  exports?: Record<string, unknown>;
}

/** The `src` file a subpath export is built from: `src/<entry>.ts` or `src/<entry>/index.ts`. */
function sourceOf(dir: string, name: string, subpath: string): string {
  const entry = subpath === '.' ? 'index' : subpath.slice(2);
  for (const candidate of [`src/${entry}.ts`, `src/${entry}/index.ts`]) {
    const file = join(dir, candidate);
    if (existsSync(file)) return file;
  }
  throw new Error(
    `${name}: no src/${entry}.ts or src/${entry}/index.ts for its export "${subpath}"; ` +
      'name the entry after the subpath, or teach test-support/source-aliases.ts where it is',
  );
}

/**
 * Vite `resolve.alias` entries for every workspace package's exports (bar `./package.json`),
 * exact matches only, so `@trax-webhooks/core` does not swallow `@trax-webhooks/core/contract`.
 *
 * @example
 * ```ts
 * export default defineProject({ resolve: { alias: sourceAliases() }, test: { name: 'core' } });
 * ```
 */
export function sourceAliases(): Array<{ find: RegExp; replacement: string }> {
  const aliases: Array<{ find: RegExp; replacement: string }> = [];
  for (const folder of readdirSync(PACKAGES)) {
    const dir = join(PACKAGES, folder);
    const manifest = join(dir, 'package.json');
    if (!existsSync(manifest)) continue;
    const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as PackageJson;
    for (const subpath of Object.keys(pkg.exports ?? { '.': null })) {
      if (subpath === './package.json') continue;
      const specifier = subpath === '.' ? pkg.name : `${pkg.name}/${subpath.slice(2)}`;
      aliases.push({
        find: new RegExp(`^${specifier.replace(/[/.]/g, '\\$&')}$`),
        replacement: sourceOf(dir, pkg.name, subpath),
      });
    }
  }
  return aliases;
}
