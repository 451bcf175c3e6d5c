import {
  type AnyTraxEvent,
  isEventOfType,
  signDelivery,
  TraxWebhookError,
  verifyEvent,
} from '@trax-webhooks/core';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { liveEvent, OTHER_SECRET, SECRET } from './helpers.js';

describe.each(['node', 'web'] as const)('verifyEvent with %s crypto', (crypto) => {
  it('returns the typed event of a delivery read from a fetch Request', async () => {
    const signed = signDelivery({ secret: SECRET, payload: liveEvent() });
    const request = new Request('https://example.test/hooks', {
      method: 'POST',
      headers: signed.headers,
      body: signed.body,
    });
    const pending = verifyEvent({
      secret: SECRET,
      crypto,
      headers: request.headers,
      rawBody: new Uint8Array(await request.arrayBuffer()),
    });
    expectTypeOf(pending).toEqualTypeOf<Promise<AnyTraxEvent>>();
    const event = await pending;
    expect(event).toEqual(liveEvent());
    if (!isEventOfType(event, 'stream.live')) expect.unreachable();
    expectTypeOf(event.data.liveStartedAt).toEqualTypeOf<string>();
  });

  it('rejects a forged delivery with INVALID_SIGNATURE (401) before reading the body', async () => {
    const signed = signDelivery({ secret: OTHER_SECRET, payload: 'not json at all' });
    const error = await verifyEvent({
      secret: SECRET,
      crypto,
      headers: signed.headers,
      rawBody: signed.body,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TraxWebhookError);
    expect(error).toMatchObject({ code: 'INVALID_SIGNATURE', status: 401 });
  });

  it('rejects a signed body that is not JSON, or not an event, with 400', async () => {
    for (const [payload, code] of [
      ['{"type":', 'INVALID_JSON'],
      ['{"type":"stream.live"}', 'INVALID_ENVELOPE'],
    ] as const) {
      const signed = signDelivery({ secret: SECRET, payload });
      await expect(
        verifyEvent({ secret: SECRET, crypto, headers: signed.headers, rawBody: signed.body }),
      ).rejects.toMatchObject({ code, status: 400, deliveryId: signed.id });
    }
  });

  it('rejects a signed body of invalid UTF-8 with INVALID_JSON (400), handing no handler U+FFFD', async () => {
    const bytes = new Uint8Array([
      ...new TextEncoder().encode('{"type":"stream.live","x":"'),
      0xff,
      0x22,
      0x7d,
    ]);
    const signed = signDelivery({ secret: SECRET, payload: 'placeholder' });
    // Sign the exact bytes: signDelivery takes text, so sign through the verifier's own recipe.
    const { createHmac } = await import('node:crypto');
    const key = Buffer.from(SECRET.slice('whsec_'.length), 'base64');
    const signature = createHmac('sha256', key)
      .update(`${signed.id}.${signed.timestamp}.`)
      .update(bytes)
      .digest('base64');
    const headers = { ...signed.headers, 'webhook-signature': `v1,${signature}` };
    await expect(
      verifyEvent({ secret: SECRET, crypto, headers, rawBody: bytes }),
    ).rejects.toMatchObject({
      code: 'INVALID_JSON',
      status: 400,
      message: 'The delivery body is not valid UTF-8.',
    });
  });

  it('rejects a missing header with MISSING_HEADER (400), and Svix header names verify', async () => {
    const signed = signDelivery({ secret: SECRET, payload: liveEvent() });
    const { 'webhook-id': id, 'webhook-timestamp': ts, 'webhook-signature': sig } = signed.headers;
    await expect(
      verifyEvent({ secret: SECRET, crypto, headers: {}, rawBody: signed.body }),
    ).rejects.toMatchObject({ code: 'MISSING_HEADER', status: 400 });
    const svix = { 'svix-id': id!, 'svix-timestamp': ts!, 'svix-signature': sig! };
    expect(
      await verifyEvent({ secret: SECRET, crypto, headers: svix, rawBody: signed.body }),
    ).toEqual(liveEvent());
  });

  it('rejects (it does not throw) for bad options, with a TypeError naming the option', async () => {
    const pending = verifyEvent({ secret: '', crypto, headers: {}, rawBody: '' });
    expect(pending).toBeInstanceOf(Promise);
    await expect(pending).rejects.toThrow(new TypeError('secret option must not be empty'));
  });

  it('verifies each call against its own options, though it reuses the last verifier for the same ones', async () => {
    const signed = signDelivery({ secret: SECRET, payload: liveEvent() });
    const call = (secret: string | Uint8Array, tolerance?: number) =>
      verifyEvent({ secret, crypto, tolerance, headers: signed.headers, rawBody: signed.body });
    await expect(call(SECRET)).resolves.toEqual(liveEvent());
    await expect(call(SECRET)).resolves.toEqual(liveEvent());
    // Another secret, then the first again: never the previous call's verifier.
    await expect(call(OTHER_SECRET)).rejects.toMatchObject({ code: 'INVALID_SIGNATURE' });
    await expect(call(SECRET)).resolves.toEqual(liveEvent());
    await expect(call(SECRET, 0)).resolves.toEqual(liveEvent());
    // Key bytes the caller changes in place between calls are read afresh each call.
    const key = new TextEncoder().encode('a plain secret of bytes');
    const byKey = signDelivery({ secret: key, payload: liveEvent() });
    const withKey = () =>
      verifyEvent({ secret: key, crypto, headers: byKey.headers, rawBody: byKey.body });
    await expect(withKey()).resolves.toEqual(liveEvent());
    key[0] = key[0]! ^ 1;
    await expect(withKey()).rejects.toMatchObject({ code: 'INVALID_SIGNATURE' });
  });

  it('wraps a custom scheme that throws into MALFORMED_HEADER (400)', async () => {
    const signed = signDelivery({ secret: SECRET, payload: liveEvent() });
    const { defineSignatureScheme } = await import('@trax-webhooks/core');
    const scheme = defineSignatureScheme({
      parseSignatureHeader: () => {
        throw new RangeError('choked');
      },
    });
    await expect(
      verifyEvent({
        secret: SECRET,
        crypto,
        scheme,
        headers: signed.headers,
        rawBody: signed.body,
      }),
    ).rejects.toMatchObject({ code: 'MALFORMED_HEADER', status: 400 });
  });
});
