// createWebHandler served on Node by @hono/node-server (IncomingMessage → Request → Response),
// as a real process: what the Node conformance run talks to. Prints `listening on <port>`.
import { serve } from '@hono/node-server';
import { createWebHandler } from '../dist/index.js';

const options = JSON.parse(process.env.TRAX_WEB_OPTIONS ?? '{}');
const handler = createWebHandler({ secret: process.env.TRAX_WEBHOOK_SECRET, ...options });
const server = serve({ fetch: handler, hostname: '127.0.0.1', port: 0 }, (info) =>
  console.log(`listening on ${info.port}`),
);
process.once('SIGTERM', () => server.close(() => process.exit(0)));
