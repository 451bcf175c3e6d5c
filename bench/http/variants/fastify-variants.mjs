// The Fastify 5 receivers of the comparison, each as a user would write it. The peers read the
// raw bytes the way Fastify's docs say: a content-type parser in a scoped (encapsulated) plugin,
// so only the webhook route sees them. Every one runs `onEvent` once per accepted delivery and
// answers 2xx only after it ran.

import { Webhooks } from '@octokit/webhooks';
import {
  createTraxWebhooks,
  githubStyleScheme,
  MemoryDeliveryStore,
  silentLogger,
} from '@trax-webhooks/core';
import { receiveNow } from '@trax-webhooks/core/adapter';
import { readNodeBodyThen } from '@trax-webhooks/core/node';
import traxWebhooks from '@trax-webhooks/fastify';
import Fastify from 'fastify';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { Webhook as SvixWebhook } from 'svix';
import { registerFastifyLimit } from '../../limit/fastify-limit.mjs';
import { createLimitReceiver } from '../../limit/limit-receiver.mjs';
import { readBody } from '../../limit/read-body.mjs';
import { PATH, PLAIN_SECRET, STANDARD_SECRET } from '../bench-secrets.mjs';

/** A scoped route that gets the raw body (`parseAs`) and runs `handler(request, reply)`. */
function rawRoute(app, parseAs, handler) {
  app.register(async function rawWebhookRoute(scope) {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs }, (_request, body, done) => done(null, body));
    scope.post(PATH, handler);
  });
}

/**
 * core's `receiveNow()` as a diagnostic route's answer: the value when it is ready, as the
 * adapters take it. In {@link diagnosticRoute} it is the limit's exact route calling core's
 * receiver: this ÷ limit is core's receiver over HTTP, ours ÷ this the plugin's own cost.
 */
function coreAnswerNow(webhooks, onEvent) {
  webhooks.onStreamLive(onEvent);
  return (request) => receiveNow(webhooks, { headers: request.headers, rawBody: request.body });
}

/** core's `receive()` as a diagnostic route's answer. */
function coreAnswer(webhooks, onEvent) {
  webhooks.onStreamLive(onEvent);
  return (request) => webhooks.receive({ headers: request.headers, rawBody: request.body });
}

/**
 * A diagnostic route: the limit's scoped '*' parser with `read(payload, done)`, and a handler
 * writing `answer(request)`'s status, headers and body (the limit's answer shape and core's).
 * An answer given as a value is written in the same turn, as the limit's route does; a promise
 * is waited for.
 */
function diagnosticRoute(app, read, answer) {
  app.register(async function diagnosticScope(scope) {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, payload, done) => {
      read(payload, (body) => done(null, body));
    });
    const write = (reply, ready) => {
      reply.code(ready.status).headers(ready.headers);
      return ready.body;
    };
    scope.post(PATH, (request, reply) => {
      const answered = answer(request);
      if (typeof answered.then === 'function') return answered.then((ready) => write(reply, ready));
      return write(reply, answered);
    });
  });
}

const OK_HEADERS = Object.freeze({ 'content-type': 'application/json; charset=utf-8' });

/** The framework diagnostics' route: the limit's raw-body parser, then `{"ok":true}`. */
function okRoute(app, onEvent) {
  app.register(async function okScope(scope) {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, payload, done) => {
      readBody(payload, (body) => done(null, body));
    });
    scope.post(PATH, (_request, reply) => {
      onEvent({ type: 'stream.live' });
      reply.code(200).headers(OK_HEADERS);
      return '{"ok":true}';
    });
  });
}

/** A standardwebhooks-shaped `Webhook#verify` recipe (svix wraps standardwebhooks). */
function verifyRecipe(app, wh, onEvent) {
  rawRoute(app, 'buffer', async (request, reply) => {
    let event;
    try {
      event = wh.verify(request.body, request.headers);
    } catch {
      return reply.code(400).send({});
    }
    onEvent(event);
    return {};
  });
}

