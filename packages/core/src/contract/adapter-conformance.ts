import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdapterOptions } from '../adapter/adapter-options.js';
import type { ClaimResult, DeliveryStore } from '../delivery-store.js';
import type { TraxWebhookRouter } from '../router.js';
import type { WebhookSecrets } from '../secrets.js';
import { signDelivery } from '../sign-delivery.js';
import {
  type ConformanceChildServer,
  type RunningChild,
  startChildServer,
} from './conformance-child.js';
import {
  type ConformanceAnswer,
  rawExchange,
  requestHead,
  send,
  statusOf,
  upload,
} from './conformance-client.js';
import { signBytes } from './sign-bytes.js';

/** A server the suite started through the adapter. */
export interface AdapterServer {
  /**
   * Where deliveries go: for an adapter that routes by path, the origin plus the `path` it was
   * given (`/webhooks/trax` by default); else wherever the framework mounted the handler.
   */
  readonly url: string;
  /** The receiver behind it (the adapter itself, `app.traxWebhooks`…), to subscribe handlers. */
  readonly receiver: Pick<TraxWebhookRouter, 'onAny' | 'onError'>;
  /** Stops the server (closing open connections). */
  close(): Promise<void>;
}

/** What an adapter gives the suite, and what it does (the suite's only "exceptions"). */
export interface AdapterConformanceOptions {
  /**
   * Starts a server around the adapter made from `given`, exactly as a user passes it: a bare
   * secret, or options (`secret`, `path`, `bodyLimit`, `bodyTimeoutMs`, `ack`, `store`…).
   * Rejects (with the adapter's `TypeError`) when the options are bad.
   */
  start(given: WebhookSecrets | AdapterOptions): Promise<AdapterServer>;
  /** The same server in a process of its own, for the 413 reproduction: see {@link ConformanceChildServer}. */
  childServer: ConformanceChildServer;
  /**
   * Whether the adapter matches the path itself (Express, Fastify: `path` option, trailing
   * slash, case, query), or a framework routes to it (a Web handler exported as `POST`).
   */
  routesByPath: boolean;
  /**
   * Whether the adapter bounds the body's time itself (`bodyTimeoutMs` → 408). A runtime that
   * bounds it before the handler runs says `false`, and the 408 tests are skipped, saying so.
   */
  boundsBodyTime: boolean;
  /**
   * Starts a server where something consumed the body before the adapter (a body parser
   * mounted first). Omitted where nothing can (the suite says so); the adapter must answer
   * 500 `RAW_BODY_UNAVAILABLE` without running a handler.
   */
  startWithBodyConsumed?(given: AdapterOptions): Promise<AdapterServer>;
  /** How many times each oversized upload is sent to the child server (issue 11 sent 6 × 4 = 24). @default 6 */
  uploadRounds?: number;
}

const MiB = 1024 * 1024;
const SECRET = `whsec_${randomBytes(24).toString('base64')}`;
const OTHER_SECRET = `whsec_${randomBytes(24).toString('base64')}`;

function liveEvent(studioId = 'st_conformance') {
  const now = new Date().toISOString();
  return {
    type: 'stream.live',
    timestamp: now,
    data: { studioId, encoderStreamId: 'enc_1', liveStartedAt: now, mode: 'cloud' },
  };
}

function signed(options: { payload?: unknown; secret?: string; timestamp?: number } = {}) {
  return signDelivery({ secret: options.secret ?? SECRET, payload: liveEvent(), ...options });
}

/** A store whose backend is down: every call rejects, as over a dead connection. */
const deadStore: DeliveryStore = {
  claim: (): Promise<ClaimResult> => Promise.reject(new Error('connect ECONNREFUSED')),
  complete: () => Promise.reject(new Error('connect ECONNREFUSED')),
  release: () => Promise.reject(new Error('connect ECONNREFUSED')),
};

function errorCode(answer: ConformanceAnswer): string | undefined {
  return answer.json?.error?.code;
}

function withPath(url: string, path: string): string {
  return new URL(path, url).href;
}

