import { fileURLToPath } from 'node:url';
import { describeAdapterConformance } from '@trax-webhooks/core/contract';
import { type FastifyMajor, startFastify } from './support/start-fastify.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

for (const [name, major] of [
  ['Fastify 5', 'fastify5'],
  ['Fastify 4', 'fastify4'],
] as const satisfies ReadonlyArray<readonly [string, FastifyMajor]>) {
  describeAdapterConformance(name, {
    start: (given) => startFastify(major, given),
    startWithBodyConsumed: (given) => startFastify(major, given, true),
    childServer: {
      command: fileURLToPath(new URL('../node_modules/.bin/tsx', import.meta.url)),
      args: ['test/support/conformance-server.ts', major],
      cwd: packageDir,
    },
    routesByPath: true,
    boundsBodyTime: true,
  });
}
