import { sourceAliases } from './test-support/source-aliases.ts';

/**
 * The test projects, one per package, one for the examples and one (`repo`, in scripts/) for
 * the repository itself.
 * Vitest 4 no longer reads this file by itself: `vitest.config.ts` passes this list to
 * `test.projects`, so this stays the single place that says what is tested.
 *
 * Each project keeps its own `vitest.config.ts` (its name, files, timeouts); here every one of
 * them also resolves the workspace packages to their `src` (see test-support/source-aliases.ts),
 * so no project tests a stale build and none needs its own copy of the aliases.
 */
const dirs = [
  'packages/core',
  'packages/express',
  'packages/fastify',
  'packages/redis',
  'packages/bullmq',
  'packages/poller',
  'packages/testing',
  'packages/sender',
  'packages/cli',
  'packages/web',
  'packages/otel',
  'examples',
  'scripts',
];

const alias = sourceAliases();

export default dirs.map((dir) => ({
  extends: `./${dir}/vitest.config.ts`,
  root: `./${dir}`,
  resolve: { alias },
}));
