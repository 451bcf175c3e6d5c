import type { AddressInfo } from 'node:net';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import {
  createTraxWebhooks,
  type DeliveryStore,
  permanentFailure,
  signDelivery,
} from '@trax-webhooks/core';
import { traxWebhooks } from '@trax-webhooks/express';
import { metricNames, traceparent, traxTelemetry } from '@trax-webhooks/otel';
import { sendDelivery } from '@trax-webhooks/sender';
import express from 'express';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { liveEvent, SECRET } from '../../../test-support/fixtures.js';
import { startTestSdk, type TestSdk } from './support.js';

let sdk: TestSdk;
beforeAll(() => {
  sdk = startTestSdk();
});
afterAll(() => sdk.shutdown());
afterEach(() => sdk.spans.reset());

const brokenStore: DeliveryStore = {
  claim: () => Promise.reject(new Error('ECONNREFUSED 127.0.0.1:6379')),
  complete: async () => true,
  release: async () => true,
};

/** A real Express app with the instrumented middleware; `release` lets a held handler finish. */
function app(options: { store?: DeliveryStore; handler?: () => unknown } = {}) {
  const telemetry = traxTelemetry({
    tracerProvider: sdk.tracerProvider,
    meterProvider: sdk.meterProvider,
  });
  const webhooks = traxWebhooks({
    secret: SECRET,
    observer: telemetry,
    store: options.store,
    bodyLimit: 2048,
  });
  webhooks.onStreamLive(options.handler ?? function notify() {});
  const server = express();
  server.use(webhooks);
  return server;
}

function signed(id: string, payload: unknown = liveEvent()) {
  return signDelivery({ secret: SECRET, payload, id });
}

function post(server: express.Express, headers: Record<string, string>, body: string) {
  return request(server)
    .post('/webhooks/trax')
    .set(headers)
    .set('content-type', 'application/json')
    .send(body);
}

/** The one delivery span exported since the last reset. */
function onlySpan(): ReadableSpan {
  const spans = sdk.spans.getFinishedSpans().filter((s) => s.kind === SpanKind.CONSUMER);
  expect(spans).toHaveLength(1);
  return spans[0]!;
}

const deliveries = (match: Record<string, unknown>) => sdk.count(metricNames.deliveries, match);

