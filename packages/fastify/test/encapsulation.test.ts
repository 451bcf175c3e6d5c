import traxWebhooks from '@trax-webhooks/fastify';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { SECRET, signed, streamLive } from './support/deliveries.js';
import { fastifyVersions } from './support/fastify-versions.js';
import { transports } from './support/transports.js';

describe.each(fastifyVersions)('%s', (version, Fastify) => {
  describe.each(transports)('over $name: the route keeps its own parsing', (transport) => {
    let app: FastifyInstance;
    afterEach(() => app.close());

    /** A user's own JSON route, to prove the plugin leaves it alone. */
    /** The user's own JSON parser in place of Fastify's, marking what it parsed. */
    function replaceJsonParser(instance: FastifyInstance) {
      instance.removeContentTypeParser('application/json');
      instance.addContentTypeParser(
        'application/json',
        { parseAs: 'string' },
        (_request, body, done) => {
          done(null, { parsedBy: 'user', value: JSON.parse(body as string) });
        },
      );
    }

    function addUserRoute(instance: FastifyInstance) {
      instance.post('/api/echo', async (request) => ({
        isObject: typeof request.body === 'object' && !Buffer.isBuffer(request.body),
        body: request.body,
      }));
    }

    it.each([
      ['before', 'before'],
      ['after', 'after'],
    ])(
      'a user JSON route registered %s the plugin still receives parsed objects',
      async (order) => {
        app = Fastify();
        if (order === 'before') addUserRoute(app);
        await app.register(traxWebhooks, { secret: SECRET });
        if (order === 'after') addUserRoute(app);
        const send = await transport.start(app);

        const echo = await send({
          path: '/api/echo',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ hello: 'world' }),
        });
        expect(echo.status).toBe(200);
        expect(JSON.parse(echo.text)).toEqual({ isObject: true, body: { hello: 'world' } });
        const delivery = signed();
        expect((await send({ headers: delivery.headers, body: delivery.body })).status).toBe(200);
      },
    );

    it('a custom JSON parser registered before the plugin neither breaks registration nor the route', async () => {
      app = Fastify();
      // The classic trap: a second application/json parser in the same context throws
      // FST_ERR_CTP_ALREADY_PRESENT. The plugin swaps parsers only in its own context.
      replaceJsonParser(app);
      addUserRoute(app);
      await app.register(traxWebhooks, { secret: SECRET });
      const send = await transport.start(app);

      const echo = await send({
        path: '/api/echo',
        headers: { 'content-type': 'application/json' },
        body: '{"n":1}',
      });
      expect(JSON.parse(echo.text).body).toEqual({ parsedBy: 'user', value: { n: 1 } });
      const delivery = signed();
      expect((await send({ headers: delivery.headers, body: delivery.body })).status).toBe(200);
    });

    it('a custom JSON parser registered after the plugin leaves the webhook route on raw bytes', async () => {
      app = Fastify();
      await app.register(traxWebhooks, { secret: SECRET });
      replaceJsonParser(app);
      addUserRoute(app);
      const send = await transport.start(app);

      const echo = await send({
        path: '/api/echo',
        headers: { 'content-type': 'application/json' },
        body: '{"n":2}',
      });
      expect(JSON.parse(echo.text).body).toEqual({ parsedBy: 'user', value: { n: 2 } });
      const delivery = signed();
      expect((await send({ headers: delivery.headers, body: delivery.body })).status).toBe(200);
    });

    it.each([
      ['application/json', 'application/json'],
      ['application/json; charset=utf-8', 'application/json; charset=utf-8'],
      ['text/plain', 'text/plain'],
      ['application/octet-stream', 'application/octet-stream'],
      ['application/x-www-form-urlencoded', 'application/x-www-form-urlencoded'],
      ['no content-type', undefined],
    ])('a delivery sent as %s reaches verification as raw bytes', async (_name, contentType) => {
      app = Fastify();
      const seen: Array<string | undefined> = [];
      app.addHook('onRequest', async (request) => void seen.push(request.headers['content-type']));
      await app.register(traxWebhooks, { secret: SECRET });
      const send = await transport.start(app);
      let received: unknown;
      app.traxWebhooks.onStreamLive((event) => {
        received = event.data.studioId;
      });

      // Pretty-printed on purpose: only the exact bytes verify, never a re-serialisation.
      const delivery = signed({ payload: JSON.stringify(streamLive('st_pretty'), null, 3) });
      const { 'content-type': _default, ...headers } = delivery.headers;
      const res = await send({
        headers: contentType === undefined ? headers : { ...headers, 'content-type': contentType },
        body: Buffer.from(delivery.body),
      });
      expect(seen).toEqual([contentType]);
      expect(res.status).toBe(200);
      expect(received).toBe('st_pretty');
    });

    it('answers 500 RAW_BODY_UNAVAILABLE when a user hook replaced the raw body, never verifying a copy', async () => {
      app = Fastify();
      // A hook that hands every route a parsed object, whatever the parser read.
      app.addHook('preHandler', async (request) => {
        request.body = streamLive();
      });
      await app.register(traxWebhooks, { secret: SECRET });
      const send = await transport.start(app);
      let runs = 0;
      app.traxWebhooks.onAny(() => void runs++);
      const delivery = signed();
      const res = await send({ headers: delivery.headers, body: delivery.body });
      expect(res.status).toBe(500);
      expect(res.json().error?.code).toBe('RAW_BODY_UNAVAILABLE');
      expect(runs).toBe(0);
    });

    it('a user error handler still answers errors of user hooks that run on the webhook route', async () => {
      app = Fastify();
      app.setErrorHandler(async (error: Error & { statusCode?: number }, _request, reply) => {
        reply.code(error.statusCode ?? 500);
        return { handledBy: 'user', message: error.message };
      });
      app.addHook('onRequest', async (request) => {
        if (request.headers['x-block'] === 'yes') {
          throw Object.assign(new Error('blocked by the app'), { statusCode: 403 });
        }
      });
      await app.register(traxWebhooks, { secret: SECRET });
      const send = await transport.start(app);
      const delivery = signed();
      const res = await send({
        headers: { ...delivery.headers, 'x-block': 'yes' },
        body: delivery.body,
      });
      expect(res.status).toBe(403);
      expect(JSON.parse(res.text)).toEqual({ handledBy: 'user', message: 'blocked by the app' });
    });
  });

  describe('registration', () => {
    let app: FastifyInstance;
    afterEach(() => app.close());

    it('a Content-Type that is not type/subtype: Fastify 5 answers 415 before any parser, Fastify 4 verifies it', async () => {
      app = Fastify();
      await app.register(traxWebhooks, { secret: SECRET });
      const delivery = signed();
      const res = await app.inject({
        method: 'POST',
        url: '/webhooks/trax',
        headers: { ...delivery.headers, 'content-type': 'garbage' },
        payload: delivery.body,
      });
      expect(res.statusCode).toBe(version === 'Fastify 5' ? 415 : 200);
    });

    it('serves the route under the path option', async () => {
      app = Fastify();
      await app.register(traxWebhooks, { secret: SECRET, path: '/hooks/trax-in' });
      const delivery = signed();
      const res = await app.inject({
        method: 'POST',
        url: '/hooks/trax-in',
        headers: delivery.headers,
        payload: delivery.body,
      });
      expect(res.statusCode).toBe(200);
      expect(
        (
          await app.inject({
            method: 'POST',
            url: '/webhooks/trax',
            headers: delivery.headers,
            payload: delivery.body,
          })
        ).statusCode,
      ).toBe(404);
    });

    it.each([
      ['the defaults', {}],
      ['ignoreTrailingSlash: true', { ignoreTrailingSlash: true }],
    ])(
      'answers the path with and without a trailing slash under %s',
      async (_what, serverOptions) => {
        app = Fastify(serverOptions);
        await app.register(traxWebhooks, { secret: SECRET });
        for (const url of ['/webhooks/trax', '/webhooks/trax/']) {
          const delivery = signed();
          const res = await app.inject({
            method: 'POST',
            url,
            headers: delivery.headers,
            payload: delivery.body,
          });
          expect(res.statusCode).toBe(200);
          expect((await app.inject({ method: 'GET', url })).statusCode).toBe(405);
        }
      },
    );

    it('inside a prefixed context, serves prefix + path and decorates that context only', async () => {
      app = Fastify();
      await app.register(
        async (api) => {
          await api.register(traxWebhooks, { secret: SECRET });
          expect(api.hasDecorator('traxWebhooks')).toBe(true);
        },
        { prefix: '/api' },
      );
      expect(app.hasDecorator('traxWebhooks')).toBe(false);
      const delivery = signed();
      const res = await app.inject({
        method: 'POST',
        url: '/api/webhooks/trax',
        headers: delivery.headers,
        payload: delivery.body,
      });
      expect(res.statusCode).toBe(200);
    });

    it('decorates the app with the receiver, which also serves events from elsewhere (the poller)', async () => {
      app = Fastify();
      await app.register(traxWebhooks, { secret: SECRET });
      let studio: string | undefined;
      app.traxWebhooks.onStreamLive((event, ctx) => {
        studio = `${event.data.studioId}:${ctx.source}`;
      });
      const result = await app.traxWebhooks.handleEvent(streamLive('st_9') as never, {
        deliveryId: 'poll_1',
        source: 'poll',
      });
      expect(result).toEqual({ outcome: 'handled' });
      expect(studio).toBe('st_9:poll');
    });

    it.each([
      ['secret', {}],
      ['secret', { secret: '' }],
      ['path', { secret: SECRET, path: 'webhooks' }],
      ['path', { secret: SECRET, path: 42 }],
      ['bodyLimit', { secret: SECRET, bodyLimit: -1 }],
      ['store', { secret: SECRET, store: {} }],
      ['logger', { secret: SECRET, logger: { info() {} } }],
    ])('rejects a bad %s option with a TypeError that names it', async (option, options) => {
      app = Fastify();
      const registration = app.register(traxWebhooks, options as never);
      await expect(registration).rejects.toThrow(TypeError);
      await expect(app.ready()).rejects.toThrow(new RegExp(`^${option}`));
    });

    it('never echoes the secret in a registration error', async () => {
      app = Fastify();
      const secret = 'whsec_not*base64*at*all';
      const error = await Promise.resolve(app.register(traxWebhooks, { secret })).then(
        () => undefined,
        (thrown: Error) => thrown,
      );
      expect(error).toBeInstanceOf(TypeError);
      expect(error?.message).toMatch(/^secret/);
      expect(error?.message).not.toContain('not*base64');
    });
  });
});
