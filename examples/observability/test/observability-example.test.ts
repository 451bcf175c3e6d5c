import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { signDelivery } from '@trax-webhooks/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ExampleProcess, startExampleProcess } from '../../../test-support/example-process.js';

const exampleDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const SECRET = 'whsec_dGhpcyBpcyBhbm90aGVyIHNlY3JldCBrZXk=';
const SENDER_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const SENDER_SPAN = '00f067aa0ba902b7';

function live(studioId: string) {
  return {
    type: 'stream.live',
    timestamp: new Date().toISOString(),
    data: {
      studioId,
      encoderStreamId: 'enc_1',
      liveStartedAt: new Date().toISOString(),
      mode: 'cloud',
    },
  };
}

/** Prometheus text format → samples: name, labels, value (comments and blank lines skipped). */
function parsePrometheus(text: string) {
  const samples: { name: string; labels: Record<string, string>; value: number }[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)/.exec(line);
    if (!match) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) {
      labels[key!] = value!;
    }
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}

describe('examples/observability: Express + the OpenTelemetry SDK, scraped over HTTP', () => {
  let server: ExampleProcess;
  let url: string;
  let metricsUrl: string;

  beforeAll(async () => {
    server = startExampleProcess(exampleDir, 'server.ts', {
      PORT: '0',
      TRAX_WEBHOOK_SECRET: SECRET,
    });
    url = (await server.waitFor(/listening on (\S+)/))[1]!;
    metricsUrl = (await server.waitFor(/metrics on (\S+)/))[1]!;
  }, 30_000);

  afterAll(async () => {
    await server?.stop();
  });

  it('counts deliveries by outcome on /metrics after a few deliveries, and prints their spans', async () => {
    const post = (delivery: { headers: Record<string, string>; body: string }, extra = {}) =>
      fetch(url, {
        method: 'POST',
        headers: { ...delivery.headers, ...extra },
        body: delivery.body,
      });
    const first = signDelivery({ secret: SECRET, payload: live('st_a') });
    const traceparent = `00-${SENDER_TRACE}-${SENDER_SPAN}-01`;
    expect((await post(first, { traceparent })).status).toBe(200);
    expect((await post(signDelivery({ secret: SECRET, payload: live('st_b') }))).status).toBe(200);
    expect((await post(first)).status).toBe(200); // the duplicate
    const forged = signDelivery({
      secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
      payload: live('st_c'),
    });
    expect((await post(forged)).status).toBe(401);

    const res = await fetch(metricsUrl);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const samples = parsePrometheus(await res.text());
    const deliveries = (outcome: string) =>
      samples
        .filter((s) => s.name === 'trax_webhooks_deliveries_total')
        .filter((s) => s.labels.trax_webhooks_outcome === outcome)
        .reduce((sum, s) => sum + s.value, 0);
    expect(deliveries('handled')).toBe(2);
    expect(deliveries('duplicate')).toBe(1);
    expect(deliveries('rejected')).toBe(1);
    const rejected = samples.find(
      (s) =>
        s.name === 'trax_webhooks_deliveries_total' &&
        s.labels.trax_webhooks_outcome === 'rejected',
    )!;
    expect(rejected.labels).toMatchObject({
      error_type: 'INVALID_SIGNATURE',
      http_response_status_code: '401',
      trax_webhooks_source: 'webhook',
      messaging_system: 'trax',
    });
    const processCount = samples
      .filter((s) => s.name === 'messaging_process_duration_count')
      .reduce((sum, s) => sum + s.value, 0);
    expect(processCount).toBe(4);
    const handlerCount = samples
      .filter(
        (s) =>
          s.name === 'trax_webhooks_handler_duration_count' &&
          s.labels.trax_webhooks_handler_name === 'announceLive',
      )
      .reduce((sum, s) => sum + s.value, 0);
    expect(handlerCount).toBe(2);

    // The console exporter printed the delivery span, linked to the sender's traceparent.
    await server.waitFor(/name: 'process stream\.live'/);
    expect(server.output()).toContain(`traceId: '${SENDER_TRACE}'`);
    expect(server.output()).toContain(`spanId: '${SENDER_SPAN}'`);
    expect(server.output()).not.toContain(forged.headers['webhook-signature']!);
  });
});
