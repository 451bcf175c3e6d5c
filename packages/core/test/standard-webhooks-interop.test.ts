import {
  createVerifier as createVerifierWith,
  signDelivery,
  TraxWebhookError,
  verifySignature as verifyWith,
} from '@trax-webhooks/core';
import { Webhook } from 'standardwebhooks';
import { Webhook as SvixWebhook } from 'svix';
import { describe, expect, it } from 'vitest';
import { liveEvent, OTHER_SECRET, SECRET } from './helpers.js';

const body = JSON.stringify(liveEvent());

// Each case runs on both HMAC paths: node:crypto (synchronous) and Web Crypto (a promise).
describe.each(['node', 'web'] as const)(
  'interop with the standardwebhooks package, with %s crypto',
  (crypto) => {
    const verifySignature = (options: Parameters<typeof verifyWith>[0]) =>
      verifyWith({ crypto, ...options });
    const createVerifier = (options: Parameters<typeof createVerifierWith>[0]) =>
      createVerifierWith({ crypto, ...options });

    it('verifies a delivery signed by standardwebhooks', async () => {
      const wh = new Webhook(SECRET);
      const id = 'msg_interop_1';
      const now = new Date();
      const headers = {
        'webhook-id': id,
        'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
        'webhook-signature': wh.sign(id, now, body),
      };
      expect((await verifySignature({ secret: SECRET, headers, rawBody: body })).id).toBe(id);
    });

    it('produces deliveries standardwebhooks verifies', async () => {
      const signed = signDelivery({ secret: SECRET, payload: liveEvent() });
      expect(new Webhook(SECRET).verify(signed.body, signed.headers)).toEqual(liveEvent());
    });

    it('signs with every secret mid-rotation, and standardwebhooks accepts either key', async () => {
      const signed = signDelivery({ secret: [SECRET, OTHER_SECRET], payload: liveEvent() });
      expect(signed.headers['webhook-signature']?.split(' ')).toHaveLength(2);
      expect(new Webhook(SECRET).verify(signed.body, signed.headers)).toBeTruthy();
      expect(new Webhook(OTHER_SECRET).verify(signed.body, signed.headers)).toBeTruthy();
    });

    it('accepts a delivery when any one of several signatures matches any one configured secret', async () => {
      const other = new Webhook(OTHER_SECRET);
      const id = 'msg_rotation';
      const now = new Date();
      const headers = {
        'webhook-id': id,
        'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
        // an unknown version, a forged v1, then the real one
        'webhook-signature': `v1a,Zm9v v1,${btoa(String.fromCharCode(...new Uint8Array(32)))} ${other.sign(id, now, body)}`,
      };
      expect(
        (
          await verifySignature({
            secret: ['whsec_AAAAAAAAAAAAAAAAAAAAAAAA', OTHER_SECRET],
            headers,
            rawBody: body,
          })
        ).id,
      ).toBe(id);
      await expect(async () =>
        verifySignature({ secret: SECRET, headers, rawBody: body }),
      ).rejects.toThrow(/No signature/);
    });

    it('base64-decodes the part after whsec_ (raw key bytes verify the same delivery)', async () => {
      const signed = signDelivery({ secret: SECRET, payload: liveEvent() });
      const rawKey = Uint8Array.from(atob(SECRET.slice('whsec_'.length)), (c) => c.charCodeAt(0));
      expect(
        (await verifySignature({ secret: rawKey, headers: signed.headers, rawBody: signed.body }))
          .id,
      ).toBe(signed.id);
      await expect(async () =>
        verifySignature({
          secret: SECRET.slice('whsec_'.length),
          headers: signed.headers,
          rawBody: signed.body,
        }),
      ).rejects.toThrow(TraxWebhookError);
    });

    it('rejects a whsec_ secret that is not base64, without echoing it', async () => {
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

      it('accepts the edges of the window', async () => {
        for (const ts of [nowS - 300, nowS + 60]) {
          const d = at(ts);
          expect((await verify(d.headers, d.body)).timestamp).toBe(ts);
        }
      });

      it('rejects a delivery older than the past tolerance as TIMESTAMP_TOO_OLD (401)', async () => {
        const d = at(nowS - 301);
        await expect(async () => verify(d.headers, d.body)).rejects.toThrow(
          expect.objectContaining({ code: 'TIMESTAMP_TOO_OLD', status: 401 }),
        );
      });

      it('rejects a delivery beyond the future tolerance as TIMESTAMP_TOO_NEW (401)', async () => {
        const d = at(nowS + 61);
        await expect(async () => verify(d.headers, d.body)).rejects.toThrow(
          expect.objectContaining({ code: 'TIMESTAMP_TOO_NEW', status: 401 }),
        );
      });

      it('agrees with standardwebhooks on its default 5-minute window', async () => {
        const wh = new Webhook(SECRET);
        const realNow = Math.floor(Date.now() / 1000);
        for (const offset of [-299, 299]) {
          const d = signDelivery({
            secret: SECRET,
            payload: liveEvent(),
            timestamp: realNow + offset,
          });
          expect(wh.verify(d.body, d.headers)).toBeTruthy();
          expect(
            (await verifySignature({ secret: SECRET, headers: d.headers, rawBody: d.body })).id,
          ).toBe(d.id);
        }
        for (const offset of [-400, 400]) {
          const d = signDelivery({
            secret: SECRET,
            payload: liveEvent(),
            timestamp: realNow + offset,
          });
          expect(() => wh.verify(d.body, d.headers)).toThrow();
          await expect(async () =>
            verifySignature({ secret: SECRET, headers: d.headers, rawBody: d.body }),
          ).rejects.toThrow(TraxWebhookError);
        }
      });
    });
  },
);

