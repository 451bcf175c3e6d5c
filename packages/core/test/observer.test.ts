import {
  createTraxWebhooks,
  type DeliveryObserver,
  MemoryDeliveryStore,
  permanentFailure,
  TraxWebhookError,
} from '@trax-webhooks/core';
import { describe, expect, it } from 'vitest';
import { liveEvent, SECRET, signedRequest } from './helpers.js';

/** Records every hook call as a line, in order. */
function recordingObserver() {
  const calls: string[] = [];
  let next = 0;
  const observer: DeliveryObserver<number> = {
    received(source, headers) {
      const n = ++next;
      calls.push(`${n} received ${source} headers=${headers !== undefined}`);
      return n;
    },
    verified(n, event, ctx) {
      calls.push(`${n} verified ${event.type} ${ctx.deliveryId}`);
    },
    dispatch(n, run) {
      calls.push(`${n} dispatch`);
      return run();
    },
    handlerSettled(n, handler, ms, error) {
      expect(ms).toBeGreaterThanOrEqual(0);
      calls.push(`${n} handler ${handler.name} ${error === undefined ? 'ok' : String(error)}`);
    },
    answered(n, outcome, answer, error) {
      calls.push(`${n} answered ${outcome} ${answer?.status ?? '-'} ${error?.code ?? '-'}`);
    },
  };
  return { observer, calls };
}

