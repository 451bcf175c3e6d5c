import { fileURLToPath } from 'node:url';
import { describeAdapterConformance } from '@trax-webhooks/core/contract';
import { type ExpressMajor, startExpress } from './support/start-express.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

for (const [name, major] of [
  ['Express 5', 'express5'],
  ['Express 4', 'express4'],
] as const satisfies ReadonlyArray<readonly [string, ExpressMajor]>) {
  describeAdapterConformance(name, {
    start: async (given) => startExpress(major, given),
    startWithBodyConsumed: async (given) => startExpress(major, given, true),
    childServer: {
      command: fileURLToPath(new URL('../node_modules/.bin/tsx', import.meta.url)),
      args: ['test/support/conformance-server.ts', major],
      cwd: packageDir,
    },
    routesByPath: true,
    boundsBodyTime: true,
  });
}
