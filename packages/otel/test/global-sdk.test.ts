import { SpanKind, trace } from '@opentelemetry/api';
import { createTraxWebhooks } from '@trax-webhooks/core';
import { traxTelemetry } from '@trax-webhooks/otel';
import { afterAll, describe, expect, it } from 'vitest';
import { liveEvent, SECRET } from '../../../test-support/fixtures.js';
import { startTestSdk } from './support.js';

const sdk = startTestSdk();
afterAll(async () => {
  trace.disable();
  await sdk.shutdown();
});

describe('traxTelemetry() with the global providers', () => {
  it('records nothing before an SDK is registered, and spans once one is (the tracer follows the global proxy)', async () => {
    const webhooks = createTraxWebhooks({ secret: SECRET, observer: traxTelemetry() });
    webhooks.onStreamLive(() => {});
    await webhooks.handleEvent(liveEvent(), { deliveryId: 'before_sdk', source: 'poll' });
    expect(sdk.spans.getFinishedSpans()).toEqual([]);

    trace.setGlobalTracerProvider(sdk.tracerProvider);
    await webhooks.handleEvent(liveEvent(), { deliveryId: 'after_sdk', source: 'poll' });
    const spans = sdk.spans.getFinishedSpans();
    expect(spans.map((s) => [s.kind, s.attributes['messaging.message.id']])).toEqual([
      [SpanKind.CONSUMER, 'after_sdk'],
    ]);
  });
});
