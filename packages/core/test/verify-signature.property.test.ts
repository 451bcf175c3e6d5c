import { createVerifier, signDelivery, TraxWebhookError } from '@trax-webhooks/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SECRET } from './helpers.js';

const nowMs = 1_800_000_000_000;
const nowS = nowMs / 1000;

const delivery = fc.record({
  id: fc.string({ minLength: 1, maxLength: 40 }).filter((s) => !/[\s]/.test(s)),
  offset: fc.integer({ min: -300, max: 300 }),
  body: fc.string({ maxLength: 2000 }),
});

function sign({ id, offset, body }: { id: string; offset: number; body: string }) {
  return signDelivery({ secret: SECRET, id, timestamp: nowS + offset, payload: body });
}

// Every property holds for both HMAC paths: node:crypto (synchronous) and Web Crypto (a promise).
describe.each(['node', 'web'] as const)('verification with %s crypto, for any input', (crypto) => {
  const verify = createVerifier({ secret: SECRET, now: () => nowMs, crypto });

  async function rejects(headers: Record<string, string>, body: string | Uint8Array) {
    try {
      await verify(headers, body);
      return false;
    } catch (error) {
      if (!(error instanceof TraxWebhookError)) throw error;
      return true;
    }
  }

  it('accepts every untouched delivery', async () => {
    await fc.assert(
      fc.asyncProperty(delivery, async (d) => {
        const s = sign(d);
        expect((await verify(s.headers, s.body)).id).toBe(d.id);
      }),
    );
  });

  it('rejects any change to the body', async () => {
    await fc.assert(
      fc.asyncProperty(delivery, fc.string({ maxLength: 2000 }), async (d, other) => {
        fc.pre(Buffer.compare(Buffer.from(other), Buffer.from(d.body)) !== 0);
        const s = sign(d);
        expect(await rejects(s.headers, other)).toBe(true);
      }),
    );
  });

  it('rejects any flipped bit in the body bytes', async () => {
    await fc.assert(
      fc.asyncProperty(
        delivery.filter((d) => d.body.length > 0),
        fc.nat(),
        fc.integer({ min: 0, max: 7 }),
        async (d, at, bit) => {
          const s = sign(d);
          const bytes = new TextEncoder().encode(s.body);
          const index = at % bytes.length;
          bytes[index] = bytes[index]! ^ (1 << bit);
          expect(await rejects(s.headers, bytes)).toBe(true);
        },
      ),
    );
  });

  it('rejects any change to the id', async () => {
    await fc.assert(
      fc.asyncProperty(delivery, fc.string({ minLength: 1, maxLength: 40 }), async (d, otherId) => {
        fc.pre(otherId !== d.id);
        const s = sign(d);
        expect(await rejects({ ...s.headers, 'webhook-id': otherId }, s.body)).toBe(true);
      }),
    );
  });

  it('rejects any change to the timestamp', async () => {
    await fc.assert(
      fc.asyncProperty(delivery, fc.integer({ min: -300, max: 300 }), async (d, otherOffset) => {
        fc.pre(otherOffset !== d.offset);
        const s = sign(d);
        expect(
          await rejects({ ...s.headers, 'webhook-timestamp': String(nowS + otherOffset) }, s.body),
        ).toBe(true);
      }),
    );
  });

  it('rejects any change to the signature', async () => {
    await fc.assert(
      fc.asyncProperty(delivery, fc.string({ minLength: 1, maxLength: 100 }), async (d, other) => {
        const s = sign(d);
        const original = s.headers['webhook-signature']!;
        fc.pre(
          other !== original && !original.split(' ').every((sig) => other.split(' ').includes(sig)),
        );
        expect(await rejects({ ...s.headers, 'webhook-signature': other }, s.body)).toBe(true);
      }),
    );
  });

  it('rejects any single-character change inside the signature', async () => {
    await fc.assert(
      fc.asyncProperty(
        delivery,
        fc.nat(),
        fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/='),
        async (d, at, ch) => {
          const s = sign(d);
          const sig = s.headers['webhook-signature']!;
          const index = 3 + (at % (sig.length - 3));
          fc.pre(sig[index] !== ch);
          const changed = sig.slice(0, index) + ch + sig.slice(index + 1);
          expect(await rejects({ ...s.headers, 'webhook-signature': changed }, s.body)).toBe(true);
        },
      ),
    );
  });

  it('throws nothing but TraxWebhookError, whatever the headers and body', async () => {
    const headerValue = fc.oneof(
      fc.string(),
      fc.array(fc.string(), { maxLength: 3 }),
      fc.constant(undefined),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          'webhook-id': headerValue,
          'webhook-timestamp': fc.oneof(headerValue, fc.integer().map(String)),
          'webhook-signature': headerValue,
        }),
        fc.oneof(fc.string(), fc.uint8Array()),
        async (headers, body) => {
          try {
            await verify(headers as Record<string, string>, body);
          } catch (error) {
            expect(error).toBeInstanceOf(TraxWebhookError);
          }
        },
      ),
      { numRuns: crypto === 'node' ? 2000 : 500 },
    );
  });
});

describe('the Web Crypto path, many deliveries at once', () => {
  it('verifies each against its own bytes when verifications overlap (its reused buffer is never shared)', async () => {
    const verify = createVerifier({ secret: SECRET, now: () => nowMs, crypto: 'web' });
    const deliveries = Array.from({ length: 60 }, (_, i) =>
      sign({ id: `msg_${i}`, offset: 0, body: `{"n":${i},"pad":"${'x'.repeat(i * 97)}"}` }),
    );
    // Every third one carries another delivery's body: it must fail, whatever ran beside it.
    const outcomes = await Promise.all(
      deliveries.map((d, i) =>
        Promise.resolve(verify(d.headers, i % 3 === 2 ? deliveries[i - 1]!.body : d.body)).then(
          (v) => v.id,
          (e: TraxWebhookError) => e.code,
        ),
      ),
    );
    expect(outcomes).toEqual(deliveries.map((d, i) => (i % 3 === 2 ? 'INVALID_SIGNATURE' : d.id)));
  });
});
