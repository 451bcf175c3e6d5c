// The receiver calls the default memory store without promises (inline-store.ts). These tests
// pin what that fast path must not change, through receive() and handleEvent().
import {
  createTraxWebhooks,
  type DeliveryContext,
  MemoryDeliveryStore,
  type TraxWebhookError,
} from '@trax-webhooks/core';
import { describe, expect, it, vi } from 'vitest';
import { liveEvent, SECRET, signedRequest } from './helpers.js';

const ctx = (deliveryId: string): Pick<DeliveryContext, 'deliveryId' | 'source' | 'attempt'> => ({
  deliveryId,
  source: 'poll',
  attempt: 1,
});

describe('the memory store on the fast path', () => {
  it('dedupes: a second copy is acknowledged as a duplicate without running the handler', async () => {
    const webhooks = createTraxWebhooks({ secret: SECRET });
    const handler = vi.fn();
    webhooks.onStreamLive(handler);
    const request = signedRequest({ id: 'msg_fast_1' });
    expect((await webhooks.receive(request)).body).toBe('{"ok":true}');
    expect((await webhooks.receive(request)).body).toBe('{"ok":true,"duplicate":true}');
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('releases after a handler throws, so the retry runs it again', async () => {
    const webhooks = createTraxWebhooks({ secret: SECRET });
    webhooks.onError(() => {});
    let calls = 0;
    webhooks.onStreamLive(() => {
      calls++;
      if (calls === 1) throw new Error('first attempt fails');
    });
    const request = signedRequest({ id: 'msg_fast_2' });
    expect((await webhooks.receive(request)).status).toBe(500);
    expect((await webhooks.receive(request)).status).toBe(200);
    expect(calls).toBe(2);
  });

  it('answers 409 to a copy that arrives while an async handler still runs', async () => {
    const webhooks = createTraxWebhooks({ secret: SECRET });
    let finish!: () => void;
    webhooks.onStreamLive(() => new Promise<void>((resolve) => (finish = resolve)));
    const request = signedRequest({ id: 'msg_fast_3' });
    const first = webhooks.receive(request);
    const copy = await webhooks.receive(request);
    expect(copy.status).toBe(409);
    // The 30 s lease, bounded to the in-flight rule's 5 s at most.
    expect(copy.headers['retry-after']).toBe('5');
    finish();
    expect((await first).status).toBe(200);
    expect((await webhooks.receive(request)).body).toBe('{"ok":true,"duplicate":true}');
  });

  it('calls a subclass that overrides claim/complete through its own methods', async () => {
    const calls: string[] = [];
    class CountingStore extends MemoryDeliveryStore {
      override claim(key: string, token: string) {
        calls.push('claim');
        return super.claim(key, token);
      }
      override complete(key: string, token: string) {
        calls.push('complete');
        return super.complete(key, token);
      }
    }
    const webhooks = createTraxWebhooks({ secret: SECRET, store: new CountingStore() });
    webhooks.onStreamLive(() => {});
    await webhooks.receive(signedRequest({ id: 'msg_fast_4' }));
    await webhooks.handleEvent(liveEvent(), ctx('poll_fast_4'));
    await webhooks.drain();
    expect(calls).toEqual(['claim', 'complete', 'claim', 'complete']);
  });

  it('calls a store whose methods were replaced on the instance through them', async () => {
    const store = new MemoryDeliveryStore();
    const claim = vi.fn(store.claim.bind(store));
    store.claim = claim;
    const webhooks = createTraxWebhooks({ secret: SECRET, store });
    webhooks.onStreamLive(() => {});
    await webhooks.receive(signedRequest({ id: 'msg_fast_5' }));
    expect(claim).toHaveBeenCalledTimes(1);
  });

  it('fails closed (503) when the store clock throws at claim, and runs no handler', async () => {
    const store = new MemoryDeliveryStore({
      now: () => {
        throw new Error('clock broke');
      },
    });
    const webhooks = createTraxWebhooks({ secret: SECRET, store });
    const errors: TraxWebhookError[] = [];
    webhooks.onError((error) => {
      errors.push(error);
    });
    const handler = vi.fn();
    webhooks.onStreamLive(handler);
    const answer = await webhooks.receive(signedRequest({ id: 'msg_fast_6' }));
    expect(answer.status).toBe(503);
    expect(handler).not.toHaveBeenCalled();
    expect(errors.map((e) => e.code)).toEqual(['STORE_UNAVAILABLE']);
  });

  it('reports a clock that throws at complete, and still answers 200 (the handler ran)', async () => {
    let reads = 0;
    const store = new MemoryDeliveryStore({
      now: () => {
        // claim reads the clock once; complete is the next read.
        if (++reads > 1) throw new Error('clock broke');
        return Date.now();
      },
    });
    const webhooks = createTraxWebhooks({ secret: SECRET, store });
    const errors: TraxWebhookError[] = [];
    webhooks.onError((error) => {
      errors.push(error);
    });
    webhooks.onStreamLive(() => {});
    const answer = await webhooks.receive(signedRequest({ id: 'msg_fast_7' }));
    await webhooks.drain();
    expect(answer.status).toBe(200);
    expect(errors.map((e) => e.code)).toEqual(['STORE_UNAVAILABLE']);
    expect(errors[0]!.message).toContain('Recording the delivery as done failed');
  });
});
