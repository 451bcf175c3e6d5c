import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  DEFAULT_RETRY_SCHEDULE,
  type DeliveryAttempt,
  exponentialSchedule,
  parseRetryAfter,
  sendDelivery,
  withJitter,
} from '@trax-webhooks/sender';
import { createTestEvent } from '@trax-webhooks/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SECRET, startReceiver } from './receiver.js';

type Receiver = Awaited<ReturnType<typeof startReceiver>>;
let receiver: Receiver | undefined;

afterEach(async () => {
  vi.useRealTimers();
  await receiver?.close();
  receiver = undefined;
});

/** Lets a pending fetch settle: real I/O needs real turns of the event loop. */
async function settle(attempts: DeliveryAttempt[], n: number) {
  while (attempts.length < n) await new Promise((resolve) => setImmediate(resolve));
}

describe('sendDelivery', () => {
  it('delivers a signed event that a real receiver verifies and handles', async () => {
    receiver = await startReceiver();
    const seen: string[] = [];
    receiver.webhooks.onStreamLive((event, ctx) => {
      seen.push(`${event.data.studioId} ${ctx.deliveryId} ${ctx.attempt}`);
    });
    const report = await sendDelivery({
      url: receiver.url,
      secret: SECRET,
      event: createTestEvent('stream.live', { studioId: 'st_1' }),
      id: 'msg_fixed',
    });
    expect(report).toMatchObject({ delivered: true, id: 'msg_fixed', aborted: false });
    expect(report.attempts).toHaveLength(1);
    expect(report.attempts[0]).toMatchObject({ attempt: 1, status: 200 });
    expect(seen).toEqual(['st_1 msg_fixed 1']);
  });

  it('follows the schedule with fake timers: same id, fresh timestamp and signature per attempt', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    vi.setSystemTime(new Date('2026-11-27T12:00:00Z'));
    receiver = await startReceiver((n) => (n < 3 ? { status: 500 } : undefined));
    const attempts: DeliveryAttempt[] = [];
    const sending = sendDelivery({
      url: receiver.url,
      secret: SECRET,
      event: createTestEvent('stream.offline', { studioId: 'st_1' }),
      schedule: [0, 5_000, 300_000],
      jitter: 0,
      onAttempt: (a) => attempts.push(a),
    });

    await receiver.until(1);
    await settle(attempts, 1);
    expect(attempts[0]).toMatchObject({ attempt: 1, status: 500, nextAttemptInMs: 5_000 });
    await vi.advanceTimersByTimeAsync(4_999);
    expect(receiver.received).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await receiver.until(2);
    await settle(attempts, 2);
    expect(attempts[1]).toMatchObject({ attempt: 2, status: 500, nextAttemptInMs: 300_000 });
    await vi.advanceTimersByTimeAsync(299_999);
    expect(receiver.received).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    const report = await sending;

    expect(report.delivered).toBe(true);
    expect(report.attempts.map((a) => a.status)).toEqual([500, 500, 200]);
    const headers = receiver.received.map((r) => r.headers);
    expect(new Set(headers.map((h) => h['webhook-id'])).size).toBe(1);
    expect(headers.map((h) => h['webhook-attempt'])).toEqual(['1', '2', '3']);
    const start = Date.parse('2026-11-27T12:00:00Z') / 1000;
    expect(headers.map((h) => Number(h['webhook-timestamp']))).toEqual([
      start,
      start + 5,
      start + 305,
    ]);
    expect(new Set(headers.map((h) => h['webhook-signature'])).size).toBe(3);
    expect(new Set(receiver.received.map((r) => r.body)).size).toBe(1);
    expect(receiver.received[2]!.status).toBe(200);
  });

  it('gives up when the schedule ends', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    receiver = await startReceiver(() => ({ status: 503 }));
    const attempts: DeliveryAttempt[] = [];
    const sending = sendDelivery({
      url: receiver.url,
      secret: SECRET,
      event: createTestEvent('stream.live'),
      schedule: [0, 1_000, 2_000],
      jitter: 0,
      onAttempt: (a) => attempts.push(a),
    });
    for (const [n, wait] of [
      [1, 1_000],
      [2, 2_000],
    ] as const) {
      await receiver.until(n);
      await settle(attempts, n);
      await vi.advanceTimersByTimeAsync(wait);
    }
    const report = await sending;
    expect(report.delivered).toBe(false);
    expect(report.attempts).toHaveLength(3);
    expect(report.attempts.at(-1)!.nextAttemptInMs).toBeUndefined();
    expect(receiver.received).toHaveLength(3);
  });

  it('waits for Retry-After when it is longer than the next scheduled delay', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    receiver = await startReceiver((n) =>
      n === 1 ? { status: 503, headers: { 'retry-after': '30' } } : undefined,
    );
    const attempts: DeliveryAttempt[] = [];
    const sending = sendDelivery({
      url: receiver.url,
      secret: SECRET,
      event: createTestEvent('stream.live'),
      schedule: [0, 1_000],
      jitter: 0,
      onAttempt: (a) => attempts.push(a),
    });
    await receiver.until(1);
    await settle(attempts, 1);
    expect(attempts[0]!.nextAttemptInMs).toBe(30_000);
    await vi.advanceTimersByTimeAsync(29_999);
    expect(receiver.received).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect((await sending).delivered).toBe(true);
  });

  it('spreads delays with jitter', async () => {
    receiver = await startReceiver((n) => (n === 1 ? { status: 500 } : undefined));
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const attempts: DeliveryAttempt[] = [];
    const sending = sendDelivery({
      url: receiver.url,
      secret: SECRET,
      event: createTestEvent('stream.live'),
      schedule: [0, 10_000],
      jitter: 0.5,
      random: () => 1,
      onAttempt: (a) => attempts.push(a),
    });
    await receiver.until(1);
    await settle(attempts, 1);
    expect(attempts[0]!.nextAttemptInMs).toBe(15_000);
    await vi.advanceTimersByTimeAsync(15_000);
    expect((await sending).delivered).toBe(true);
  });

  it('reports a connection error and a timeout as attempt errors', async () => {
    const closed = createServer().listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const closedPort = (closed.address() as AddressInfo).port;
    closed.close();
    await once(closed, 'close');
    const refused = await sendDelivery({
      url: `http://127.0.0.1:${closedPort}/webhooks`,
      secret: SECRET,
      event: createTestEvent('stream.live'),
      schedule: [0],
    });
    expect(refused.delivered).toBe(false);
    expect(refused.attempts[0]!.error).toMatch(/ECONNREFUSED/);

    const silent = createServer(() => {
      // Never answers.
    });
    silent.listen(0, '127.0.0.1');
    await once(silent, 'listening');
    const { port } = silent.address() as AddressInfo;
    const timedOut = await sendDelivery({
      url: `http://127.0.0.1:${port}/`,
      secret: SECRET,
      event: createTestEvent('stream.live'),
      schedule: [0],
      timeoutMs: 100,
    });
    silent.closeAllConnections();
    silent.close();
    expect(timedOut.attempts[0]!.error).toBe('timed out after 100 ms');
  });

  it('stops waiting when the signal aborts', async () => {
    receiver = await startReceiver(() => ({ status: 500 }));
    const controller = new AbortController();
    const report = await sendDelivery({
      url: receiver.url,
      secret: SECRET,
      event: createTestEvent('stream.live'),
      schedule: [0, 3_600_000],
      onAttempt: () => controller.abort(),
      signal: controller.signal,
    });
    expect(report).toMatchObject({ delivered: false, aborted: true });
    expect(report.attempts).toHaveLength(1);
  });

  it('aborts the attempt in flight when the signal aborts, reported as "aborted"', async () => {
    const controller = new AbortController();
    receiver = await startReceiver((n) => {
      if (n === 1) controller.abort();
      return undefined;
    });
    const report = await sendDelivery({
      url: receiver.url,
      secret: SECRET,
      event: createTestEvent('stream.live'),
      schedule: [0, 1_000],
      signal: controller.signal,
    });
    expect(report).toMatchObject({ delivered: false, aborted: true });
    expect(report.attempts).toHaveLength(1);
    expect(report.attempts[0]!.error).toBe('aborted');
  });

  it('lets the attempt in flight finish when abortInFlight is false', async () => {
    const controller = new AbortController();
    receiver = await startReceiver((n) => {
      if (n === 1) controller.abort();
      return undefined;
    });
    const slow = await sendDelivery({
      url: receiver.url,
      secret: SECRET,
      event: createTestEvent('stream.live'),
      schedule: [0, 1_000],
      signal: controller.signal,
      abortInFlight: false,
    });
    expect(slow).toMatchObject({ delivered: true, aborted: false });
    expect(slow.attempts[0]!.status).toBe(200);
  });

  it('sends any payload as it is, to test a receiver with bad bodies', async () => {
    receiver = await startReceiver();
    const report = await sendDelivery({
      url: receiver.url,
      secret: SECRET,
      payload: 'not json',
      schedule: [0],
    });
    expect(report.attempts[0]!.status).toBe(400);
    expect(receiver.received[0]!.body).toBe('not json');
  });

  it('rejects bad options with a TypeError naming the option, never the secret', async () => {
    const event = createTestEvent('stream.live');
    await expect(sendDelivery({ url: 'ftp://x', secret: SECRET, event })).rejects.toThrow(
      /url option/,
    );
    await expect(
      sendDelivery({ url: 'http://x', secret: SECRET, event, schedule: [] }),
    ).rejects.toThrow(/schedule option/);
    // Past setTimeout's limit the attempt's timeout would fire at once.
    await expect(
      sendDelivery({ url: 'http://x', secret: SECRET, event, timeoutMs: 2 ** 31 }),
    ).rejects.toThrow(/timeoutMs option/);
    await expect(sendDelivery({ url: 'http://x', secret: SECRET })).rejects.toThrow(
      /event and payload/,
    );
    const bad = 'whsec_not*base64';
    await expect(sendDelivery({ url: 'http://x', secret: bad, event })).rejects.toThrow(
      /secret option/,
    );
    await expect(sendDelivery({ url: 'http://x', secret: bad, event })).rejects.not.toThrow(bad);
  });

  it('refuses a URL with credentials, naming the option but not the password', async () => {
    const event = createTestEvent('stream.live');
    const sent = sendDelivery({ url: 'http://user:hunter2@127.0.0.1:9/x', secret: SECRET, event });
    await expect(sent).rejects.toThrow(TypeError);
    await expect(sent).rejects.toThrow(/url option must not contain credentials/);
    await expect(sent).rejects.not.toThrow(/hunter2/);
  });

  it('sends a traceparent only when one is given, on every attempt', async () => {
    receiver = await startReceiver((n) => (n === 1 ? { status: 500 } : undefined));
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const traced = await sendDelivery({
      url: receiver.url,
      secret: SECRET,
      event: createTestEvent('stream.live'),
      schedule: [0, 0],
      traceparent,
    });
    expect(traced.delivered).toBe(true);
    expect(receiver.received.map((r) => r.headers.traceparent)).toEqual([traceparent, traceparent]);

    await sendDelivery({
      url: receiver.url,
      secret: SECRET,
      event: createTestEvent('stream.live'),
      schedule: [0],
    });
    expect(receiver.received[2]!.headers).not.toHaveProperty('traceparent');
  });

  it('refuses a malformed traceparent before sending anything', async () => {
    receiver = await startReceiver();
    for (const traceparent of ['abc', `00-${'0'.repeat(32)}-00f067aa0ba902b7-01`]) {
      await expect(
        sendDelivery({
          url: receiver.url,
          secret: SECRET,
          event: createTestEvent('stream.live'),
          traceparent,
        }),
      ).rejects.toThrow(/traceparent option/);
    }
    expect(receiver.received).toHaveLength(0);
  });
});

describe('schedules', () => {
  it('defaults to the Standard Webhooks schedule', () => {
    expect(DEFAULT_RETRY_SCHEDULE).toEqual([0, 5e3, 3e5, 1.8e6, 7.2e6, 1.8e7, 3.6e7, 3.6e7]);
  });

  it('builds exponential schedules with a cap', () => {
    expect(exponentialSchedule({ attempts: 5, initialMs: 500, maxMs: 3_000 })).toEqual([
      0, 500, 1_000, 2_000, 3_000,
    ]);
  });

  it('keeps jitter within ± the fraction', () => {
    expect(withJitter(1_000, 0.2, () => 0)).toBe(800);
    expect(withJitter(1_000, 0.2, () => 1)).toBe(1_200);
    expect(withJitter(0, 0.2, () => 1)).toBe(0);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-11-27T12:00:00Z');
    expect(parseRetryAfter('12', now)).toBe(12_000);
    expect(parseRetryAfter('Fri, 27 Nov 2026 12:01:00 GMT', now)).toBe(60_000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });
});
