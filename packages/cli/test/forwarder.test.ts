import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createForwarder, type Forwarder } from '@trax-webhooks/cli';
import { type EventSink, MemoryStudioStateStore, TraxWebhookError } from '@trax-webhooks/core';
import { pollStreamStatus, type StreamStatusPoller } from '@trax-webhooks/poller';
import { type MockTraxApi, startMockTraxApi } from '@trax-webhooks/testing';
import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import { liveEvent } from '../../../test-support/fixtures.js';
import { eventually, SECRET, startExpressReceiver } from './support.js';

/** createForwarder fed by a real poller, over real HTTP: the mock API and an Express receiver. */
const KEY = 'sk_test_forwarder';
let api: MockTraxApi | undefined;
let receiver: Awaited<ReturnType<typeof startExpressReceiver>> | undefined;
let poller: StreamStatusPoller | undefined;

afterEach(async () => {
  await poller?.stop();
  await receiver?.close();
  await api?.close();
  poller = receiver = api = undefined;
});

function start(forwarder: Forwarder, stateStore: MemoryStudioStateStore) {
  return pollStreamStatus(forwarder, {
    apiKey: KEY,
    studios: ['st_1'],
    baseUrl: api!.url,
    intervalMs: 50,
    stateStore,
  });
}

describe('createForwarder', () => {
  it('does not let the poller save the studio state until the receiver has the event', async () => {
    api = await startMockTraxApi({ apiKeys: [KEY] });
    receiver = await startExpressReceiver({ failFirst: 4 });
    const stateStore = new MemoryStudioStateStore();
    const failures: Array<number | undefined> = [];
    const forwarder = createForwarder({
      to: receiver.url,
      secret: SECRET,
      schedule: [0],
      onAttempt: (attempt) => {
        if (attempt.status !== 200) failures.push(attempt.status);
      },
    });
    const session = api.goLive('st_1');
    poller = start(forwarder, stateStore);

    await eventually(() => failures.length >= 2);
    // Failed twice: pending in the poller, and the saved state is not "live" yet (the first
    // observation of a studio saves nothing until its stream.live is delivered).
    expect(await stateStore.get('st_1')).toBeUndefined();
    expect(poller.pendingEvents().map((p) => p.event.type)).toEqual(['stream.live']);
    expect(forwarder.undelivered().map((d) => d.event.type)).toEqual(['stream.live']);

    await eventually(() => receiver!.events.length === 1);
    await eventually(() => poller!.stats().pendingEvents === 0);
    expect(await stateStore.get('st_1')).toMatchObject({
      live: true,
      session: { liveStartedAt: session.liveStartedAt },
    });
    expect(receiver.events[0]!.attempt).toBe(5);
    expect(forwarder.stats()).toEqual({ delivered: 1, failedAttempts: 4 });
    expect(forwarder.undelivered()).toEqual([]);
  });

  it('honours the receiver’s Retry-After before the next attempt', async () => {
    api = await startMockTraxApi({ apiKeys: [KEY] });
    receiver = await startExpressReceiver();
    // A receiver answering 503 "come back in 1 s" once, in front of the real one.
    let answered = false;
    const times: number[] = [];
    const front = createServer((req, res) => {
      times.push(Date.now());
      if (!answered) {
        answered = true;
        res.writeHead(503, { 'retry-after': '1' }).end();
        return;
      }
      const body: Buffer[] = [];
      req.on('data', (chunk: Buffer) => body.push(chunk));
      req.on('end', async () => {
        const forwarded = await fetch(receiver!.url, {
          method: 'POST',
          headers: req.headers as Record<string, string>,
          body: Buffer.concat(body),
        });
        res.writeHead(forwarded.status).end(await forwarded.text());
      });
    });
    await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
    const { port } = front.address() as AddressInfo;
    try {
      const forwarder = createForwarder({
        to: `http://127.0.0.1:${port}/webhooks/trax`,
        secret: SECRET,
        schedule: [0],
      });
      api.goLive('st_1');
      poller = start(forwarder, new MemoryStudioStateStore());
      await eventually(() => receiver!.events.length === 1);
      // Polled every 50 ms, yet the second attempt waited for the 1 s the receiver asked for.
      expect(times).toHaveLength(2);
      expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(1000);
    } finally {
      front.closeAllConnections();
      front.close();
    }
  });

  it('answers deferred, not in-flight, for an attempt that failed and for one not due yet', async () => {
    receiver = await startExpressReceiver({ failFirst: 1 });
    const forwarder = createForwarder({ to: receiver.url, secret: SECRET, schedule: [0, 60_000] });
    const ctx = { deliveryId: 'poll_deferred_1', source: 'poll' as const };
    // Attempt 1 is answered 500: not done, try again after the schedule's next delay.
    const failed = await forwarder.handleEvent(liveEvent(), ctx);
    expect(failed).toMatchObject({ outcome: 'deferred' });
    expect((failed as { retryAfterMs: number }).retryAfterMs).toBeGreaterThan(40_000);
    // Handed over again at once: not due, nothing sent, still deferred (nothing else has it).
    const early = await forwarder.handleEvent(liveEvent(), ctx);
    expect(early).toMatchObject({ outcome: 'deferred' });
    expect(receiver.requests).toHaveLength(1);
    // Stopping: no attempt, deferred too, so the poller keeps it pending and lists it at stop.
    forwarder.stop();
    expect(await forwarder.handleEvent(liveEvent(), ctx)).toMatchObject({ outcome: 'deferred' });
    expect(receiver.requests).toHaveLength(1);
  });

  it('answers handled once the receiver has it', async () => {
    receiver = await startExpressReceiver();
    const forwarder = createForwarder({ to: receiver.url, secret: SECRET, schedule: [0] });
    const result = await forwarder.handleEvent(liveEvent(), {
      deliveryId: 'poll_handled_1',
      source: 'poll',
    });
    expect(result).toEqual({ outcome: 'handled' });
    expect(receiver.events).toHaveLength(1);
  });

  it('is an EventSink: report() passes the poller’s error to onError and never rejects', async () => {
    expectTypeOf<Forwarder>().toMatchTypeOf<EventSink>();
    const seen: TraxWebhookError[] = [];
    const error = new TraxWebhookError('POLL_FAILED', 'stream-status answered HTTP 500');
    const forwarder = createForwarder({
      to: 'http://127.0.0.1:9/x',
      secret: SECRET,
      onError: (e) => seen.push(e),
    });
    await expect(forwarder.report(error)).resolves.toBeUndefined();
    expect(seen).toEqual([error]);
    const throwing = createForwarder({
      to: 'http://127.0.0.1:9/x',
      secret: SECRET,
      onError: () => {
        throw new Error('a broken onError');
      },
    });
    await expect(throwing.report(error)).resolves.toBeUndefined();
  });

  it('bad options throw a TypeError naming the option', () => {
    expect(() => createForwarder({ to: 'localhost:3000', secret: SECRET })).toThrow(/^to option/);
    expect(() => createForwarder({ to: 'http://h/x', secret: SECRET, schedule: [] })).toThrow(
      /^schedule option/,
    );
    expect(() => createForwarder({ to: 'http://h/x', secret: SECRET, timeoutMs: 0 })).toThrow(
      /^timeoutMs option/,
    );
    expect(() => createForwarder({ to: 'http://h/x', secret: SECRET, timeoutMs: 2 ** 31 })).toThrow(
      /^timeoutMs option .*2147483647/,
    );
  });
});
