// createWebHandler through its public entry, with real fetch Request objects on Node.
import { createTraxWebhooks, signDelivery } from '@trax-webhooks/core';
import { createWebHandler } from '@trax-webhooks/web';
import { describe, expect, it } from 'vitest';
import { liveEvent, SECRET } from '../../../test-support/fixtures.js';

const URL_ = 'https://example.test/webhooks/trax';
const signedRequest = (payload: unknown = liveEvent()) => {
  const signed = signDelivery({ secret: SECRET, payload });
  return {
    signed,
    request: () =>
      new Request(URL_, { method: 'POST', headers: signed.headers, body: signed.body }),
  };
};
const context = () => {
  const handed: Promise<unknown>[] = [];
  return { handed, ctx: { waitUntil: (promise: Promise<unknown>) => void handed.push(promise) } };
};

describe('createWebHandler', () => {
  it('takes a bare secret, an options object, or an existing receiver (and shares its handlers)', async () => {
    const receiver = createTraxWebhooks({ secret: SECRET });
    const seen: string[] = [];
    receiver.onStreamLive((_event, ctx) => void seen.push(ctx.deliveryId));
    for (const handler of [createWebHandler(receiver)]) {
      const { signed, request } = signedRequest();
      expect((await handler(request())).status).toBe(200);
      expect(seen).toEqual([signed.id]);
    }
    for (const handler of [createWebHandler(SECRET), createWebHandler({ secret: SECRET })]) {
      const { request } = signedRequest();
      expect((await handler(request())).status).toBe(200);
    }
  });

  it('is the receiver: onStreamLive, on, onAny, onError and drain are on the handler itself', async () => {
    const handler = createWebHandler(SECRET);
    const calls: string[] = [];
    handler.onStreamLive(() => void calls.push('onStreamLive'));
    handler.on('stream.live', () => void calls.push('on'));
    handler.onAny(() => void calls.push('onAny'));
    handler.onError((error) => void calls.push(error.code));
    await handler(signedRequest().request());
    await handler(
      new Request(URL_, { method: 'POST', headers: { 'webhook-id': 'x' }, body: '{}' }),
    );
    await handler.drain();
    expect(calls.sort()).toEqual(['MISSING_HEADER', 'on', 'onAny', 'onStreamLive']);
  });

  it('throws a TypeError naming the option for bad options', () => {
    expect(() => createWebHandler({ secret: SECRET, bodyTimeoutMs: 0 })).toThrow(
      new TypeError('bodyTimeoutMs option must be a positive integer of milliseconds'),
    );
    expect(() => createWebHandler({ secret: SECRET, bodyLimit: -1 })).toThrow(/bodyLimit option/);
    expect(() => createWebHandler(42 as unknown as string)).toThrow(TypeError);
  });

  it('answers 405 with Allow: POST to every other method, whatever the path', async () => {
    const handler = createWebHandler(SECRET);
    for (const method of ['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']) {
      const response = await handler(new Request('https://example.test/anything', { method }));
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe('POST');
    }
  });

  it('hands background work to the waitUntil of whichever trailing argument has one', async () => {
    const handler = createWebHandler(SECRET);
    for (const args of [
      (ctx: object) => [ctx], // Next.js-style (request, ctx)
      (ctx: object) => [{ TRAX: 'env' }, ctx], // Workers (request, env, ctx)
      (ctx: object) => [{ params: Promise.resolve({}) }, {}, ctx],
    ]) {
      const { handed, ctx } = context();
      expect((await handler(signedRequest().request(), ...args(ctx))).status).toBe(200);
      expect(handed).toHaveLength(1);
      await Promise.all(handed);
    }
    // Nothing with waitUntil: nothing is handed over (a long-running server), and it still answers.
    expect((await handler(signedRequest().request(), {}, null, 'x')).status).toBe(200);
  });

  it("with ack: 'immediate', answers 202 and the handler's work is inside what waitUntil got", async () => {
    const handler = createWebHandler({ secret: SECRET, ack: 'immediate' });
    let finished = false;
    handler.onStreamLive(async () => {
      await new Promise((resolve) => setTimeout(resolve, 30));
      finished = true;
    });
    const { handed, ctx } = context();
    const response = await handler(signedRequest().request(), {}, ctx);
    expect(response.status).toBe(202);
    expect(finished).toBe(false);
    expect(handed).toHaveLength(1);
    await handed[0];
    expect(finished).toBe(true);
  });

  it('records the outcome in the store after the answer, inside what waitUntil got', async () => {
    const completed: string[] = [];
    const handler = createWebHandler({
      secret: SECRET,
      store: {
        claim: async () => ({ status: 'claimed' as const }),
        complete: async (key: string) => {
          await new Promise((resolve) => setTimeout(resolve, 30));
          completed.push(key);
          return true;
        },
        release: async () => true,
      },
    });
    const { signed, request } = signedRequest();
    const { handed, ctx } = context();
    expect((await handler(request(), ctx)).status).toBe(200);
    expect(completed).toEqual([]);
    await Promise.all(handed);
    expect(completed).toEqual([signed.id]);
  });

  const countingBody = (chunkBytes: number, chunks = Number.POSITIVE_INFINITY) => {
    const counter = { pulled: 0, cancelled: false };
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (counter.pulled === chunks) return controller.close();
        counter.pulled++;
        controller.enqueue(new Uint8Array(chunkBytes));
      },
      cancel() {
        counter.cancelled = true;
      },
    });
    return { body, counter };
  };
  const post = (headers: Record<string, string>, body: ReadableStream<Uint8Array>) =>
    new Request(URL_, { method: 'POST', headers, body, duplex: 'half' } as RequestInit);

  it('answers 413 to a Content-Length past the drain bound (16× the limit, at least 16 MiB) without reading a byte', async () => {
    const handler = createWebHandler({ secret: SECRET, bodyLimit: 1024 });
    const { body, counter } = countingBody(512);
    const { signed } = signedRequest();
    const response = await handler(
      post({ ...signed.headers, 'content-length': String(17 * 1024 * 1024) }, body),
    );
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: { code: 'BODY_TOO_LARGE' } });
    expect(counter.pulled).toBeLessThanOrEqual(1); // the stream's own first pull at most
  });

  it('answers 413 to an upload over the limit only once it has read and discarded the rest (so the sender reads it)', async () => {
    const handler = createWebHandler({ secret: SECRET, bodyLimit: 4096 });
    const { body, counter } = countingBody(1024, 40); // 40 KiB: over the limit, under 16×
    const { signed } = signedRequest();
    const response = await handler(post(signed.headers, body));
    expect(response.status).toBe(413);
    expect(counter.pulled).toBe(40);
    expect(counter.cancelled).toBe(false);
  });

  it('gives up on an endless upload at the drain bound (16 MiB for a small limit), and answers 413', async () => {
    const handler = createWebHandler({ secret: SECRET, bodyLimit: 4096 });
    const { body, counter } = countingBody(64 * 1024);
    const { signed } = signedRequest();
    const response = await handler(post(signed.headers, body));
    expect(response.status).toBe(413);
    expect(counter.pulled).toBeGreaterThanOrEqual(256); // 16 MiB in 64 KiB chunks
    expect(counter.pulled).toBeLessThan(256 + 4);
    expect(counter.cancelled).toBe(true);
  });

  it('answers 408 when the body stalls past bodyTimeoutMs', async () => {
    const handler = createWebHandler({ secret: SECRET, bodyTimeoutMs: 50 });
    const stalled = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"type":'));
      },
    });
    const { signed } = signedRequest();
    const request = new Request(URL_, {
      method: 'POST',
      headers: signed.headers,
      body: stalled,
      duplex: 'half',
    } as RequestInit);
    const response = await handler(request);
    expect(response.status).toBe(408);
    expect(await response.json()).toMatchObject({ error: { code: 'BODY_TIMEOUT' } });
  });

  it('answers 500 RAW_BODY_UNAVAILABLE, saying how to fix it, when the body was already read', async () => {
    const handler = createWebHandler(SECRET);
    const request = signedRequest().request();
    await request.json();
    const response = await handler(request);
    expect(response.status).toBe(500);
    const { error } = (await response.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe('RAW_BODY_UNAVAILABLE');
    expect(error.message).toContain('untouched Request');
  });

  it('verifies the exact bytes: a body re-serialised by JSON is refused 401', async () => {
    const handler = createWebHandler(SECRET);
    const { signed } = signedRequest({ ...liveEvent(), spaced: 'a  b' });
    const reserialised = JSON.stringify(JSON.parse(signed.body), null, 1);
    const response = await handler(
      new Request(URL_, { method: 'POST', headers: signed.headers, body: reserialised }),
    );
    expect(response.status).toBe(401);
  });
});
