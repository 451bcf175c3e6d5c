import { inspect } from 'node:util';
import {
  createTraxWebhooks,
  type DeliveryStore,
  MemoryDeliveryStore,
  signDelivery,
  type TraxWebhookError,
} from '@trax-webhooks/core';
import { describe, expect, it, vi } from 'vitest';
import { liveEvent, SECRET, signedRequest } from './helpers.js';

const body = (r: { body: string }) => JSON.parse(r.body);

describe('receive() answers each case with the documented status', () => {
  it('200 for a verified, handled delivery, with the typed event and its context', async () => {
    const webhooks = createTraxWebhooks({ secret: SECRET });
    const seen = vi.fn();
    webhooks.onStreamLive((event, ctx) =>
      seen(event.data.studioId, ctx.source, ctx.deliveryId, ctx.receivedAt instanceof Date),
    );
    const req = signedRequest();
    const res = await webhooks.receive(req);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(body(res)).toEqual({ ok: true });
    expect(seen).toHaveBeenCalledWith('st_1', 'webhook', req.id, true);
  });

  it('400 for a missing header, a body that is not JSON, or a bad envelope, before any handler runs', async () => {
    const webhooks = createTraxWebhooks({ secret: SECRET });
    const handler = vi.fn();
    webhooks.onAny(handler);
    const req = signedRequest();
    const { 'webhook-id': _, ...noId } = req.headers;
    expect((await webhooks.receive({ ...req, headers: noId })).status).toBe(400);
    const notJson = signDelivery({ secret: SECRET, payload: 'not json{' });
    const r1 = await webhooks.receive({ headers: notJson.headers, rawBody: notJson.body });
    expect([r1.status, body(r1).error.code]).toEqual([400, 'INVALID_JSON']);
    const badEnvelope = signDelivery({
      secret: SECRET,
      payload: { type: 'stream.live', data: {} },
    });
    const r2 = await webhooks.receive({ headers: badEnvelope.headers, rawBody: badEnvelope.body });
    expect([r2.status, body(r2).error.code]).toEqual([400, 'INVALID_ENVELOPE']);
    expect(handler).not.toHaveBeenCalled();
  });

  it('401 for a forged signature, and the body is never parsed or handled', async () => {
    const webhooks = createTraxWebhooks({ secret: SECRET });
    const handler = vi.fn();
    const errors: TraxWebhookError[] = [];
    webhooks.onAny(handler);
    webhooks.onError((e) => void errors.push(e));
    const req = signedRequest();
    const res = await webhooks.receive({
      ...req,
      rawBody: Buffer.from('{"type":"stream.live","forged":true}'),
    });
    expect(res.status).toBe(401);
    expect(handler).not.toHaveBeenCalled();
    expect(errors.map((e) => [e.code, e.deliveryId])).toEqual([['INVALID_SIGNATURE', undefined]]);
  });

  it('413 for a body over the limit, before verifying', async () => {
    const webhooks = createTraxWebhooks({ secret: SECRET, bodyLimit: 64 });
    const res = await webhooks.receive(signedRequest());
    expect([res.status, body(res).error.code]).toEqual([413, 'BODY_TOO_LARGE']);
  });

  it('hands an unknown event type to onAny and answers 200', async () => {
    const webhooks = createTraxWebhooks({ secret: SECRET });
    const any = vi.fn();
    webhooks.onAny((event) => any(event.type, event.data));
    const signed = signDelivery({
      secret: SECRET,
      payload: { type: 'studio.renamed', timestamp: 'x', data: { name: 'new', extra: [1] } },
    });
    const res = await webhooks.receive({ headers: signed.headers, rawBody: signed.body });
    expect(res.status).toBe(200);
    expect(any).toHaveBeenCalledWith('studio.renamed', { name: 'new', extra: [1] });
  });

  it('passes unknown fields through untouched', async () => {
    const webhooks = createTraxWebhooks({ secret: SECRET });
    let data: unknown;
    webhooks.onStreamLive((event) => {
      data = event.data;
    });
    const payload = {
      ...liveEvent(),
      data: { ...liveEvent().data, futureField: { nested: true } },
    };
    const signed = signDelivery({ secret: SECRET, payload });
    await webhooks.receive({ headers: signed.headers, rawBody: signed.body });
    expect(data).toEqual(payload.data);
  });

  it('stops calling a removed handler', async () => {
    const webhooks = createTraxWebhooks({ secret: SECRET });
    const handler = vi.fn();
    const unsubscribe = webhooks.onStreamLive(handler);
    await webhooks.receive(signedRequest());
    unsubscribe();
    const other = vi.fn();
    webhooks.on('stream.live', other);
    webhooks.off('stream.live', other);
    await webhooks.receive(signedRequest());
    expect(handler).toHaveBeenCalledTimes(1);
    expect(other).not.toHaveBeenCalled();
  });

  it('survives an onError handler that throws', async () => {
    const webhooks = createTraxWebhooks({ secret: SECRET });
    webhooks.onError(() => {
      throw new Error('broken alerting');
    });
    const res = await webhooks.receive({ ...signedRequest(), rawBody: 'tampered' });
    expect(res.status).toBe(401);
  });

  it('throws a TypeError naming the option for bad options', () => {
    expect(() => createTraxWebhooks({} as never)).toThrow(/secret option/);
    expect(() => createTraxWebhooks({ secret: SECRET, bodyLimit: 0 })).toThrow(/bodyLimit option/);
    expect(() => createTraxWebhooks({ secret: SECRET, ack: 'later' as never })).toThrow(
      /ack option/,
    );
    expect(() => createTraxWebhooks({ secret: SECRET, store: {} as never })).toThrow(
      /store option/,
    );
    expect(() => createTraxWebhooks({ secret: SECRET, logger: console as never })).not.toThrow();
    expect(() => createTraxWebhooks({ secret: SECRET, logger: {} as never })).toThrow(
      /logger option/,
    );
  });

  it('never logs a secret, a signature or a body', async () => {
    const lines: string[] = [];
    // inspect, not JSON.stringify: an Error in `err` must show its message and properties too.
    const log = (fields: object, msg: string) =>
      void lines.push(`${inspect(fields, { depth: 5, showHidden: true })} ${msg}`);
    const webhooks = createTraxWebhooks({
      secret: SECRET,
      logger: { debug: log, info: log, warn: log, error: log },
    });
    webhooks.onStreamLive(() => {
      throw new Error('boom');
    });
    const req = signedRequest();
    await webhooks.receive({ ...req, rawBody: Buffer.from(`${req.rawBody} `) });
    await webhooks.receive(req);
    const text = lines.join('\n');
    expect(lines.length).toBeGreaterThan(1);
    expect(text).not.toContain(SECRET.slice(6));
    expect(text).not.toContain(req.headers['webhook-signature']!.slice(3));
    expect(text).not.toContain('enc_1');
  });
});

