import { createVerifier, signDelivery, TraxWebhookError } from '@trax-webhooks/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SECRET } from './helpers.js';

const nowMs = 1_800_000_000_000;
const nowS = nowMs / 1000;
const verify = createVerifier({ secret: SECRET, now: () => nowMs });

const delivery = fc.record({
  id: fc.string({ minLength: 1, maxLength: 40 }).filter((s) => !/[\s]/.test(s)),
  offset: fc.integer({ min: -300, max: 300 }),
  body: fc.string({ maxLength: 2000 }),
});

function sign({ id, offset, body }: { id: string; offset: number; body: string }) {
  return signDelivery({ secret: SECRET, id, timestamp: nowS + offset, payload: body });
}

function rejects(headers: Record<string, string>, body: string | Buffer): boolean {
  try {
    verify(headers, body);
    return false;
  } catch (error) {
    if (!(error instanceof TraxWebhookError)) throw error;
    return true;
  }
}

describe('verification, for any input', () => {
  it('accepts every untouched delivery', () => {
    fc.assert(
      fc.property(delivery, (d) => {
        const s = sign(d);
        expect(verify(s.headers, s.body).id).toBe(d.id);
      }),
    );
  });

  it('rejects any change to the body', () => {
    fc.assert(
      fc.property(delivery, fc.string({ maxLength: 2000 }), (d, other) => {
        fc.pre(Buffer.compare(Buffer.from(other), Buffer.from(d.body)) !== 0);
        const s = sign(d);
        expect(rejects(s.headers, other)).toBe(true);
      }),
    );
  });

  it('rejects any flipped bit in the body bytes', () => {
    fc.assert(
      fc.property(
        delivery.filter((d) => d.body.length > 0),
        fc.nat(),
        fc.integer({ min: 0, max: 7 }),
        (d, at, bit) => {
          const s = sign(d);
          const bytes = Buffer.from(s.body);
          const index = at % bytes.length;
          bytes[index] = bytes[index]! ^ (1 << bit);
          expect(rejects(s.headers, bytes)).toBe(true);
        },
      ),
    );
  });

  it('rejects any change to the id', () => {
    fc.assert(
      fc.property(delivery, fc.string({ minLength: 1, maxLength: 40 }), (d, otherId) => {
        fc.pre(otherId !== d.id);
        const s = sign(d);
        expect(rejects({ ...s.headers, 'webhook-id': otherId }, s.body)).toBe(true);
      }),
    );
  });

  it('rejects any change to the timestamp', () => {
    fc.assert(
      fc.property(delivery, fc.integer({ min: -300, max: 300 }), (d, otherOffset) => {
        fc.pre(otherOffset !== d.offset);
        const s = sign(d);
        expect(
          rejects({ ...s.headers, 'webhook-timestamp': String(nowS + otherOffset) }, s.body),
        ).toBe(true);
      }),
    );
  });

  it('rejects any change to the signature', () => {
    fc.assert(
      fc.property(delivery, fc.string({ minLength: 1, maxLength: 100 }), (d, other) => {
        const s = sign(d);
        const original = s.headers['webhook-signature']!;
        fc.pre(
          other !== original && !original.split(' ').every((sig) => other.split(' ').includes(sig)),
        );
        expect(rejects({ ...s.headers, 'webhook-signature': other }, s.body)).toBe(true);
      }),
    );
  });

  it('rejects any single-character change inside the signature', () => {
    fc.assert(
      fc.property(
        delivery,
        fc.nat(),
        fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/='),
        (d, at, ch) => {
          const s = sign(d);
          const sig = s.headers['webhook-signature']!;
          const index = 3 + (at % (sig.length - 3));
          fc.pre(sig[index] !== ch);
          const changed = sig.slice(0, index) + ch + sig.slice(index + 1);
          expect(rejects({ ...s.headers, 'webhook-signature': changed }, s.body)).toBe(true);
        },
      ),
    );
  });

  it('throws nothing but TraxWebhookError, whatever the headers and body', () => {
    const headerValue = fc.oneof(
      fc.string(),
      fc.array(fc.string(), { maxLength: 3 }),
      fc.constant(undefined),
    );
    fc.assert(
      fc.property(
        fc.record({
          'webhook-id': headerValue,
          'webhook-timestamp': fc.oneof(headerValue, fc.integer().map(String)),
          'webhook-signature': headerValue,
        }),
        fc.oneof(
          fc.string(),
          fc.uint8Array().map((a) => Buffer.from(a)),
        ),
        (headers, body) => {
          try {
            verify(headers as Record<string, string>, body);
          } catch (error) {
            expect(error).toBeInstanceOf(TraxWebhookError);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});
