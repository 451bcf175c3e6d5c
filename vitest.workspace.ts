/**
 * The test projects, one per package and one for the examples.
 * Vitest 4 no longer reads this file by itself: `vitest.config.ts` passes this list to
 * `test.projects`, so this stays the single place that says what is tested.
 */
export default [
  'packages/core',
  'packages/express',
  'packages/fastify',
  'packages/redis',
  'packages/poller',
  'packages/testing',
  'packages/cli',
  'packages/web',
  'examples',
];