/**
 * Registers the adapter conformance tests: every answer a sender can get (200, 200 duplicate,
 * 202, 400, 401, 405, 408, 409, 413, 500, 503), the bare-secret entry, the path rules and the
 * raw-body cases, over a real server. Every adapter passes it unchanged; what an adapter does
 * differently is an option of the suite, not an exception in a test.
 *
 * @example
 * ```ts
 * import { describeAdapterConformance } from '@trax-webhooks/core/contract';
 * describeAdapterConformance('my adapter', {
 *   start: (given) => startMyServer(given),
 *   childServer: { command: 'tsx', args: ['test/support/conformance-server.ts'] },
 *   routesByPath: true,
 *   boundsBodyTime: true,
 * });
 * ```
 */
export function describeAdapterConformance(name: string, options: AdapterConformanceOptions): void {
  describe(`${name} honours the adapter contract`, () => {
    const open: AdapterServer[] = [];
    afterAll(async () => {
      await Promise.all(open.map((server) => server.close()));
    });
    async function start(given: WebhookSecrets | AdapterOptions) {
      const server = await options.start(given);
      open.push(server);
      return server;
    }
    function handled(server: AdapterServer) {
      const events: unknown[] = [];
      server.receiver.onAny((event) => {
        events.push(event);
      });
      return events;
    }

    describe('entry', () => {
      it('takes a bare secret, and answers 200 { ok: true } to a delivery it handled', async () => {
        const server = await start(SECRET);
        const events = handled(server);
        const delivery = signed();
        const answer = await send(server.url, { headers: delivery.headers, body: delivery.body });
        expect(answer.status).toBe(200);
        expect(answer.json).toEqual({ ok: true });
        expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
        expect(events).toEqual([JSON.parse(delivery.body)]);
      });

      it('takes options, and answers a resent delivery 200 { duplicate: true } without running handlers again', async () => {
        const server = await start({ secret: SECRET });
        const events = handled(server);
        const delivery = signed();
        const first = await send(server.url, { headers: delivery.headers, body: delivery.body });
        const again = await send(server.url, { headers: delivery.headers, body: delivery.body });
        expect(first.json).toEqual({ ok: true });
        expect(again.status).toBe(200);
        expect(again.json).toEqual({ ok: true, duplicate: true });
        expect(events).toHaveLength(1);
      });

      it('refuses a bad option with a TypeError that names it', async () => {
        await expect(options.start({ secret: SECRET, bodyTimeoutMs: 0 })).rejects.toThrow(
          /bodyTimeoutMs/,
        );
        await expect(options.start({ secret: SECRET, bodyLimit: -1 })).rejects.toThrow(/bodyLimit/);
      });
    });

    describe('status codes', () => {
      let server: AdapterServer;
      let events: unknown[];
      beforeAll(async () => {
        server = await start({ secret: SECRET });
        events = handled(server);
      });

      it('202 { accepted: true } with ack: "immediate", and the handler runs after the answer', async () => {
        const immediate = await start({ secret: SECRET, ack: 'immediate' });
        let ran!: () => void;
        const handlerRan = new Promise<void>((resolve) => {
          ran = resolve;
        });
        immediate.receiver.onAny(() => ran());
        const delivery = signed();
        const answer = await send(immediate.url, {
          headers: delivery.headers,
          body: delivery.body,
        });
        expect(answer.status).toBe(202);
        expect(answer.json).toEqual({ ok: true, accepted: true });
        await handlerRan;
      });

      it.each([
        [
          'MISSING_HEADER',
          'without a signature',
          () => {
            const { 'webhook-signature': _gone, ...headers } = signed().headers;
            return { headers, body: signed().body };
          },
        ],
        [
          'INVALID_JSON',
          'whose signed body is not JSON',
          () => {
            const delivery = signed({ payload: 'not json' });
            return { headers: delivery.headers, body: delivery.body };
          },
        ],
        [
          'INVALID_ENVELOPE',
          'whose signed body is not an event envelope',
          () => {
            const delivery = signed({ payload: { hello: 'world' } });
            return { headers: delivery.headers, body: delivery.body };
          },
        ],
      ])('400 %s to a delivery %s', async (code, _what, make) => {
        const before = events.length;
        const answer = await send(server.url, make());
        expect(answer.status).toBe(400);
        expect(errorCode(answer)).toBe(code);
        expect(events).toHaveLength(before);
      });

      it.each([
        ['INVALID_SIGNATURE', 'signed with another secret', () => signed({ secret: OTHER_SECRET })],
        [
          'TIMESTAMP_TOO_OLD',
          'signed an hour ago (a replay)',
          () => signed({ timestamp: Math.floor(Date.now() / 1000) - 3600 }),
        ],
      ])('401 %s to a delivery %s', async (code, _what, make) => {
        const before = events.length;
        const delivery = make();
        const answer = await send(server.url, { headers: delivery.headers, body: delivery.body });
        expect(answer.status).toBe(401);
        expect(errorCode(answer)).toBe(code);
        expect(events).toHaveLength(before);
      });

      it.each(['GET', 'PUT', 'DELETE', 'PATCH'])(
        '405 + Allow: POST to %s on the delivery URL',
        async (method) => {
          const answer = await send(server.url, {
            method,
            ...(method === 'GET' ? {} : { body: '{}' }),
          });
          expect(answer.status).toBe(405);
          expect(answer.headers.get('allow')).toBe('POST');
          expect(errorCode(answer)).toBe('METHOD_NOT_ALLOWED');
        },
      );

      it('405 + Allow: POST to HEAD on the delivery URL (no body)', async () => {
        const answer = await send(server.url, { method: 'HEAD' });
        expect(answer.status).toBe(405);
        expect(answer.headers.get('allow')).toBe('POST');
      });

      it('409 + Retry-After to a copy that arrives while the first is being handled', async () => {
        const inFlight = await start({ secret: SECRET });
        let release!: () => void;
        const held = new Promise<void>((resolve) => {
          release = resolve;
        });
        let started!: () => void;
        const handlerStarted = new Promise<void>((resolve) => {
          started = resolve;
        });
        let runs = 0;
        inFlight.receiver.onAny(async () => {
          runs++;
          started();
          await held;
        });
        const delivery = signed();
        const first = send(inFlight.url, { headers: delivery.headers, body: delivery.body });
        await handlerStarted;
        const copy = await send(inFlight.url, { headers: delivery.headers, body: delivery.body });
        release();
        expect(copy.status).toBe(409);
        expect(errorCode(copy)).toBe('DELIVERY_IN_FLIGHT');
        expect(copy.headers.get('retry-after')).toMatch(/^[1-5]$/);
        expect((await first).status).toBe(200);
        expect(runs).toBe(1);
      });

      it('500 HANDLER_FAILED when a handler throws, and the retry runs it again', async () => {
        const failing = await start({ secret: SECRET });
        let runs = 0;
        failing.receiver.onAny(() => {
          runs++;
          if (runs === 1) throw new Error('downstream is down');
        });
        const delivery = signed();
        const first = await send(failing.url, { headers: delivery.headers, body: delivery.body });
        expect(first.status).toBe(500);
        expect(errorCode(first)).toBe('HANDLER_FAILED');
        const retry = await send(failing.url, { headers: delivery.headers, body: delivery.body });
        expect(retry.status).toBe(200);
        expect(runs).toBe(2);
      });

      it('503 STORE_UNAVAILABLE + Retry-After when the store is down, and no handler runs', async () => {
        const down = await start({ secret: SECRET, store: deadStore });
        const downEvents = handled(down);
        const delivery = signed();
        const answer = await send(down.url, { headers: delivery.headers, body: delivery.body });
        expect(answer.status).toBe(503);
        expect(errorCode(answer)).toBe('STORE_UNAVAILABLE');
        expect(answer.headers.get('retry-after')).toBe('5');
        expect(downEvents).toHaveLength(0);
      });
    });

    describe('raw body', () => {
      let server: AdapterServer;
      let events: unknown[];
      beforeAll(async () => {
        server = await start({ secret: SECRET });
        events = handled(server);
      });

      it('verifies the exact bytes: pretty-printed JSON with non-ASCII text', async () => {
        const payload = JSON.stringify({ ...liveEvent('st_ünïcødé ✓'), extra: [1, 2] }, null, 3);
        const delivery = signed({ payload });
        const answer = await send(server.url, { headers: delivery.headers, body: delivery.body });
        expect(answer.status).toBe(200);
        expect(events.at(-1)).toEqual(JSON.parse(payload));
      });

      it.each([
        ['application/json; charset=utf-8'],
        ['text/plain'],
        ['application/octet-stream'],
        [undefined],
      ])('verifies the same bytes whatever the content type (%s)', async (contentType) => {
        const delivery = signed();
        const { 'content-type': _json, ...headers } = delivery.headers;
        const answer = await send(server.url, {
          headers: contentType ? { ...headers, 'content-type': contentType } : headers,
          body: new TextEncoder().encode(delivery.body),
        });
        expect(answer.status).toBe(200);
      });

      it('400 INVALID_JSON to a signed body that is not UTF-8', async () => {
        // "st_x" → "st_\xff": a byte that never appears in UTF-8; the handler must not see U+FFFD.
        const text = JSON.stringify(liveEvent('st_x'));
        const bytes = new TextEncoder().encode(text);
        bytes[text.indexOf('st_x') + 3] = 0xff;
        const headers = signBytes(SECRET, `msg_${randomBytes(8).toString('hex')}`, bytes);
        const before = events.length;
        const answer = await send(server.url, { headers, body: bytes });
        expect(answer.status).toBe(400);
        expect(errorCode(answer)).toBe('INVALID_JSON');
        expect(events).toHaveLength(before);
      });

      it('reads a chunked body within the limit', async () => {
        const delivery = signed();
        const half = Math.floor(delivery.body.length / 2);
        const chunk = (text: string) =>
          `${new TextEncoder().encode(text).byteLength.toString(16)}\r\n${text}\r\n`;
        const exchange = await rawExchange(
          server.url,
          requestHead(server.url, 'POST', {
            ...delivery.headers,
            'transfer-encoding': 'chunked',
            connection: 'close',
          }),
          [chunk(delivery.body.slice(0, half)), chunk(delivery.body.slice(half)), '0\r\n\r\n'],
          5000,
        );
        expect(statusOf(exchange.response)).toBe(200);
      });

      it.runIf(options.startWithBodyConsumed)(
        '500 RAW_BODY_UNAVAILABLE when something consumed the body first, and no handler runs',
        async () => {
          const consumed = await options.startWithBodyConsumed!({ secret: SECRET });
          open.push(consumed);
          const consumedEvents = handled(consumed);
          const delivery = signed();
          const answer = await send(consumed.url, {
            headers: delivery.headers,
            body: delivery.body,
          });
          expect(answer.status).toBe(500);
          expect(errorCode(answer)).toBe('RAW_BODY_UNAVAILABLE');
          expect(consumedEvents).toHaveLength(0);
        },
      );
      if (!options.startWithBodyConsumed) {
        it.skip(`500 RAW_BODY_UNAVAILABLE (skipped: ${name} has no way to consume the body before the adapter)`, () => {});
      }
    });

    describe.runIf(options.routesByPath)('path rules (the adapter routes by path)', () => {
      let server: AdapterServer;
      beforeAll(async () => {
        server = await start({ secret: SECRET });
      });

      it.each(['/webhooks/trax', '/webhooks/trax/', '/webhooks/trax?attempt=2'])(
        'answers %s by default',
        async (path) => {
          expect(new URL(server.url).pathname).toBe('/webhooks/trax');
          const delivery = signed();
          const answer = await send(withPath(server.url, path), {
            headers: delivery.headers,
            body: delivery.body,
          });
          expect(answer.status).toBe(200);
        },
      );

      it('answers an absolute-form request target (as some proxies send it)', async () => {
        const delivery = signed();
        const head = requestHead(server.url, 'POST', {
          ...delivery.headers,
          'content-length': String(new TextEncoder().encode(delivery.body).byteLength),
          connection: 'close',
        }).replace(/^POST \S+/, `POST ${server.url}`);
        const exchange = await rawExchange(server.url, head, [delivery.body], 5000);
        expect(statusOf(exchange.response)).toBe(200);
      });

      it.each(['/Webhooks/trax', '/webhooks/traxx', '/webhooks'])(
        'leaves %s to the framework (404)',
        async (path) => {
          const delivery = signed();
          const answer = await send(withPath(server.url, path), {
            headers: delivery.headers,
            body: delivery.body,
          });
          expect(answer.status).toBe(404);
        },
      );

      it('takes a path option, normalising a trailing slash', async () => {
        const custom = await start({ secret: SECRET, path: '/incoming/trax/' });
        expect(new URL(custom.url).pathname).toBe('/incoming/trax');
        const delivery = signed();
        const at = await send(custom.url, { headers: delivery.headers, body: delivery.body });
        expect(at.status).toBe(200);
        const other = signed();
        const old = await send(withPath(custom.url, '/webhooks/trax'), {
          headers: other.headers,
          body: other.body,
        });
        expect(old.status).toBe(404);
      });

      it('refuses a path option that is not a path', async () => {
        await expect(options.start({ secret: SECRET, path: 'webhooks' })).rejects.toThrow(
          /path option/,
        );
      });
    });
    if (!options.routesByPath) {
      it.skip(`path rules (skipped: ${name} is routed by its framework)`, () => {});
    }

    describe.runIf(options.boundsBodyTime)('408: a body that stalls', () => {
      it('is answered 408 BODY_TIMEOUT after bodyTimeoutMs, reported, and the connection closed', async () => {
        const server = await start({ secret: SECRET, bodyTimeoutMs: 300 });
        const events = handled(server);
        const errors: string[] = [];
        server.receiver.onError((error) => {
          errors.push(error.code);
        });
        const delivery = signed();
        const length = new TextEncoder().encode(delivery.body).byteLength;
        const exchange = await rawExchange(
          server.url,
          requestHead(server.url, 'POST', {
            ...delivery.headers,
            'content-length': String(length),
          }),
          [delivery.body.slice(0, 20)],
          5000,
        );
        expect(statusOf(exchange.response)).toBe(408);
        expect(exchange.response).toContain('BODY_TIMEOUT');
        expect(exchange.closedByServer).toBe(true);
        expect(exchange.elapsedMs).toBeGreaterThanOrEqual(250);
        expect(exchange.elapsedMs).toBeLessThan(3000);
        expect(errors).toEqual(['BODY_TIMEOUT']);
        expect(events).toHaveLength(0);
      });
    });
    if (!options.boundsBodyTime) {
      it.skip(`408 (skipped: ${name} leaves the body's time to its runtime)`, () => {});
    }

    describe('413: a body over the limit', () => {
      it('is answered 413 BODY_TOO_LARGE on a declared Content-Length, without waiting for the body', async () => {
        const server = await start({ secret: SECRET, bodyLimit: 1024 });
        const events = handled(server);
        const delivery = signed();
        // 50 MB declared, not a byte sent: the answer must not depend on reading it.
        const exchange = await rawExchange(
          server.url,
          requestHead(server.url, 'POST', { ...delivery.headers, 'content-length': '50000000' }),
          [],
          5000,
        );
        expect(statusOf(exchange.response)).toBe(413);
        expect(exchange.response).toContain('BODY_TOO_LARGE');
        expect(exchange.elapsedMs).toBeLessThan(3000);
        expect(events).toHaveLength(0);
      });

      it('accepts a body of exactly bodyLimit bytes and refuses one byte more', async () => {
        const delivery = signed();
        const size = new TextEncoder().encode(delivery.body).byteLength;
        const exact = await start({ secret: SECRET, bodyLimit: size });
        expect(
          (await send(exact.url, { headers: delivery.headers, body: delivery.body })).status,
        ).toBe(200);
        const under = await start({ secret: SECRET, bodyLimit: size - 1 });
        const refused = await send(under.url, { headers: delivery.headers, body: delivery.body });
        expect(refused.status).toBe(413);
      });

      describe('the sender reads the 413 (issue 11: a server in its own process, node:http on a fresh connection, 64 KiB chunks with backpressure)', () => {
        let child: RunningChild;
        beforeAll(async () => {
          child = await startChildServer(options.childServer, {
            secret: SECRET,
            bodyTimeoutMs: 10_000,
          });
        }, 40_000);
        afterAll(() => child?.stop());
        const rounds = options.uploadRounds ?? 6;

        it.each([
          ['2 MiB with Content-Length', 2 * MiB, false],
          ['10 MiB with Content-Length', 10 * MiB, false],
          ['1 MiB + 1 with Content-Length', MiB + 1, false],
          ['10 MiB chunked', 10 * MiB, true],
        ] as const)(
          `%s, ${rounds} times: every upload reads the 413`,
          async (_what, size, chunked) => {
            const delivery = signed();
            const seen: string[] = [];
            for (let round = 0; round < rounds; round++) {
              const result = await upload(child.url, { size, chunked, headers: delivery.headers });
              seen.push(
                result.status === 413 && result.body.includes('BODY_TOO_LARGE')
                  ? '413'
                  : String(result.status ?? result.error),
              );
            }
            expect(seen).toEqual(Array.from({ length: rounds }, () => '413'));
          },
          60_000,
        );
      });
    });
  });
}