describe('observer option', () => {
  it('sees a handled delivery in order: received, verified, dispatch, each handler, answered', async () => {
    const { observer, calls } = recordingObserver();
    const webhooks = createTraxWebhooks({ secret: SECRET, observer });
    webhooks.onStreamLive(function notify() {});
    webhooks.onAny(async function audit() {});
    const request = signedRequest();
    expect((await webhooks.receive(request)).status).toBe(200);
    expect(calls).toEqual([
      '1 received webhook headers=true',
      `1 verified stream.live ${request.id}`,
      '1 dispatch',
      '1 handler notify ok',
      '1 handler audit ok',
      '1 answered handled 200 -',
    ]);
  });

  it('sees a duplicate, a rejected signature and a failed handler with their answers and codes', async () => {
    const { observer, calls } = recordingObserver();
    const webhooks = createTraxWebhooks({ secret: SECRET, observer });
    const boom = new Error('boom');
    let fail = false;
    webhooks.onStreamLive(function maybeFail() {
      if (fail) throw boom;
    });
    const request = signedRequest();
    await webhooks.receive(request);
    await webhooks.receive(request);
    await webhooks.receive({
      ...request,
      headers: { ...request.headers, 'webhook-signature': 'v1,AAAA' },
    });
    fail = true;
    await webhooks.receive(signedRequest({ id: 'msg_failing' }));
    expect(calls.filter((c) => c.includes('answered') || c.includes('handler'))).toEqual([
      '1 handler maybeFail ok',
      '1 answered handled 200 -',
      '2 answered duplicate 200 -',
      '3 answered rejected 401 INVALID_SIGNATURE',
      '4 handler maybeFail Error: boom',
      '4 answered failed 500 HANDLER_FAILED',
    ]);
  });

  it('sees an adapter rejection (reject()) and handleEvent() deliveries, which answer nothing over HTTP', async () => {
    const { observer, calls } = recordingObserver();
    const webhooks = createTraxWebhooks({ secret: SECRET, observer });
    webhooks.onStreamLive(function permanent() {
      throw permanentFailure(new Error('no such studio'));
    });
    await webhooks.reject(new TraxWebhookError('BODY_TOO_LARGE', 'too large'));
    await webhooks.handleEvent(liveEvent(), { deliveryId: 'poll_1', source: 'poll' });
    expect(calls).toEqual([
      '1 received webhook headers=false',
      '1 answered rejected 413 BODY_TOO_LARGE',
      '2 received poll headers=false',
      '2 verified stream.live poll_1',
      '2 dispatch',
      expect.stringMatching(/^2 handler permanent /),
      '2 answered failed-permanently - HANDLER_FAILED_PERMANENTLY',
    ]);
  });

  it('sees an in-flight copy and a store outage', async () => {
    const { observer, calls } = recordingObserver();
    const store = new MemoryDeliveryStore();
    const webhooks = createTraxWebhooks({ secret: SECRET, observer, store });
    let release: () => void = () => {};
    webhooks.onStreamLive(() => new Promise<void>((resolve) => (release = resolve)));
    const request = signedRequest();
    const first = webhooks.receive(request);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect((await webhooks.receive(request)).status).toBe(409);
    release();
    await first;
    const broken = createTraxWebhooks({
      secret: SECRET,
      observer,
      store: {
        claim: () => Promise.reject(new Error('down')),
        complete: async () => true,
        release: async () => true,
      },
    });
    expect((await broken.receive(signedRequest({ id: 'msg_2' }))).status).toBe(503);
    expect(calls.filter((c) => c.includes('answered'))).toEqual([
      '2 answered in-flight 409 -',
      '1 answered handled 200 -',
      '3 answered store-unavailable 503 STORE_UNAVAILABLE',
    ]);
  });

  it('handlers run inside dispatch, so an observer can give them its context', async () => {
    let inside = false;
    const seen: boolean[] = [];
    const observer: DeliveryObserver = {
      received: () => 1,
      verified() {},
      dispatch(_delivery, run) {
        inside = true;
        try {
          return run();
        } finally {
          inside = false;
        }
      },
      handlerSettled() {},
      answered() {},
    };
    const webhooks = createTraxWebhooks({ secret: SECRET, observer });
    webhooks.onStreamLive(() => void seen.push(inside));
    await webhooks.receive(signedRequest());
    expect(seen).toEqual([true]);
  });

  it('a throwing observer is logged and changes no answer', async () => {
    const logged: string[] = [];
    const logger = {
      debug() {},
      info() {},
      warn() {},
      error: (_fields: object, message: string) => void logged.push(message),
    };
    const throwing = () => {
      throw new Error('observer bug');
    };
    const observer: DeliveryObserver = {
      received: () => 1,
      verified: throwing,
      dispatch: throwing,
      handlerSettled: throwing,
      answered: throwing,
    };
    const webhooks = createTraxWebhooks({ secret: SECRET, observer, logger });
    let ran = 0;
    webhooks.onStreamLive(() => void ran++);
    expect((await webhooks.receive(signedRequest())).status).toBe(200);
    expect(ran).toBe(1);
    expect(logged).toEqual([
      "The observer's verified() hook threw; ignored",
      "The observer's dispatch() hook threw; ignored",
      "The observer's handlerSettled() hook threw; ignored",
      "The observer's answered() hook threw; ignored",
    ]);
  });

  it('an observer whose received() declines (undefined) or throws sees nothing more of that delivery', async () => {
    const calls: string[] = [];
    let mode: 'decline' | 'throw' | 'take' = 'decline';
    const observer: DeliveryObserver<string> = {
      received() {
        if (mode === 'throw') throw new Error('observer bug');
        return mode === 'take' ? 'taken' : undefined;
      },
      verified: (d) => void calls.push(`verified ${d}`),
      dispatch(d, run) {
        calls.push(`dispatch ${d}`);
        return run();
      },
      handlerSettled: (d) => void calls.push(`handler ${d}`),
      answered: (d, outcome) => void calls.push(`answered ${d} ${outcome}`),
    };
    const webhooks = createTraxWebhooks({ secret: SECRET, observer });
    let ran = 0;
    webhooks.onStreamLive(() => void ran++);
    expect((await webhooks.receive(signedRequest({ id: 'msg_a' }))).status).toBe(200);
    mode = 'throw';
    expect((await webhooks.receive(signedRequest({ id: 'msg_b' }))).status).toBe(200);
    await webhooks.reject(new TraxWebhookError('BODY_TOO_LARGE', 'too large'));
    mode = 'take';
    expect((await webhooks.receive(signedRequest({ id: 'msg_c' }))).status).toBe(200);
    expect(ran).toBe(3);
    expect(calls).toEqual([
      'verified taken',
      'dispatch taken',
      'handler taken',
      'answered taken handled',
    ]);
  });

  it('a handler that throws inside dispatch still fails the delivery (the observer does not swallow it)', async () => {
    const observer: DeliveryObserver = {
      received: () => 1,
      verified() {},
      dispatch: (_d, run) => run(),
      handlerSettled() {},
      answered() {},
    };
    const webhooks = createTraxWebhooks({ secret: SECRET, observer });
    webhooks.onStreamLive(() => {
      throw new Error('sync throw');
    });
    expect((await webhooks.receive(signedRequest())).status).toBe(500);
  });

  it('an observer without every hook is a TypeError naming the option', () => {
    expect(() =>
      createTraxWebhooks({ secret: SECRET, observer: { received() {} } as never }),
    ).toThrow(
      new TypeError('observer option must implement DeliveryObserver (missing verified())'),
    );
  });
});
