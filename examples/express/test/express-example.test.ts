import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { signDelivery } from '@trax-webhooks/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ExampleProcess, startExampleProcess } from '../../../test-support/example-process.js';

const exampleDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const SECRET = 'whsec_dGhpcyBpcyBhbm90aGVyIHNlY3JldCBrZXk=';

/** Runs `pnpm start`'s command (tsx server.ts) as a real process on a free port. */
describe('examples/express: the runnable server', () => {
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

  it('runs the typed stream.live handler for a signed delivery', async () => {
    const delivery = signDelivery({
      secret: SECRET,
      payload: {
        type: 'stream.live',
        timestamp: new Date().toISOString(),
        data: {
          studioId: 'st_example',
          encoderStreamId: 'enc_9',
          liveStartedAt: '2026-11-27T12:00:00.000Z',
          mode: 'cloud',
        },
      },
    });
    const res = await fetch(url, {
      method: 'POST',
      headers: delivery.headers,
      body: delivery.body,
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
    await expect
      .poll(() => server.output())
      .toContain(
        `st_example went live at 2026-11-27T12:00:00.000Z (cloud, encoder enc_9) — delivery ${delivery.id}`,
      );
    expect(server.output()).toContain('event stream.live for st_example');
  });

  it('reports a forged delivery through onError and answers 401', async () => {
    const delivery = signDelivery({
      secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
      payload: {
        type: 'stream.offline',
        timestamp: new Date().toISOString(),
        data: { studioId: 'st_x', endedAt: 'now' },
      },
    });
    const res = await fetch(url, {
      method: 'POST',
      headers: delivery.headers,
      body: delivery.body,
    });
    expect(res.status).toBe(401);
    await expect.poll(() => server.output()).toContain('webhook INVALID_SIGNATURE (401)');
  });

  it('still serves its own routes', async () => {
    const res = await fetch(url.replace('/webhooks/trax', '/health'));
    expect(await res.json()).toEqual({ ok: true });
  });
});
