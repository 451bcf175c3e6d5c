import { createHmac } from 'node:crypto';
import {
  createTraxWebhooks,
  type DeliveryStore,
  MemoryDeliveryStore,
  parseEvent,
  type TraxWebhookError,
  TraxWebhookError as TraxWebhookErrorClass,
  type WebhookLogger,
} from '@trax-webhooks/core';
import { describe, expect, it, vi } from 'vitest';
import { liveEvent, SECRET, signedRequest } from './helpers.js';

const body = (r: { body: string }) => JSON.parse(r.body);

/** A store whose claim() resolves `answer` and records whether complete/release were called. */
function storeAnswering(answer: unknown): DeliveryStore & { settled: string[] } {
  const settled: string[] = [];
  return {
    settled,
    claim: async () => answer as never,
    complete: async () => {
      settled.push('complete');
      return true;
    },
    release: async () => {
      settled.push('release');
      return true;
    },
  };
}

function recordingLogger() {
  const lines: Array<{ level: string; fields: object; message: string }> = [];
  const at =
    (level: string) =>
    (fields: object, message: string): void => {
      lines.push({ level, fields, message });
    };
  const logger: WebhookLogger = {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
  };
  return { logger, lines };
}

describe('a store that breaks its contract fails closed', () => {
  for (const [what, answer] of [
    ['null', null],
    ['undefined', undefined],
    ['an unknown status', { status: 'granted' }],
    ['a string', 'claimed'],
  ] as const) {
    it(`claim() resolving ${what} answers 503 STORE_UNAVAILABLE and runs no handler`, async () => {
      const store = storeAnswering(answer);
      const webhooks = createTraxWebhooks({ secret: SECRET, store });
      const handler = vi.fn();
      const errors: TraxWebhookError[] = [];
      webhooks.onAny(handler);
      webhooks.onError((error) => void errors.push(error));
      const res = await webhooks.receive(signedRequest());
      expect(res.status).toBe(503);
      expect(body(res).error.code).toBe('STORE_UNAVAILABLE');
      expect(res.headers['retry-after']).toBe('5');
      expect(errors[0]?.message).toMatch(/broke its contract/);
      expect(handler).not.toHaveBeenCalled();
      expect(store.settled).toEqual([]);
    });
  }

  it('fails closed on a broken claim() answer even with failOpen', async () => {
    const webhooks = createTraxWebhooks({
      secret: SECRET,
      store: storeAnswering(null),
      failOpen: true,
    });
    const handler = vi.fn();
    webhooks.onAny(handler);
    expect((await webhooks.receive(signedRequest())).status).toBe(503);
    expect(handler).not.toHaveBeenCalled();
  });

  for (const retryAfterMs of [undefined, 'soon', Number.NaN, -5, Number.POSITIVE_INFINITY]) {
    it(`answers 409 with Retry-After of whole seconds when an in-flight claim's retryAfterMs is ${String(retryAfterMs)}`, async () => {
      const webhooks = createTraxWebhooks({
        secret: SECRET,
        store: storeAnswering({ status: 'in-flight', retryAfterMs }),
      });
      const res = await webhooks.receive(signedRequest());
      expect(res.status).toBe(409);
      expect(res.headers['retry-after']).toMatch(/^\d+$/);
      expect(res.headers['retry-after']).toBe('1');
    });
  }

  it('caps and rounds a usable retryAfterMs to 1–5 whole seconds', async () => {
    for (const [ms, seconds] of [
      [1, '1'],
      [1001, '2'],
      [30_000, '5'],
    ] as const) {
      const webhooks = createTraxWebhooks({
        secret: SECRET,
        store: storeAnswering({ status: 'in-flight', retryAfterMs: ms }),
      });
      expect((await webhooks.receive(signedRequest())).headers['retry-after']).toBe(seconds);
    }
  });
});

describe('a signed body that is not UTF-8', () => {
  it('is answered 400 INVALID_JSON, and no handler sees U+FFFD', async () => {
    const webhooks = createTraxWebhooks({ secret: SECRET });
    const handler = vi.fn();
    webhooks.onAny(handler);
    const text = JSON.stringify(liveEvent());
    // "st_1" → "st_\xff": a byte that can never appear in UTF-8, inside a JSON string.
    const bytes = new TextEncoder().encode(text);
    const at = text.indexOf('st_1') + 3;
    bytes[at] = 0xff;
    const forged = signBytes(bytes, 'msg_not_utf8');
    const res = await webhooks.receive(forged);
    expect(res.status).toBe(400);
    expect(body(res).error).toEqual({
      code: 'INVALID_JSON',
      message: 'The delivery body is not valid UTF-8.',
    });
    expect(handler).not.toHaveBeenCalled();
  });

  it('parseEvent() refuses it too, and takes a plain Uint8Array', () => {
    const good = new TextEncoder().encode(JSON.stringify(liveEvent()));
    expect(parseEvent(good, 'd1').type).toBe('stream.live');
    expect(() => parseEvent(new Uint8Array([0x7b, 0xc3, 0x28, 0x7d]), 'd1')).toThrow(
      expect.objectContaining({ code: 'INVALID_JSON', status: 400 }),
    );
  });
});

