import { createRequire } from 'node:module';
import traxWebhooks from '@trax-webhooks/fastify';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { SECRET, signed, streamLive } from './support/deliveries.js';
import { fastifyVersions } from './support/fastify-versions.js';

/** A body streamed in chunks, so the request carries no content-length. */
/** POSTs a delivery as a chunked stream: no content-length, so the plugin reads it as it comes. */
function postChunked(url: string, delivery: { headers: Record<string, string>; body: string }) {
  return fetch(url, {
    method: 'POST',
    headers: delivery.headers,
    body: chunked(delivery.body),
    duplex: 'half',
  } as RequestInit);
}

function chunked(text: string, size = 64) {
  const bytes = new TextEncoder().encode(text);
  return new ReadableStream<Uint8Array>({
    start(controller) {
      for (let at = 0; at < bytes.length; at += size)
        controller.enqueue(bytes.subarray(at, at + size));
      controller.close();
    },
  });
}

describe.each(fastifyVersions)('%s: over a listening server', (_version, Fastify) => {
  let app: FastifyInstance;
  afterEach(() => app.close());

  async function listen(bodyLimit?: number) {
    app = Fastify();
    await app.register(traxWebhooks, { secret: SECRET, bodyLimit });
    return `${await app.listen({ port: 0, host: '127.0.0.1' })}/webhooks/trax`;
  }

  it('verifies a chunked delivery with no content-length', async () => {
    const url = await listen();
    const delivery = signed();
    const res = await postChunked(url, delivery);
    expect(res.headers.get('content-length')).not.toBeNull();
    expect(res.status).toBe(200);
  });

  it('answers 413 to a chunked delivery that grows past bodyLimit while streaming', async () => {
    const url = await listen(512);
    const codes: string[] = [];
    app.traxWebhooks.onError((error) => void codes.push(error.code));
    const payload = { ...streamLive(), data: { ...streamLive().data, padding: 'x'.repeat(2000) } };
    const delivery = signed({ payload });
    const res = await postChunked(url, delivery);
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('BODY_TOO_LARGE');
    expect(codes).toEqual(['BODY_TOO_LARGE']);
  });

  it('answers many concurrent distinct deliveries, running each handler once', async () => {
    const url = await listen();
    const seen = new Map<string, number>();
    app.traxWebhooks.onStreamLive(
      (_event, ctx) => void seen.set(ctx.deliveryId, (seen.get(ctx.deliveryId) ?? 0) + 1),
    );
    const deliveries = Array.from({ length: 50 }, () => signed());
    // Every delivery twice, all at once: each runs exactly once, copies get 200 duplicate or 409.
    const answers = await Promise.all(
      [...deliveries, ...deliveries].map((d) =>
        fetch(url, { method: 'POST', headers: d.headers, body: d.body }).then((r) => r.status),
      ),
    );
    expect(answers.every((status) => status === 200 || status === 409)).toBe(true);
    expect(seen.size).toBe(50);
    expect([...seen.values()].every((runs) => runs === 1)).toBe(true);
  });
});

describe('CommonJS', () => {
  it('require() gives a module Fastify registers as it is, or through .traxWebhooks', async () => {
    const require = createRequire(import.meta.url);
    const cjs = require('@trax-webhooks/fastify') as typeof import('@trax-webhooks/fastify');
    const { default: Fastify } = await import('fastify');
    for (const plugin of [cjs, cjs.traxWebhooks]) {
      const app = Fastify();
      await app.register(plugin as typeof traxWebhooks, { secret: SECRET });
      const delivery = signed();
      const res = await app.inject({
        method: 'POST',
        url: '/webhooks/trax',
        headers: delivery.headers,
        payload: delivery.body,
      });
      expect(res.statusCode).toBe(200);
      await app.close();
    }
  });
});
