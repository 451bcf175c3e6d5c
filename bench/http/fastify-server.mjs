// One Fastify server for the HTTP benchmark, run in a child process so the load generator
// never shares an event loop with it. Prints `LISTENING <url>` once it listens, and closes
// (draining handlers, cleaning what its store wrote) on SIGTERM.
//
//   node bench/http/fastify-server.mjs <kind> [store]
//   kind:  plugin       @trax-webhooks/fastify, default options (logs through request.log)
//          plugin-own-logger   the same with a logger option (no per-request log routing)
//          handwritten  a scoped buffer parser + the hand-written Standard Webhooks check every
//                       receiver bench shares (bench/support/handwritten-check.mjs)
//          calibration  the hand-written route plus CALIBRATION_US (default 4) µs of busy CPU per
//                       request: shows what a few µs of server CPU cost in req/s on this machine
//          bare         a bare Fastify JSON route
//          core-receive the hand-written route's scoped parser calling core's receive() directly:
//                       splits the plugin's own cost from core's pipeline (diagnostic)
//   store (plugin kinds only):  memory (default) | redis (REDIS_URL, a bench-only key prefix)
//          | a path to a module exporting `createStore()` and optionally `closeStore(store)`
//   env:   TRAX_BENCH_SECRET (required, a whsec_ secret), PORT (default 0)
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createTraxWebhooks, MemoryDeliveryStore, silentLogger } from '@trax-webhooks/core';
import traxWebhooks from '@trax-webhooks/fastify';
import Fastify from 'fastify';
import { createHandwrittenCheck } from '../support/handwritten-check.mjs';

export const PATH = '/webhooks/trax';

/** What each handler does: nothing, so the numbers are the receiving path's own cost. */
function noop() {}

/** A store for the plugin kinds, and how to clean up after it. */
export async function openStore(kind = 'memory') {
  if (kind === 'memory') return { store: new MemoryDeliveryStore(), close: async () => {} };
  if (kind === 'redis') {
    const [{ default: Redis }, { RedisDeliveryStore }] = await Promise.all([
      import('ioredis'),
      import('@trax-webhooks/redis'),
    ]);
    const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    const prefix = `trax-bench:${process.pid}:`;
    const store = new RedisDeliveryStore(redis, { prefix, ttlMs: 600_000 });
    return {
      store,
      async close() {
        // Leave nothing behind in a Redis the tests share.
        let cursor = '0';
        do {
          const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
          if (keys.length > 0) await redis.unlink(...keys);
          cursor = next;
        } while (cursor !== '0');
        await redis.quit();
      },
    };
  }
  const module = await import(pathToFileURL(resolve(kind)).href);
  const store = await module.createStore();
  return { store, close: async () => module.closeStore?.(store) };
}

/** Spins the CPU for `micros` µs: the calibration kind's known, fixed extra cost. */
function busy(micros) {
  const until = performance.now() + micros / 1000;
  while (performance.now() < until);
}

function handwritten(app, secret, extraMicros = 0) {
  const check = createHandwrittenCheck(secret);
  // What a careful hand-written receiver does, in its own context so only it sees raw bytes.
  app.register(async function rawWebhookRoute(scope) {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) =>
      done(null, body),
    );
    scope.post(PATH, async (request, reply) => {
      const { status, event } = check(request.headers, request.body);
      if (status !== 200) return reply.code(status).send({ ok: false });
      noop(event);
      if (extraMicros > 0) busy(extraMicros);
      return { ok: true };
    });
  });
}

/** Builds the app of one kind (not listening yet), and what to close after it. */
export async function createBenchApp(kind, storeKind = 'memory') {
  const secret = process.env.TRAX_BENCH_SECRET;
  if (!secret?.startsWith('whsec_'))
    throw new TypeError('TRAX_BENCH_SECRET must be a whsec_ secret');
  const app = Fastify({ logger: false });
  let closeStore = async () => {};
  if (kind === 'plugin' || kind === 'plugin-own-logger') {
    const { store, close } = await openStore(storeKind);
    closeStore = close;
    const logger = kind === 'plugin-own-logger' ? silentLogger : undefined;
    await app.register(traxWebhooks, { secret, store, logger });
    app.traxWebhooks.onStreamLive(noop);
  } else if (kind === 'handwritten') {
    handwritten(app, secret);
  } else if (kind === 'calibration') {
    handwritten(app, secret, Number(process.env.CALIBRATION_US ?? 4));
  } else if (kind === 'core-receive') {
    const webhooks = createTraxWebhooks({ secret });
    webhooks.onStreamLive(noop);
    app.register(async function coreReceiveRoute(scope) {
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) =>
        done(null, body),
      );
      scope.post(PATH, async (request, reply) => {
        const { status, headers, body } = await webhooks.receive({
          headers: request.headers,
          rawBody: request.body,
        });
        reply.code(status).headers(headers);
        return body;
      });
    });
  } else if (kind === 'bare') {
    app.post(PATH, async () => ({ ok: true }));
  } else {
    throw new TypeError(`unknown server kind "${kind}"`);
  }
  app.addHook('onClose', () => closeStore());
  // The server's CPU time: per request, it moves far less with the machine's load than req/s.
  app.get('/__bench/cpu', async () => process.cpuUsage());
  return app;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [kind = 'plugin', storeKind = 'memory'] = process.argv.slice(2);
  const app = await createBenchApp(kind, storeKind);
  const url = await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
  process.stdout.write(`LISTENING ${url}\n`);
  process.once('SIGTERM', () => {
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
