import { SpanKind } from '@opentelemetry/api';
import { createTraxWebhooks } from '@trax-webhooks/core';
import { metricNames, traxTelemetry } from '@trax-webhooks/otel';
import { pollStreamStatus } from '@trax-webhooks/poller';
import { startMockTraxApi } from '@trax-webhooks/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECRET } from '../../../test-support/fixtures.js';
import { startTestSdk, type TestSdk } from './support.js';

let sdk: TestSdk;
beforeAll(() => {
  sdk = startTestSdk();
});
afterAll(() => sdk.shutdown());

async function until(check: () => Promise<boolean> | boolean, ms = 5_000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('one telemetry for the receiver and its poller', () => {
  it('counts stream-status requests by outcome (ok, rate-limited) and traces polled events as source poll', async () => {
    const api = await startMockTraxApi({ apiKeys: ['sk_test_otel'] });
    const telemetry = traxTelemetry({
      tracerProvider: sdk.tracerProvider,
      meterProvider: sdk.meterProvider,
    });
    const webhooks = createTraxWebhooks({ secret: SECRET, observer: telemetry });
    const handled: string[] = [];
    webhooks.onStreamLive((event) => void handled.push(event.data.studioId));
    api.goLive('st_poll');
    api.injectFault({
      studioId: 'st_poll',
      times: 1,
      fault: { type: 'rate-limit', retryAfter: 'seconds', seconds: 0 },
    });
    const poller = pollStreamStatus(webhooks, {
      apiKey: 'sk_test_otel',
      baseUrl: api.url,
      studios: ['st_poll'],
      intervalMs: 50,
      jitter: 0,
      observer: telemetry,
    });
    try {
      await until(() => handled.length === 1);
      await until(
        async () =>
          (await sdk.count(metricNames.pollRequests, { 'trax_webhooks.outcome': 'ok' })) >= 1,
      );
    } finally {
      await poller.stop();
      await api.close();
    }
    expect(
      await sdk.count(metricNames.pollRequests, {
        'trax_webhooks.outcome': 'rate-limited',
        'http.response.status_code': 429,
        'error.type': 'rate-limited',
      }),
    ).toBe(1);
    expect(
      await sdk.count(metricNames.pollRequests, {
        'trax_webhooks.outcome': 'ok',
        'http.response.status_code': 200,
      }),
    ).toBeGreaterThanOrEqual(1);
    expect(await sdk.count(metricNames.pollDuration)).toBe(
      await sdk.count(metricNames.pollRequests),
    );
    const span = sdk.spans.getFinishedSpans().find((s) => s.kind === SpanKind.CONSUMER)!;
    expect(span.name).toBe('process stream.live');
    expect(span.attributes).toMatchObject({
      'trax_webhooks.source': 'poll',
      'trax_webhooks.outcome': 'handled',
      'trax_webhooks.delivery.attempt': 1,
    });
    // handleEvent answers nothing over HTTP.
    expect(span.attributes['http.response.status_code']).toBeUndefined();
    expect(
      await sdk.count(metricNames.deliveries, {
        'trax_webhooks.source': 'poll',
        'trax_webhooks.outcome': 'handled',
      }),
    ).toBe(1);
  });

  it('without an SDK (the API no-op) a receiver observed by traxTelemetry() still answers every delivery', async () => {
    const webhooks = createTraxWebhooks({ secret: SECRET, observer: traxTelemetry() });
    let ran = 0;
    webhooks.onStreamLive(() => void ran++);
    const result = await webhooks.handleEvent(
      {
        type: 'stream.live',
        timestamp: '2026-11-27T12:00:01.000Z',
        data: { studioId: 'st_1', encoderStreamId: 'e', liveStartedAt: 'x', mode: 'cloud' },
      },
      { deliveryId: 'noop_1', source: 'poll' },
    );
    expect(result.outcome).toBe('handled');
    expect(ran).toBe(1);
  });

  it('a bad messagingSystem option is a TypeError naming it', () => {
    expect(() => traxTelemetry({ messagingSystem: '' })).toThrow(
      new TypeError('messagingSystem option must be a non-empty string'),
    );
  });
});
