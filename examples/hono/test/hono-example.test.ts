import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { signDelivery } from '@trax-webhooks/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ExampleProcess, startExampleProcess } from '../../../test-support/example-process.js';

const exampleDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const SECRET = 'whsec_dGhpcyBpcyBhbm90aGVyIHNlY3JldCBrZXk=';

const liveDelivery = (secret = SECRET) =>
  signDelivery({
    secret,
    payload: {
      type: 'stream.live',
      timestamp: new Date().toISOString(),
      data: {
        studioId: 'st_hono',
        encoderStreamId: 'enc_1',
        liveStartedAt: '2026-11-27T12:00:00.000Z',
        mode: 'cloud',
      },
    },
  });

/** Runs `pnpm start`'s command (tsx server.ts: Hono on @hono/node-server) as a real process. */
describe('examples/hono: Hono on Node through @hono/node-server', () => {
  let server: ExampleProcess;
  let url: string;

  beforeAll(async () => {
    server = startExampleProcess(exampleDir, 'server.ts', {
      PORT: '0',
      TRAX_WEBHOOK_SECRET: SECRET,
    });
    url = (await server.waitFor(/listening on (\S+)/))[1]!;
  }, 20_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('runs the typed handler once for a signed delivery, and answers the copy 200 duplicate', async () => {
    const delivery = liveDelivery();
    const send = () =>
      fetch(url, { method: 'POST', headers: delivery.headers, body: delivery.body });
    const first = await send();
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ ok: true });
    const copy = await send();
    expect(copy.status).toBe(200);
    expect(await copy.json()).toEqual({ ok: true, duplicate: true });
    const line = `st_hono went live at 2026-11-27T12:00:00.000Z (cloud) — delivery ${delivery.id}`;
    await expect.poll(() => server.output()).toContain(line);
    expect(server.output().split(line)).toHaveLength(2); // once
  });

  it('answers 401 to a forged delivery and reports it through onError', async () => {
    const delivery = liveDelivery('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw');
    const res = await fetch(url, {
      method: 'POST',
      headers: delivery.headers,
      body: delivery.body,
    });
    expect(res.status).toBe(401);
    await expect.poll(() => server.output()).toContain('webhook INVALID_SIGNATURE (401)');
  });

  it('answers 405 with Allow: POST on the webhook path, and serves its own routes', async () => {
    const res = await fetch(url);
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
    expect(await (await fetch(url.replace('/webhooks/trax', '/health'))).json()).toEqual({
      ok: true,
    });
  });
});