describe('a delivery span and counter for each answer (real Express, in-memory exporters)', () => {
  it('200 handled: CONSUMER span `process stream.live`, messaging attributes, status unset, one handled count', async () => {
    const server = app();
    const before = await deliveries({ 'trax_webhooks.outcome': 'handled' });
    const { headers, body } = signed('msg_handled');
    await post(server, headers, body).expect(200);
    const span = onlySpan();
    expect(span.name).toBe('process stream.live');
    expect(span.kind).toBe(SpanKind.CONSUMER);
    expect(span.attributes).toEqual({
      'messaging.system': 'trax',
      'messaging.operation.type': 'process',
      'messaging.operation.name': 'process',
      'messaging.message.id': 'msg_handled',
      'messaging.destination.name': 'stream.live',
      'trax_webhooks.event.type': 'stream.live',
      'trax_webhooks.source': 'webhook',
      'trax_webhooks.outcome': 'handled',
      'http.response.status_code': 200,
    });
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
    expect(await deliveries({ 'trax_webhooks.outcome': 'handled' })).toBe(before + 1);
    expect(
      await sdk.count(metricNames.deliveries, {
        'trax_webhooks.outcome': 'handled',
        'trax_webhooks.event.type': 'stream.live',
        'http.response.status_code': 200,
        'messaging.system': 'trax',
      }),
    ).toBeGreaterThanOrEqual(1);
  });

  it('duplicate: outcome duplicate, status unset, answered 200', async () => {
    const server = app();
    const { headers, body } = signed('msg_dup');
    await post(server, headers, body).expect(200);
    sdk.spans.reset();
    const before = await deliveries({ 'trax_webhooks.outcome': 'duplicate' });
    await post(server, headers, body).expect(200, /duplicate/);
    const span = onlySpan();
    expect(span.name).toBe('process stream.live');
    expect(span.attributes).toMatchObject({
      'messaging.message.id': 'msg_dup',
      'trax_webhooks.outcome': 'duplicate',
      'http.response.status_code': 200,
    });
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
    expect(await deliveries({ 'trax_webhooks.outcome': 'duplicate' })).toBe(before + 1);
  });

  it('400 missing header: `process` (no type known), rejected MISSING_HEADER, error status, no message id', async () => {
    const server = app();
    const before = await deliveries({ 'error.type': 'MISSING_HEADER' });
    const { headers, body } = signed('msg_400');
    const { 'webhook-id': _dropped, ...rest } = headers;
    await post(server, rest, body).expect(400);
    const span = onlySpan();
    expect(span.name).toBe('process');
    expect(span.kind).toBe(SpanKind.CONSUMER);
    expect(span.attributes).toEqual({
      'messaging.system': 'trax',
      'messaging.operation.type': 'process',
      'messaging.operation.name': 'process',
      'trax_webhooks.source': 'webhook',
      'trax_webhooks.outcome': 'rejected',
      'http.response.status_code': 400,
      'error.type': 'MISSING_HEADER',
    });
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(
      await deliveries({
        'trax_webhooks.outcome': 'rejected',
        'error.type': 'MISSING_HEADER',
        'http.response.status_code': 400,
      }),
    ).toBe(before + 1);
  });

  it('401 bad signature: rejected INVALID_SIGNATURE, and no signature, secret or body anywhere in the span', async () => {
    const server = app();
    const before = await deliveries({ 'error.type': 'INVALID_SIGNATURE' });
    const { headers, body } = signed('msg_401');
    const forged = 'v1,Zm9yZ2VkLXNpZ25hdHVyZS1ieXRlcy0xMjM0NTY3ODkwYWJj';
    await post(server, { ...headers, 'webhook-signature': forged }, body).expect(401);
    const span = onlySpan();
    expect(span.attributes).toMatchObject({
      'trax_webhooks.outcome': 'rejected',
      'http.response.status_code': 401,
      'error.type': 'INVALID_SIGNATURE',
    });
    expect(span.status).toEqual({
      code: SpanStatusCode.ERROR,
      message: expect.stringMatching(/signature/i),
    });
    const exported = JSON.stringify({
      attributes: span.attributes,
      events: span.events,
      status: span.status,
      name: span.name,
    });
    for (const secretThing of [
      forged,
      headers['webhook-signature'],
      SECRET,
      body,
      'enc_1',
      'st_1',
    ]) {
      expect(exported).not.toContain(secretThing);
    }
    expect(await deliveries({ 'error.type': 'INVALID_SIGNATURE' })).toBe(before + 1);
  });

  it('409 in flight: outcome in-flight, status unset (not a failure: the sender retries later)', async () => {
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const server = app({ handler: () => held }).listen(0);
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/trax`;
      const { headers, body } = signed('msg_409');
      const send = () => fetch(url, { method: 'POST', headers, body });
      const first = send();
      // The first copy holds its claim until released: wait until its handler is running.
      await new Promise((resolve) => setTimeout(resolve, 50));
      const before = await deliveries({ 'trax_webhooks.outcome': 'in-flight' });
      expect((await send()).status).toBe(409);
      const span = onlySpan();
      expect(span.attributes).toMatchObject({
        'messaging.message.id': 'msg_409',
        'trax_webhooks.outcome': 'in-flight',
        'http.response.status_code': 409,
      });
      expect(span.status.code).toBe(SpanStatusCode.UNSET);
      expect(await deliveries({ 'trax_webhooks.outcome': 'in-flight' })).toBe(before + 1);
      release();
      expect((await first).status).toBe(200);
    } finally {
      release();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('413 body over the limit (found by the Express adapter while reading): rejected BODY_TOO_LARGE', async () => {
    const server = app();
    const before = await deliveries({ 'error.type': 'BODY_TOO_LARGE' });
    const { headers, body } = signed('msg_413', { ...liveEvent(), padding: 'x'.repeat(4096) });
    await post(server, headers, body).expect(413);
    const span = onlySpan();
    expect(span.name).toBe('process');
    expect(span.attributes).toMatchObject({
      'trax_webhooks.outcome': 'rejected',
      'http.response.status_code': 413,
      'error.type': 'BODY_TOO_LARGE',
    });
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(await deliveries({ 'error.type': 'BODY_TOO_LARGE' })).toBe(before + 1);
  });

  it('500 handler failed: HANDLER_FAILED, an exception event with core’s message only (not the handler’s)', async () => {
    const server = app({
      handler: function chargeCustomer() {
        throw new TypeError('card 4242 declined for st_1 enc_1');
      },
    });
    const before = await deliveries({ 'error.type': 'HANDLER_FAILED' });
    const handlerErrors = await sdk.count(metricNames.handlerDuration, {
      'trax_webhooks.handler.name': 'chargeCustomer',
      'trax_webhooks.outcome': 'error',
    });
    const { headers, body } = signed('msg_500');
    await post(server, headers, body).expect(500);
    const span = onlySpan();
    expect(span.name).toBe('process stream.live');
    expect(span.attributes).toMatchObject({
      'messaging.message.id': 'msg_500',
      'trax_webhooks.outcome': 'failed',
      'http.response.status_code': 500,
      'error.type': 'HANDLER_FAILED',
    });
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.events.map((e) => e.name)).toEqual(['exception']);
    expect(span.events[0]!.attributes).toMatchObject({
      'exception.type': 'HANDLER_FAILED',
      'exception.message': 'A handler for stream.live failed; the delivery will be retried.',
    });
    expect(JSON.stringify(span.events)).not.toContain('4242');
    expect(await deliveries({ 'error.type': 'HANDLER_FAILED' })).toBe(before + 1);
    // The handler's histogram: one more error point, classed by the error's name only.
    const points = await sdk.points(metricNames.handlerDuration);
    const failed = points.find(
      (p) => p.attributes['trax_webhooks.handler.name'] === 'chargeCustomer',
    )!;
    expect(failed.attributes).toEqual({
      'trax_webhooks.handler.name': 'chargeCustomer',
      'trax_webhooks.event.type': 'stream.live',
      'trax_webhooks.source': 'webhook',
      'trax_webhooks.outcome': 'error',
      'error.type': 'TypeError',
    });
    expect(
      await sdk.count(metricNames.handlerDuration, {
        'trax_webhooks.handler.name': 'chargeCustomer',
        'trax_webhooks.outcome': 'error',
      }),
    ).toBe(handlerErrors + 1);
  });

  it('503 store unavailable: STORE_UNAVAILABLE, error status, no store error text in the span', async () => {
    const server = app({ store: brokenStore });
    const before = await deliveries({ 'error.type': 'STORE_UNAVAILABLE' });
    const { headers, body } = signed('msg_503');
    await post(server, headers, body).expect(503);
    const span = onlySpan();
    expect(span.attributes).toMatchObject({
      'messaging.message.id': 'msg_503',
      'trax_webhooks.outcome': 'store-unavailable',
      'http.response.status_code': 503,
      'error.type': 'STORE_UNAVAILABLE',
    });
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(JSON.stringify(span.events)).not.toContain('ECONNREFUSED');
    expect(await deliveries({ 'error.type': 'STORE_UNAVAILABLE' })).toBe(before + 1);
  });
});

describe('the other outcomes', () => {
  const telemetry = () =>
    traxTelemetry({ tracerProvider: sdk.tracerProvider, meterProvider: sdk.meterProvider });

  it('a permanent failure answers 200 but its span is an error (HANDLER_FAILED_PERMANENTLY)', async () => {
    const webhooks = createTraxWebhooks({ secret: SECRET, observer: telemetry() });
    webhooks.onStreamLive(() => {
      throw permanentFailure(new Error('studio deleted'));
    });
    const { headers, body } = signed('msg_permanent');
    expect((await webhooks.receive({ headers, rawBody: body })).status).toBe(200);
    const span = onlySpan();
    expect(span.attributes).toMatchObject({
      'trax_webhooks.outcome': 'failed-permanently',
      'http.response.status_code': 200,
      'error.type': 'HANDLER_FAILED_PERMANENTLY',
    });
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
  });

  it("ack: 'immediate' ends the span at the 202; the handler runs after it, inside its context", async () => {
    const webhooks = createTraxWebhooks({
      secret: SECRET,
      observer: telemetry(),
      ack: 'immediate',
    });
    let activeSpanId: string | undefined;
    webhooks.onStreamLive(async function later() {
      await new Promise((resolve) => setTimeout(resolve, 10));
      activeSpanId = trace.getActiveSpan()?.spanContext().spanId;
    });
    const before = await sdk.count(metricNames.handlerDuration, {
      'trax_webhooks.handler.name': 'later',
    });
    const { headers, body } = signed('msg_immediate');
    expect((await webhooks.receive({ headers, rawBody: body })).status).toBe(202);
    const span = onlySpan();
    expect(span.attributes).toMatchObject({
      'trax_webhooks.outcome': 'accepted',
      'http.response.status_code': 202,
    });
    await webhooks.drain();
    expect(activeSpanId).toBe(span.spanContext().spanId);
    expect(
      await sdk.count(metricNames.handlerDuration, { 'trax_webhooks.handler.name': 'later' }),
    ).toBe(before + 1);
  });
});

describe('trace context', () => {
  it('a traceparent sent by our sender (traceparent()) is the delivery span’s link; the active context is its parent', async () => {
    const tracer = sdk.tracerProvider.getTracer('test');
    const telemetry = traxTelemetry({
      tracerProvider: sdk.tracerProvider,
      meterProvider: sdk.meterProvider,
    });
    const webhooks = traxWebhooks({ secret: SECRET, observer: telemetry });
    let childId: string | undefined;
    webhooks.onStreamLive(async function notify() {
      // A span a handler makes is a child of the delivery span.
      await tracer.startActiveSpan('notify studio', async (child) => {
        childId = child.spanContext().spanId;
        child.end();
      });
    });
    const server = express();
    // What HTTP instrumentation does: the request runs inside a SERVER span.
    server.use((_req, _res, next) => {
      const span = tracer.startSpan('POST /webhooks/trax', { kind: SpanKind.SERVER });
      _res.on('finish', () => span.end());
      context.with(trace.setSpan(context.active(), span), next);
    });
    server.use(webhooks);
    const listening = server.listen(0);
    try {
      const url = `http://127.0.0.1:${(listening.address() as AddressInfo).port}/webhooks/trax`;
      const send = tracer.startSpan('send stream.live', { kind: SpanKind.PRODUCER });
      const report = await context.with(trace.setSpan(context.active(), send), () =>
        sendDelivery({ url, secret: SECRET, event: liveEvent(), traceparent: traceparent() }),
      );
      send.end();
      expect(report.delivered).toBe(true);
      const consumer = sdk.spans.getFinishedSpans().find((s) => s.kind === SpanKind.CONSUMER)!;
      const server_ = sdk.spans.getFinishedSpans().find((s) => s.kind === SpanKind.SERVER)!;
      expect(consumer.links).toHaveLength(1);
      expect(consumer.links[0]!.context.traceId).toBe(send.spanContext().traceId);
      expect(consumer.links[0]!.context.spanId).toBe(send.spanContext().spanId);
      expect(consumer.parentSpanContext?.spanId).toBe(server_.spanContext().spanId);
      const child = sdk.spans.getFinishedSpans().find((s) => s.spanContext().spanId === childId)!;
      expect(child.parentSpanContext?.spanId).toBe(consumer.spanContext().spanId);
    } finally {
      await new Promise((resolve) => listening.close(resolve));
    }
  });

  it('without a traceparent the span has no link', async () => {
    const server = app();
    const { headers, body } = signed('msg_nolink');
    await post(server, headers, body).expect(200);
    expect(onlySpan().links).toEqual([]);
  });
});
