import { beforeAll, describe, expect, it } from 'vitest';
import type { AdapterServer } from './adapter-conformance-options.js';
import { send } from './conformance-client.js';
import {
  type ConformanceContext,
  deadStore,
  errorCode,
  OTHER_SECRET,
  SECRET,
  signed,
} from './conformance-fixtures.js';

/** The entry (bare secret, options) and every status the pipeline answers. */
export function describeAnswers(context: ConformanceContext): void {
  const { options, start, handled } = context;
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
}