describe.each(['node', 'web'] as const)(
  'Svix header names (svix-id, svix-timestamp, svix-signature), with %s crypto',
  (crypto) => {
    const verify = createVerifierWith({ secret: SECRET, crypto });
    const svixHeaders = (headers: Record<string, string>) => ({
      'svix-id': headers['webhook-id']!,
      'svix-timestamp': headers['webhook-timestamp']!,
      'svix-signature': headers['webhook-signature']!,
    });

    it('verifies a delivery signed by the svix package and sent with svix-* headers', async () => {
      const wh = new SvixWebhook(SECRET);
      const id = 'msg_svix_1';
      const now = new Date();
      const headers = {
        'svix-id': id,
        'svix-timestamp': String(Math.floor(now.getTime() / 1000)),
        'svix-signature': wh.sign(id, now, body),
      };
      expect(await verify(headers, body)).toEqual({
        id,
        timestamp: Math.floor(now.getTime() / 1000),
        attempt: undefined,
      });
      await expect(async () => verify(headers, `${body} `)).rejects.toMatchObject({
        code: 'INVALID_SIGNATURE',
      });
    });

    it('produces deliveries the svix package verifies under either set of names', () => {
      const signed = signDelivery({ secret: SECRET, payload: liveEvent() });
      const svix = new SvixWebhook(SECRET);
      expect(() => svix.verify(signed.body, signed.headers)).not.toThrow();
      expect(() => svix.verify(signed.body, svixHeaders(signed.headers))).not.toThrow();
      expect(() => svix.verify(`${signed.body} `, svixHeaders(signed.headers))).toThrow();
    });

    it('reads each svix-* header only when its webhook-* name is absent', async () => {
      const signed = signDelivery({ secret: SECRET, payload: liveEvent() });
      const { 'webhook-signature': signature, ...rest } = signed.headers;
      // Mixed names: webhook-id and webhook-timestamp, svix-signature.
      expect((await verify({ ...rest, 'svix-signature': signature! }, signed.body)).id).toBe(
        signed.id,
      );
      // The webhook-* name wins: a different svix-id beside it is ignored, not verified against.
      expect((await verify({ ...signed.headers, 'svix-id': 'msg_other' }, signed.body)).id).toBe(
        signed.id,
      );
    });

    it('names the webhook-* header when neither name is there', async () => {
      const signed = signDelivery({ secret: SECRET, payload: liveEvent() });
      const { 'webhook-timestamp': _, ...rest } = signed.headers;
      await expect(async () => verify(rest, signed.body)).rejects.toMatchObject({
        code: 'MISSING_HEADER',
        message: 'The delivery has no webhook-timestamp header.',
      });
    });

    it('signs with standardwebhooks, sends svix-* names, and a standardwebhooks receiver would miss it but we do not', async () => {
      const wh = new Webhook(SECRET);
      const id = 'msg_svix_2';
      const now = new Date();
      const headers = {
        'svix-id': id,
        'svix-timestamp': String(Math.floor(now.getTime() / 1000)),
        'svix-signature': wh.sign(id, now, body),
      };
      expect((await verify(new Headers(headers), body)).id).toBe(id);
    });
  },
);
