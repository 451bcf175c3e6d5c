import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { signDelivery } from '@trax-webhooks/core';
import { type MockTraxApi, startMockTraxApi } from '@trax-webhooks/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ExampleProcess, startExampleProcess } from '../../../test-support/example-process.js';

const exampleDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const SECRET = 'whsec_dGhpcyBpcyBhbm90aGVyIHNlY3JldCBrZXk=';
const API_KEY = 'sk_live_example_test';

/** Runs `pnpm start`'s command (tsx server.ts) as a real process, polling a mock API of the test's own. */
describe('examples/polling: the Express example’s handlers, fed by the poller', () => {
  let api: MockTraxApi;
  let server: ExampleProcess;
  let url: string;

  beforeAll(async () => {
    api = await startMockTraxApi({ apiKeys: [API_KEY] });
    server = startExampleProcess(exampleDir, 'server.ts', {
      PORT: '0',
      TRAX_WEBHOOK_SECRET: SECRET,
      TRAX_API_KEY: API_KEY,
      TRAX_API_URL: api.url,
      TRAX_STUDIOS: 'st_a,st_b',
      POLL_INTERVAL_MS: '200',
    });
    url = (await server.waitFor(/listening on (\S+)/))[1]!;
  }, 20_000);

  afterAll(async () => {
    await server?.stop();
    await api?.close();
  });

  it('a studio going live and offline on the API reaches the handlers as [poll] events', async () => {
    const session = api.goLive('st_a', { encoderStreamId: 'enc_example' });
    await server.waitFor(
      new RegExp(
        `\\[poll\\] st_a went live at ${session.liveStartedAt} \\(cloud, encoder enc_example\\) — delivery poll_[0-9a-f]{32}`,
      ),
    );
    api.goOffline('st_a');
    await server.waitFor(
      new RegExp(
        `\\[poll\\] st_a went offline at \\S+ \\(session from ${session.liveStartedAt}\\)`,
      ),
    );
    expect(server.output()).not.toMatch(/st_b went/);
  }, 20_000);

  it('the same server still takes signed webhooks: both sources reach the same handlers', async () => {
    const body = JSON.stringify({
      type: 'stream.live',
      timestamp: new Date().toISOString(),
      data: {
        studioId: 'st_b',
        encoderStreamId: 'enc_pushed',
        liveStartedAt: '2026-11-27T12:00:00.000Z',
        mode: 'cloud',
      },
    });
    const delivery = signDelivery({ secret: SECRET, id: 'msg_example_1', payload: body });
    const response = await fetch(url, {
      method: 'POST',
      headers: delivery.headers,
      body: delivery.body,
    });
    expect(response.status).toBe(200);
    await server.waitFor(
      /\[webhook\] st_b went live at 2026-11-27T12:00:00.000Z \(cloud, encoder enc_pushed\) — delivery msg_example_1/,
    );
  });

  it('stops cleanly on SIGTERM (the poller first, then the server)', async () => {
    expect(await server.stop()).toBe(0);
  });
});
