// Bun.serve({ fetch: handler }) — Bun calls it as (request, server).
import { createApp } from './app.mjs';

const server = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: createApp() });
console.log(`listening on ${server.port}`);
