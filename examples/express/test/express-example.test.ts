import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { signDelivery } from '@trax-webhooks/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const exampleDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const SECRET = 'whsec_dGhpcyBpcyBhbm90aGVyIHNlY3JldCBrZXk=';

/** Runs `pnpm start`'s command (tsx server.ts) as a real process on a free port. */
describe('examples/express: the runnable server', () => {
  let child: ChildProcess;
  let url: string;
  let output = '';

  beforeAll(async () => {
    child = spawn(join(exampleDir, 'node_modules/.bin/tsx'), ['server.ts'], {
      cwd: exampleDir,
      env: { ...process.env, PORT: '0', TRAX_WEBHOOK_SECRET: SECRET },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.setEncoding('utf8').on('data', (text: string) => {
      output += text;
    });
    child.stderr?.setEncoding('utf8').on('data', (text: string) => {
      output += text;
    });
    const started = Date.now();
    while (!/listening on (\S+)/.test(output)) {
      if (child.exitCode !== null || Date.now() - started > 15_000)
        throw new Error(`server did not start:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    url = /listening on (\S+)/.exec(output)![1]!;
  }, 20_000);

  afterAll(async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
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
      .poll(() => output)
      .toContain(
        `st_example went live at 2026-11-27T12:00:00.000Z (cloud, encoder enc_9) — delivery ${delivery.id}`,
      );
    expect(output).toContain('event stream.live for st_example');
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
    await expect.poll(() => output).toContain('webhook INVALID_SIGNATURE (401)');
  });

  it('still serves its own routes', async () => {
    const res = await fetch(url.replace('/webhooks/trax', '/health'));
    expect(await res.json()).toEqual({ ok: true });
  });
});
