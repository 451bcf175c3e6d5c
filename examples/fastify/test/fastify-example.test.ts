import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { signDelivery } from '@trax-webhooks/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ExampleProcess, startExampleProcess } from '../../../test-support/example-process.js';

const exampleDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const SECRET = 'whsec_ZmFzdGlmeSBleGFtcGxlIHRlc3Qgc2VjcmV0';
const LISTENING = /receiving TRaX webhooks on ([^\s"]+)/;

/** Runs `pnpm start`'s command (tsx server.ts) as a real process on a free port. */
describe('examples/fastify: the runnable server', () => {
  let server: ExampleProcess;
  let url: string;

  beforeAll(async () => {
    server = startExampleProcess(exampleDir, 'server.ts', {
      PORT: '0',
      TRAX_WEBHOOK_SECRET: SECRET,
    });
    url = (await server.waitFor(LISTENING))[1]!;
  }, 20_000);

  afterAll(async () => {
    await server?.stop();
  });

  function post(payload: unknown, secret = SECRET) {
    const delivery = signDelivery({ secret, payload });
    return fetch(url, { method: 'POST', headers: delivery.headers, body: delivery.body });
  }

  it('runs the typed handlers for signed deliveries', async () => {
    const live = await post({
      type: 'stream.live',
      timestamp: new Date().toISOString(),
      data: {
        studioId: 'st_example',
        encoderStreamId: 'enc_9',
        liveStartedAt: '2026-11-27T12:00:00.000Z',
        mode: 'cloud',
      },
    });
    expect(live.status).toBe(200);
    const studios = await fetch(url.replace('/webhooks/trax', '/studios/live'));
    expect(await studios.json()).toEqual([
      {
        studioId: 'st_example',
        encoderStreamId: 'enc_9',
        liveStartedAt: '2026-11-27T12:00:00.000Z',
      },
    ]);
    // The handler's line goes through Fastify's logger; the child's stdout may reach us after
    // the HTTP answer does, so wait for it rather than read it at once.
    await server.waitFor(/"msg":"studio went live"/, 5_000);

    const offline = await post({
      type: 'stream.offline',
      timestamp: new Date().toISOString(),
      data: { studioId: 'st_example', endedAt: '2026-11-27T13:00:00.000Z' },
    });
    expect(offline.status).toBe(200);
    expect(await (await fetch(url.replace('/webhooks/trax', '/studios/live'))).json()).toEqual([]);
  });

  it('answers 401 to a forged delivery and logs the rejection under its reqId', async () => {
    const res = await post(
      { type: 'stream.live', timestamp: new Date().toISOString(), data: { studioId: 'st_x' } },
      'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    );
    expect(res.status).toBe(401);
    await expect.poll(() => server.output()).toMatch(/"reqId":"[^"]+".*"code":"INVALID_SIGNATURE"/);
  });

  it('still parses JSON for its own routes', async () => {
    const res = await fetch(url.replace('/webhooks/trax', '/studios/st_1/notes'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'good show' }),
    });
    expect(await res.json()).toEqual({ studioId: 'st_1', note: { text: 'good show' } });
  });
});