describe('dedupe: exactly-once effect over at-least-once delivery', () => {
  it('runs handlers once for 50 concurrent copies of one delivery', async () => {
    const webhooks = createTraxWebhooks({ secret: SECRET });
    let runs = 0;
    webhooks.onStreamLive(async () => {
      runs++;
      await new Promise((r) => setTimeout(r, 20));
    });
    const req = signedRequest();
    const statuses = await Promise.all(
      Array.from({ length: 50 }, () => webhooks.receive(req).then((r) => r.status)),
    );
    expect(runs).toBe(1);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(49);
    const again = await webhooks.receive(req);
    expect([again.status, body(again)]).toEqual([200, { ok: true, duplicate: true }]);
    expect(runs).toBe(1);
  });

  it('answers 409 with Retry-After while the same delivery is in flight', async () => {
    const webhooks = createTraxWebhooks({ secret: SECRET });
    let finish!: () => void;
    webhooks.onStreamLive(() => new Promise<void>((r) => (finish = r)));
    const req = signedRequest();
    const first = webhooks.receive(req);
    await vi.waitFor(() => expect(finish).toBeTypeOf('function'));
    const second = await webhooks.receive(req);
    expect(second.status).toBe(409);
    // The 30 s lease has ~30 s left, but the sender is asked back within 5 s.
    expect(Number(second.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(second.headers['retry-after'])).toBeLessThanOrEqual(5);
    finish();
    expect((await first).status).toBe(200);
  });

  it('answers 500 when a handler fails, and lets the retry run the handlers again', async () => {
    const webhooks = createTraxWebhooks({ secret: SECRET });
    let calls = 0;
    webhooks.onStreamLive(() => {
      if (++calls === 1) throw new Error('database down');
    });
    const errors: string[] = [];
    webhooks.onError((e) => void errors.push(e.code));
    const req = signedRequest();
    const first = await webhooks.receive(req);
    expect([first.status, body(first).error.code]).toEqual([500, 'HANDLER_FAILED']);
    expect(body(first).error.message).not.toContain('database down');
    expect((await webhooks.receive(req)).status).toBe(200);
    expect((await webhooks.receive(req)).status).toBe(200);
    expect(calls).toBe(2);
    expect(errors).toEqual(['HANDLER_FAILED']);
  });

  it('acknowledges a permanent failure and never runs it again', async () => {
    const { permanentFailure } = await import('@trax-webhooks/core');
    const webhooks = createTraxWebhooks({ secret: SECRET });
    let calls = 0;
    webhooks.onStreamLive(() => {
      calls++;
      throw permanentFailure('studio was deleted');
    });
    const errors: TraxWebhookError[] = [];
    webhooks.onError((e) => void errors.push(e));
    const req = signedRequest();
    const first = await webhooks.receive(req);
    expect([first.status, body(first)]).toEqual([200, { ok: true, permanentFailure: true }]);
    expect(body(await webhooks.receive(req))).toEqual({ ok: true, duplicate: true });
    expect(calls).toBe(1);
    expect(errors[0]?.code).toBe('HANDLER_FAILED_PERMANENTLY');
    expect(errors[0]?.cause).toEqual(new Error('studio was deleted'));
  });

  it('retries when only some of several failed handlers were permanent', async () => {
    const { permanentFailure } = await import('@trax-webhooks/core');
    const webhooks = createTraxWebhooks({ secret: SECRET });
    webhooks.onStreamLive(() => {
      throw permanentFailure('no');
    });
    webhooks.onAny(() => {
      throw new Error('transient');
    });
    expect((await webhooks.receive(signedRequest())).status).toBe(500);
  });

  it('dedupes on a content key across sources when dedupeKey says so', async () => {
    const { contentEventKey } = await import('@trax-webhooks/core');
    const webhooks = createTraxWebhooks({ secret: SECRET, dedupeKey: contentEventKey });
    const handler = vi.fn();
    webhooks.onStreamLive(handler);
    expect(
      (await webhooks.handleEvent(liveEvent(), { deliveryId: 'poll_abc', source: 'poll' })).outcome,
    ).toBe('handled');
    const pushed = await webhooks.receive(signedRequest());
    expect(body(pushed)).toEqual({ ok: true, duplicate: true });
    expect(handler).toHaveBeenCalledTimes(1);
  });
});

class BrokenStore implements DeliveryStore {
  constructor(private readonly failing: Array<'claim' | 'complete' | 'release'>) {}
  readonly inner = new MemoryDeliveryStore();
  claim(key: string, token: string) {
    return this.failing.includes('claim')
      ? Promise.reject(new Error('ECONNREFUSED'))
      : this.inner.claim(key, token);
  }
  complete(key: string, token: string) {
    return this.failing.includes('complete')
      ? Promise.reject(new Error('ECONNRESET'))
      : this.inner.complete(key, token);
  }
  release(key: string, token: string) {
    return this.failing.includes('release')
      ? Promise.reject(new Error('ECONNRESET'))
      : this.inner.release(key, token);
  }
}

describe('store outages lose nothing', () => {
  it('answers 503 with Retry-After and runs no handler when the store is unreachable', async () => {
    const webhooks = createTraxWebhooks({ secret: SECRET, store: new BrokenStore(['claim']) });
    const handler = vi.fn();
    webhooks.onAny(handler);
    const res = await webhooks.receive(signedRequest());
    expect([res.status, res.headers['retry-after'], body(res).error.code]).toEqual([
      503,
      '5',
      'STORE_UNAVAILABLE',
    ]);
    expect(handler).not.toHaveBeenCalled();
  });

  it('runs handlers without dedupe and reports it with failOpen', async () => {
    const webhooks = createTraxWebhooks({
      secret: SECRET,
      store: new BrokenStore(['claim']),
      failOpen: true,
    });
    const handler = vi.fn();
    const errors: string[] = [];
    webhooks.onAny(handler);
    webhooks.onError((e) => void errors.push(e.code));
    expect((await webhooks.receive(signedRequest())).status).toBe(200);
    expect(handler).toHaveBeenCalledTimes(1);
    expect(errors).toEqual(['STORE_UNAVAILABLE']);
  });

  it('still acknowledges a handled delivery when recording completion fails, and reports it', async () => {
    const webhooks = createTraxWebhooks({ secret: SECRET, store: new BrokenStore(['complete']) });
    const errors: string[] = [];
    webhooks.onError((e) => void errors.push(e.code));
    webhooks.onAny(() => {});
    expect((await webhooks.receive(signedRequest())).status).toBe(200);
    expect(errors).toEqual(['STORE_UNAVAILABLE']);
  });
});

describe("ack: 'immediate'", () => {
  it('answers 202 before the handlers finish, and drain() waits for them', async () => {
    const webhooks = createTraxWebhooks({ secret: SECRET, ack: 'immediate' });
    let done = false;
    webhooks.onStreamLive(async () => {
      await new Promise((r) => setTimeout(r, 30));
      done = true;
    });
    const res = await webhooks.receive(signedRequest());
    expect([res.status, done]).toEqual([202, false]);
    await webhooks.drain();
    expect(done).toBe(true);
  });

  it('reports a failure through onError since the sender will not retry', async () => {
    const webhooks = createTraxWebhooks({ secret: SECRET, ack: 'immediate' });
    const errors: string[] = [];
    webhooks.onError((e) => void errors.push(e.code));
    webhooks.onStreamLive(() => Promise.reject(new Error('x')));
    expect((await webhooks.receive(signedRequest())).status).toBe(202);
    await webhooks.drain();
    expect(errors).toEqual(['HANDLER_FAILED']);
  });
});

describe('contentEventKey', () => {
  it('tells sessions apart by start time and encoder stream, and falls back to the delivery id otherwise', async () => {
    const { contentEventKey } = await import('@trax-webhooks/core');
    const live = liveEvent();
    const restartedEncoder = { ...live, data: { ...live.data, encoderStreamId: 'enc_2' } };
    expect(contentEventKey(live)).toBe('stream.live:st_1:2026-11-27T12:00:00.000Z:enc_1');
    expect(contentEventKey(restartedEncoder)).not.toBe(contentEventKey(live));
    expect(
      contentEventKey({ type: 'studio.renamed', timestamp: 'x', data: { studioId: 'st_1' } }),
    ).toBeUndefined();
  });
});

describe('regressions', () => {
  it('answers a handled delivery without waiting for a store that stalls while recording it', async () => {
    const inner = new MemoryDeliveryStore();
    const stalling: DeliveryStore = {
      claim: (k, t) => inner.claim(k, t),
      complete: () => new Promise<boolean>(() => {}),
      release: (k, t) => inner.release(k, t),
    };
    const webhooks = createTraxWebhooks({ secret: SECRET, store: stalling });
    webhooks.onAny(() => {});
    const res = await webhooks.receive(signedRequest());
    expect(res.status).toBe(200);
  });

  it('drain() waits for completions still being recorded', async () => {
    let finish!: (done: boolean) => void;
    const inner = new MemoryDeliveryStore();
    const slow: DeliveryStore = {
      claim: (k, t) => inner.claim(k, t),
      complete: () => new Promise<boolean>((r) => (finish = r)),
      release: (k, t) => inner.release(k, t),
    };
    const webhooks = createTraxWebhooks({ secret: SECRET, store: slow });
    webhooks.onAny(() => {});
    expect((await webhooks.receive(signedRequest())).status).toBe(200);
    let drained = false;
    const draining = webhooks.drain().then(() => {
      drained = true;
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(drained).toBe(false);
    finish(true);
    await draining;
    expect(drained).toBe(true);
  });

  it('reports, rather than crashing on, a store whose complete() throws instead of rejecting', async () => {
    const inner = new MemoryDeliveryStore();
    const throwing: DeliveryStore = {
      claim: (k, t) => inner.claim(k, t),
      complete: () => {
        throw new Error('store bug');
      },
      release: (k, t) => inner.release(k, t),
    };
    const webhooks = createTraxWebhooks({ secret: SECRET, store: throwing });
    const errors: string[] = [];
    webhooks.onError((e) => void errors.push(e.code));
    webhooks.onAny(() => {});
    expect((await webhooks.receive(signedRequest())).status).toBe(200);
    await webhooks.drain();
    expect(errors).toEqual(['STORE_UNAVAILABLE']);
  });

  it('works with a store written in plain JavaScript that answers with plain values or thenables', async () => {
    const claimed = new Set<string>();
    const plain = {
      claim(k: string) {
        if (claimed.has(k)) return { status: 'duplicate' };
        claimed.add(k);
        return { status: 'claimed' };
      },
      // A hand-made thenable, as some promise-less libraries return: exactly what is tested.
      // biome-ignore lint/suspicious/noThenProperty: the thenable is the point of this test
      complete: () => ({ then: (resolve: (done: boolean) => void) => resolve(true) }),
      release: (k: string) => claimed.delete(k),
    } as unknown as DeliveryStore;
    const webhooks = createTraxWebhooks({ secret: SECRET, store: plain });
    const handler = vi.fn();
    webhooks.onAny(handler);
    const request = signedRequest();
    expect(body(await webhooks.receive(request))).toEqual({ ok: true });
    expect(body(await webhooks.receive(request))).toEqual({ ok: true, duplicate: true });
    await webhooks.drain();
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('drain() resolves at once with nothing pending, and again after more work', async () => {
    const webhooks = createTraxWebhooks({ secret: SECRET, ack: 'immediate' });
    await webhooks.drain();
    let runs = 0;
    webhooks.onAny(async () => {
      await new Promise((r) => setTimeout(r, 10));
      runs++;
    });
    await webhooks.receive(signedRequest());
    await Promise.all([webhooks.drain(), webhooks.drain()]);
    expect(runs).toBe(1);
    await webhooks.receive(signedRequest());
    await webhooks.drain();
    expect(runs).toBe(2);
  });

  it('verifies a delivery whose signature header arrived as repeated lines joined with ", "', async () => {
    const webhooks = createTraxWebhooks({ secret: SECRET });
    const req = signedRequest();
    const joined = `v1,${Buffer.alloc(32).toString('base64')}, ${req.headers['webhook-signature']}`;
    const reversed = `${req.headers['webhook-signature']}, v1,${Buffer.alloc(32).toString('base64')}`;
    expect(
      (await webhooks.receive({ ...req, headers: { ...req.headers, 'webhook-signature': joined } }))
        .status,
    ).toBe(200);
    const again = signedRequest();
    expect(
      (
        await webhooks.receive({
          ...again,
          headers: {
            ...again.headers,
            'webhook-signature': reversed.replace(
              req.headers['webhook-signature']!,
              again.headers['webhook-signature']!,
            ),
          },
        })
      ).status,
    ).toBe(200);
  });

  it('answers 500 and reports, rather than rejecting, when dedupeKey throws', async () => {
    const webhooks = createTraxWebhooks({
      secret: SECRET,
      dedupeKey: () => {
        throw new Error('bug in dedupeKey');
      },
    });
    const errors: string[] = [];
    webhooks.onError((e) => void errors.push(e.code));
    const res = await webhooks.receive(signedRequest());
    expect(res.status).toBe(500);
    expect(errors).toEqual(['HANDLER_FAILED']);
  });

  it('answers 400, rather than rejecting, when a custom scheme throws a plain error', async () => {
    const { defineSignatureScheme } = await import('@trax-webhooks/core');
    const scheme = defineSignatureScheme({
      parseSignatureHeader: () => {
        throw new Error('parser bug');
      },
    });
    const webhooks = createTraxWebhooks({ secret: SECRET, scheme });
    const res = await webhooks.receive(signedRequest());
    expect([res.status, body(res).error.code]).toEqual([400, 'MALFORMED_HEADER']);
  });
});
