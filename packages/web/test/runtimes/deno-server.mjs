// Deno.serve(handler) — Deno calls it as (request, info).
import { createApp } from './app.mjs';

Deno.serve(
  {
    hostname: '127.0.0.1',
    port: 0,
    onListen: ({ port }) => console.log(`listening on ${port}`),
  },
  createApp(),
);