/** Signs raw bytes the way a sender would: the body is whatever bytes it sent. */
function signBytes(bytes: Uint8Array, id: string) {
  // signDelivery signs a string payload as its UTF-8; bytes that are not UTF-8 cannot go through
  // it, so sign with Standard Webhooks' recipe over the bytes themselves.
  const timestamp = String(Math.floor(Date.now() / 1000));
  const key = Buffer.from(SECRET.slice('whsec_'.length), 'base64');
  const signature = createHmac('sha256', key)
    .update(`${id}.${timestamp}.`)
    .update(bytes)
    .digest('base64');
  return {
    headers: {
      'webhook-id': id,
      'webhook-timestamp': timestamp,
      'webhook-signature': `v1,${signature}`,
    },
    rawBody: bytes,
  };
}

describe('a store that forgets inside the replay window', () => {
  it('is refused at construction with a TypeError naming ttlMs and tolerance', () => {
    const store = new MemoryDeliveryStore({ ttlMs: 60_000 });
    expect(() => createTraxWebhooks({ secret: SECRET, store })).toThrow(TypeError);
    expect(() => createTraxWebhooks({ secret: SECRET, store })).toThrow(
      /ttlMs \(60000 ms\) must be at least the tolerance option's past window \(300000 ms\)/,
    );
  });

  it('is accepted when the tolerance is as short as the TTL', () => {
    const store = new MemoryDeliveryStore({ ttlMs: 60_000 });
    expect(() => createTraxWebhooks({ secret: SECRET, store, tolerance: 60 })).not.toThrow();
    expect(() =>
      createTraxWebhooks({
        secret: SECRET,
        store,
        tolerance: { pastSeconds: 30, futureSeconds: 600 },
      }),
    ).not.toThrow();
  });

  it('exposes the memory store TTL so the check can be made', () => {
    expect(new MemoryDeliveryStore({ ttlMs: 1234 }).ttlMs).toBe(1234);
    expect(new MemoryDeliveryStore().ttlMs).toBe(3 * 24 * 60 * 60 * 1000);
  });
});

describe('report(): the way in for callers that are not HTTP', () => {
  it('hands the error to onError and the logger without building an answer', async () => {
    const { logger, lines } = recordingLogger();
    const webhooks = createTraxWebhooks({ secret: SECRET, logger });
    const seen: TraxWebhookError[] = [];
    webhooks.onError((error) => void seen.push(error));
    const error = new TraxWebhookErrorClass('POLL_RATE_LIMITED', 'Stream-status answered 429.', {
      studioId: 'st_1',
      source: 'poll',
    });
    await expect(webhooks.report(error)).resolves.toBeUndefined();
    expect(seen).toEqual([error]);
    expect(error.status).toBeUndefined();
    expect(lines).toEqual([
      expect.objectContaining({ level: 'warn', message: 'Stream-status answered 429.' }),
    ]);
  });

  it('never rejects, even when the logger and every onError handler throw', async () => {
    const throwing = () => {
      throw new Error('logger down');
    };
    const webhooks = createTraxWebhooks({
      secret: SECRET,
      logger: { debug: throwing, info: throwing, warn: throwing, error: throwing },
    });
    webhooks.onError(() => {
      throw new Error('handler down');
    });
    await expect(
      webhooks.report(new TraxWebhookErrorClass('POLL_FAILED', 'Stream-status timed out.')),
    ).resolves.toBeUndefined();
    // …and receive() still answers.
    const res = await webhooks.receive({ ...signedRequest(), rawBody: Buffer.from('forged') });
    expect(res.status).toBe(401);
  });
});

describe('events nobody handles', () => {
  it('are acknowledged and named in the debug log', async () => {
    const { logger, lines } = recordingLogger();
    const webhooks = createTraxWebhooks({ secret: SECRET, logger });
    webhooks.onStreamOffline(() => {});
    const res = await webhooks.receive(signedRequest());
    expect(res.status).toBe(200);
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 'debug',
        message: 'No handler takes stream.live events; acknowledging it',
      }),
    );
  });
});
