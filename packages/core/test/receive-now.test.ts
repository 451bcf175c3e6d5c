// receiveNow (from '@trax-webhooks/core/adapter'): the same answers as receive(), given at once
// when nothing had to be waited for, so that adapters can hand them to their framework in the
// same turn. These tests pin when it answers at once, and that it never answers differently.
import { createTraxWebhooks, MemoryDeliveryStore } from '@trax-webhooks/core';
import { receiveNow } from '@trax-webhooks/core/adapter';
import { describe, expect, it, vi } from 'vitest';
import { SECRET, signedRequest } from './helpers.js';

describe('receiveNow', () => {
  it('answers at once with the memory store and a handler that returns no promise', () => {
    const webhooks = createTraxWebhooks({ secret: SECRET });
    const handler = vi.fn();
    webhooks.onStreamLive(handler);
    const request = signedRequest({ id: 'msg_now_1' });
    const first = receiveNow(webhooks, request);
    expect(first).not.toBeInstanceOf(Promise);
    expect(first).toMatchObject({ status: 200, body: '{"ok":true}' });
    // The claim was completed before the answer: a copy is a duplicate, also at once.
    expect(receiveNow(webhooks, request)).toMatchObject({
      status: 200,
      body: '{"ok":true,"duplicate":true}',
    });
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('answers a forged delivery at once too, as receive() does', async () => {
    const webhooks = createTraxWebhooks({ secret: SECRET });
    const errors = vi.fn();
    webhooks.onError(errors);
    const forged = { ...signedRequest({ id: 'msg_now_2' }), rawBody: '{"tampered":true}' };
    const answer = await receiveNow(webhooks, forged);
    expect(answer).toEqual(await webhooks.receive(forged));
    expect(answer.status).toBe(401);
    expect(errors).toHaveBeenCalledTimes(2);
  });

  it('returns a promise, and completes only after it, when a handler returns one', async () => {
    const webhooks = createTraxWebhooks({ secret: SECRET });
    let finish!: () => void;
    webhooks.onStreamLive(() => new Promise<void>((resolve) => (finish = resolve)));
    const request = signedRequest({ id: 'msg_now_3' });
    const answer = receiveNow(webhooks, request);
    expect(answer).toBeInstanceOf(Promise);
    // While the handler runs, a copy is told to come back later.
    expect(receiveNow(webhooks, request)).toMatchObject({ status: 409 });
    finish();
    expect(await answer).toMatchObject({ status: 200, body: '{"ok":true}' });
  });

  it('returns a promise for a store that answers with promises (a subclass of the memory store)', async () => {
    class CountingStore extends MemoryDeliveryStore {
      claims = 0;
      override claim(key: string, token: string) {
        this.claims++;
        return super.claim(key, token);
      }
    }
    const store = new CountingStore();
    const webhooks = createTraxWebhooks({ secret: SECRET, store });
    webhooks.onStreamLive(() => {});
    const answer = receiveNow(webhooks, signedRequest({ id: 'msg_now_4' }));
    expect(answer).toBeInstanceOf(Promise);
    expect((await answer).status).toBe(200);
    expect(store.claims).toBe(1);
  });

  it('finds the receiver an adapter copied onto itself, and asks a replaced receive()', async () => {
    const webhooks = createTraxWebhooks({ secret: SECRET });
    webhooks.onStreamLive(() => {});
    const copy = Object.assign(() => {}, webhooks);
    expect(receiveNow(copy, signedRequest({ id: 'msg_now_5' }))).toMatchObject({ status: 200 });

    // A wrapper (or a test spy) put in place of receive() is called, never bypassed.
    const wrapped = {
      ...webhooks,
      receive: vi.fn(async () => ({ status: 503, headers: {}, body: '{"wrapped":true}' })),
    };
    expect(await receiveNow(wrapped, signedRequest({ id: 'msg_now_6' }))).toMatchObject({
      status: 503,
    });
    expect(wrapped.receive).toHaveBeenCalledTimes(1);
  });

  it('keeps receive() a promise that never rejects, whatever receiveNow gives', async () => {
    const webhooks = createTraxWebhooks({ secret: SECRET });
    webhooks.onStreamLive(() => {});
    const answer = webhooks.receive(signedRequest({ id: 'msg_now_7' }));
    expect(answer).toBeInstanceOf(Promise);
    expect((await answer).status).toBe(200);
  });
});
