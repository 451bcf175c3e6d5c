import {
  createVerifier,
  signDelivery,
  TraxWebhookError,
  verifySignature,
} from '@trax-webhooks/core';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { liveEvent, OTHER_SECRET, SECRET } from './helpers.js';

const body = JSON.stringify(liveEvent());

describe('interop with the standardwebhooks package', () => {
  it('verifies a delivery signed by standardwebhooks', () => {
    const wh = new Webhook(SECRET);
    const id = 'msg_interop_1';
    const now = new Date();
    const headers = {
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
      'webhook-signature': wh.sign(id, now, body),
    };
    expect(verifySignature({ secret: SECRET, headers, rawBody: body }).id).toBe(id);
  });

  it('produces deliveries standardwebhooks verifies', () => {
    const signed = signDelivery({ secret: SECRET, payload: liveEvent() });
    expect(new Webhook(SECRET).verify(signed.body, signed.headers)).toEqual(liveEvent());
  });

  it('signs with every secret mid-rotation, and standardwebhooks accepts either key', () => {
    const signed = signDelivery({ secret: [SECRET, OTHER_SECRET], payload: liveEvent() });
    expect(signed.headers['webhook-signature']?.split(' ')).toHaveLength(2);
    expect(new Webhook(SECRET).verify(signed.body, signed.headers)).toBeTruthy();
    expect(new Webhook(OTHER_SECRET).verify(signed.body, signed.headers)).toBeTruthy();
  });

  it('accepts a delivery when any one of several signatures matches any one configured secret', () => {
    const other = new Webhook(OTHER_SECRET);
    const id = 'msg_rotation';
    const now = new Date();
    const headers = {
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
      // an unknown version, a forged v1, then the real one
      'webhook-signature': `v1a,Zm9v v1,${Buffer.alloc(32).toString('base64')} ${other.sign(id, now, body)}`,
    };
    expect(
      verifySignature({
        secret: ['whsec_AAAAAAAAAAAAAAAAAAAAAAAA', OTHER_SECRET],
        headers,
        rawBody: body,
      }).id,
    ).toBe(id);
    expect(() => verifySignature({ secret: SECRET, headers, rawBody: body })).toThrow(
      /No signature/,
    );
  });

  it('base64-decodes the part after whsec_ (raw key bytes verify the same delivery)', () => {
    const signed = signDelivery({ secret: SECRET, payload: liveEvent() });
    const rawKey = Buffer.from(SECRET.slice('whsec_'.length), 'base64');
    expect(
      verifySignature({ secret: rawKey, headers: signed.headers, rawBody: signed.body }).id,
    ).toBe(signed.id);
    expect(() =>
      verifySignature({
        secret: SECRET.slice('whsec_'.length),
        headers: signed.headers,
        rawBody: signed.body,
      }),
    ).toThrow(TraxWebhookError);
  });

  it('rejects a whsec_ secret that is not base64, without echoing it', () => {
    expect(() => createVerifier({ secret: 'whsec_not*base64!' })).toThrow(TypeError);
    try {
      createVerifier({ secret: 'whsec_not*base64!' });
    } catch (error) {
      expect((error as Error).message).not.toContain('not*base64!');
    }
  });

  describe('tolerance, both ways', () => {
    const at = (seconds: number) =>
      signDelivery({ secret: SECRET, payload: liveEvent(), timestamp: seconds });
    const nowMs = 1_800_000_000_000;
    const nowS = nowMs / 1000;
    const verify = createVerifier({
      secret: SECRET,
      now: () => nowMs,
      tolerance: { pastSeconds: 300, futureSeconds: 60 },
    });

    it('accepts the edges of the window', () => {
      for (const ts of [nowS - 300, nowS + 60]) {
        const d = at(ts);
        expect(verify(d.headers, d.body).timestamp).toBe(ts);
      }
    });

    it('rejects a delivery older than the past tolerance as TIMESTAMP_TOO_OLD (401)', () => {
      const d = at(nowS - 301);
      expect(() => verify(d.headers, d.body)).toThrow(
        expect.objectContaining({ code: 'TIMESTAMP_TOO_OLD', status: 401 }),
      );
    });

    it('rejects a delivery beyond the future tolerance as TIMESTAMP_TOO_NEW (401)', () => {
      const d = at(nowS + 61);
      expect(() => verify(d.headers, d.body)).toThrow(
        expect.objectContaining({ code: 'TIMESTAMP_TOO_NEW', status: 401 }),
      );
    });

    it('agrees with standardwebhooks on its default 5-minute window', () => {
      const wh = new Webhook(SECRET);
      const realNow = Math.floor(Date.now() / 1000);
      for (const offset of [-299, 299]) {
        const d = signDelivery({
          secret: SECRET,
          payload: liveEvent(),
          timestamp: realNow + offset,
        });
        expect(wh.verify(d.body, d.headers)).toBeTruthy();
        expect(verifySignature({ secret: SECRET, headers: d.headers, rawBody: d.body }).id).toBe(
          d.id,
        );
      }
      for (const offset of [-400, 400]) {
        const d = signDelivery({
          secret: SECRET,
          payload: liveEvent(),
          timestamp: realNow + offset,
        });
        expect(() => wh.verify(d.body, d.headers)).toThrow();
        expect(() =>
          verifySignature({ secret: SECRET, headers: d.headers, rawBody: d.body }),
        ).toThrow(TraxWebhookError);
      }
    });
  });
});