/** `@octokit/webhooks`' `verifyAndReceive` in a scoped string-body route. No dedupe. */
function octokitRoute(app, onEvent) {
  const webhooks = new Webhooks({ secret: PLAIN_SECRET });
  webhooks.onAny(({ payload }) => onEvent(payload));
  rawRoute(app, 'string', async (request, reply) => {
    try {
      await webhooks.verifyAndReceive({
        id: request.headers['x-github-delivery'],
        name: request.headers['x-github-event'],
        signature: request.headers['x-hub-signature-256'],
        payload: request.body,
      });
    } catch {
      return reply.code(400).send({});
    }
    return 'ok\n';
  });
}

export const fastifyVariants = {
  /** `app.register(traxWebhooks, { secret })`: Standard Webhooks, memory store, one handler. */
  ours: {
    scheme: 'standard',
    async mount(app, onEvent) {
      await app.register(traxWebhooks, { secret: STANDARD_SECRET, path: PATH });
      app.traxWebhooks.onStreamLive(onEvent);
    },
  },
  /** Diagnostic: the plugin given a logger of its own (no per-request log routing). */
  'ours-own-logger': {
    scheme: 'standard',
    async mount(app, onEvent) {
      await app.register(traxWebhooks, {
        secret: STANDARD_SECRET,
        path: PATH,
        logger: silentLogger,
      });
      app.traxWebhooks.onStreamLive(onEvent);
    },
  },
  /** Ours with the GitHub-style preset: octokit's pair. */
  'ours-github': {
    scheme: 'github',
    async mount(app, onEvent) {
      await app.register(traxWebhooks, {
        secret: PLAIN_SECRET,
        scheme: githubStyleScheme,
        path: PATH,
      });
      app.traxWebhooks.onStreamLive(onEvent);
    },
  },
  /** octokit's recipe (see {@link octokitRoute}). */
  octokit: {
    scheme: 'github',
    mount(app, onEvent) {
      octokitRoute(app, onEvent);
    },
  },
  /** octokit's route in an app that also has a `GET /health` route (see `limit-with-health`). */
  'octokit-with-health': {
    scheme: 'github',
    mount(app, onEvent) {
      app.get('/health', () => 'ok\n');
      octokitRoute(app, onEvent);
    },
  },
  svix: {
    scheme: 'standard',
    mount(app, onEvent) {
      verifyRecipe(app, new SvixWebhook(STANDARD_SECRET), onEvent);
    },
  },
  standardwebhooks: {
    scheme: 'standard',
    mount(app, onEvent) {
      verifyRecipe(app, new StandardWebhook(STANDARD_SECRET), onEvent);
    },
  },
  /**
   * Diagnostic, not a peer: the limit's parser and route calling core's `receive()` instead of
   * the limit's receiver. ours ÷ this is the plugin's own cost; this ÷ limit is core's.
   */
  'core-receive': {
    scheme: 'standard',
    mount(app, onEvent) {
      diagnosticRoute(
        app,
        readBody,
        coreAnswer(createTraxWebhooks({ secret: STANDARD_SECRET }), onEvent),
      );
    },
  },
  /** Diagnostic: core's `receiveNow()` in a route of the limit's exact shape. */
  'core-receive-now': {
    scheme: 'standard',
    mount(app, onEvent) {
      diagnosticRoute(
        app,
        readBody,
        coreAnswerNow(createTraxWebhooks({ secret: STANDARD_SECRET }), onEvent),
      );
    },
  },
  /** Diagnostic: the same with a 1,000-key memory store (does the 100,000-key map cost?). */
  'core-small-store': {
    scheme: 'standard',
    mount(app, onEvent) {
      const store = new MemoryDeliveryStore({ max: 1000 });
      diagnosticRoute(
        app,
        readBody,
        coreAnswer(createTraxWebhooks({ secret: STANDARD_SECRET, store }), onEvent),
      );
    },
  },
  /** Diagnostic: `core-receive` with core's body reader instead of the limit's. */
  'core-nodereader': {
    scheme: 'standard',
    mount(app, onEvent) {
      const bounds = { limit: 1_048_576, timeoutMs: 10_000 };
      const read = (payload, done) => readNodeBodyThen(payload, bounds, (r) => done(r.body));
      diagnosticRoute(
        app,
        read,
        coreAnswer(createTraxWebhooks({ secret: STANDARD_SECRET }), onEvent),
      );
    },
  },
  /** Diagnostic: the limit answering through a promise (what does an async answer cost?). */
  'limit-async': {
    scheme: 'standard',
    mount(app, onEvent) {
      const receive = createLimitReceiver(STANDARD_SECRET, onEvent);
      diagnosticRoute(app, readBody, async (request) => receive(request.headers, request.body));
    },
  },
  /** The limit (bench/limit): hand-written, same guarantees as ours, two-phase lru-cache dedupe. */
  limit: {
    scheme: 'standard',
    mount(app, onEvent) {
      registerFastifyLimit(app, { secret: STANDARD_SECRET, path: PATH, onEvent });
    },
  },
  /**
   * The limit in an app that also has a `GET /health` route: ours' fair pair. A second route,
   * like a decorator, an `onClose` hook or a fastify-plugin wrapper (the plugin has all of
   * them), changes how V8 compiles Node's `process.nextTick`, and every delivery costs more
   * inside it (BENCHMARKS.md, "Where the time goes"); the one-route limit has none of them.
   */
  'limit-with-health': {
    scheme: 'standard',
    mount(app, onEvent) {
      app.get('/health', () => 'ok\n');
      registerFastifyLimit(app, { secret: STANDARD_SECRET, path: PATH, onEvent });
    },
  },
  /**
   * Diagnostics of Fastify alone, not receivers (they verify nothing): the limit's parser and a
   * route that answers `{"ok":true}`, in an app of one route, and of two (`GET /health`). The
   * pair measures what a second route in the app costs every request.
   */
  'framework-one-route': {
    scheme: 'standard',
    mount(app, onEvent) {
      okRoute(app, onEvent);
    },
  },
  'framework-two-routes': {
    scheme: 'standard',
    mount(app, onEvent) {
      app.get('/health', () => 'ok\n');
      okRoute(app, onEvent);
    },
  },
  /** The limit with the GitHub-style scheme: the floor of octokit's pair. */
  'limit-github': {
    scheme: 'github',
    mount(app, onEvent) {
      registerFastifyLimit(app, { secret: PLAIN_SECRET, path: PATH, onEvent, scheme: 'github' });
    },
  },
  /** The GitHub-style limit in an app with a `GET /health` route: ours-github's fair pair. */
  'limit-github-with-health': {
    scheme: 'github',
    mount(app, onEvent) {
      app.get('/health', () => 'ok\n');
      registerFastifyLimit(app, { secret: PLAIN_SECRET, path: PATH, onEvent, scheme: 'github' });
    },
  },
};

/** Builds the Fastify app of one variant, ready to listen. */
export async function createFastifyApp(name, onEvent) {
  const variant = fastifyVariants[name];
  if (!variant) throw new TypeError(`unknown Fastify variant ${name}`);
  const app = Fastify({ logger: false });
  // TRAX_BENCH_BOOT_TURN=1 lets one turn of the event loop pass between creating the app and
  // registering its routes, the same for every variant. In the default boot (routes registered
  // in the first turn, as apps do) V8 compiles Node's process.nextTick into a slower form in
  // some processes and not others: the plugin's in every run, the limit's and octokit's beside
  // GET /health in some (BENCHMARKS.md, session 6; `http/jit-state.mjs` tells which). With the
  // turn, every variant gets the fast form, so a run compares the receivers' code, not that draw.
  if (process.env.TRAX_BENCH_BOOT_TURN === '1')
    await new Promise((resolve) => setImmediate(resolve));
  await variant.mount(app, onEvent);
  await app.ready();
  return app;
}
