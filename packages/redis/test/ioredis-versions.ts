// The ioredis majors the Redis package supports (its peer range is ^5 || ^6). The store's
// contract and fault suites run once per entry; ioredis 6 is installed under the alias
// `ioredis6` (pnpm-workspace.yaml's catalog), so both live side by side in one workspace.
import { createRequire } from 'node:module';
import { Redis as Redis5 } from 'ioredis';
import { Redis as Redis6 } from 'ioredis6';

const require = createRequire(import.meta.url);
const versionOf = (name: string) =>
  (require(`${name}/package.json`) as { version: string }).version;

/**
 * One entry per supported major: its installed version (read, not assumed) and its client.
 * ioredis 6's client is typed as 5's here: the two sets of types cannot both be "the" ioredis
 * of one program, while an app that installs either one sees its own types.
 */
export const ioredisVersions: ReadonlyArray<{ name: string; Redis: typeof Redis5 }> = [
  { name: `ioredis ${versionOf('ioredis')}`, Redis: Redis5 },
  { name: `ioredis ${versionOf('ioredis6')}`, Redis: Redis6 as unknown as typeof Redis5 },
];
