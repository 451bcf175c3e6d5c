// The adapter conformance suite every adapter runs, for createWebHandler on Node (served by
// @hono/node-server). It does not route by path — the framework does (`export const POST`,
// `app.mount`) — and it bounds the body's time itself (bodyTimeoutMs → 408).
import { fileURLToPath } from 'node:url';
import { describeAdapterConformance } from '@trax-webhooks/core/contract';
import { startWebServer } from './support/start-web-server.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

describeAdapterConformance('createWebHandler on Node (@hono/node-server)', {
  start: (given) => startWebServer(given),
  startWithBodyConsumed: (given) => startWebServer(given, true),
  childServer: {
    command: fileURLToPath(new URL('../node_modules/.bin/tsx', import.meta.url)),
    args: ['test/support/conformance-server.ts'],
    cwd: packageDir,
  },
  routesByPath: false,
  boundsBodyTime: true,
});
