// The example under `next build` + `next start`, as it ships: a real Next.js server process,
// its Node.js route (/webhooks/trax) and its edge route (/webhooks/trax-edge, Web Crypto).
// The build takes about 10–30 s here, well inside CI's time.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { signDelivery } from '@trax-webhooks/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const exampleDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const next = join(exampleDir, 'node_modules/.bin/next');
const SECRET = 'whsec_dGhpcyBpcyBhbm90aGVyIHNlY3JldCBrZXk=';
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1', TRAX_WEBHOOK_SECRET: SECRET };

const liveDelivery = (studioId: string, secret = SECRET) =>
  signDelivery({
    secret,
    payload: {
      type: 'stream.live',
      timestamp: new Date().toISOString(),
      data: {
        studioId,
        encoderStreamId: 'e',
        liveStartedAt: '2026-11-27T12:00:00.000Z',
        mode: 'cloud',
      },
    },
  });

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

describe('examples/nextjs under next build + next start', () => {
  let server: ChildProcess;
  let origin: string;
  let output = '';

  beforeAll(async () => {
    await promisify(execFile)(next, ['build'], { cwd: exampleDir, env, timeout: 150_000 });
    const port = await freePort();
    server = spawn(next, ['start', '-H', '127.0.0.1', '-p', String(port)], {
      cwd: exampleDir,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const stream of [server.stdout!, server.stderr!])
      stream.setEncoding('utf8').on('data', (text: string) => {
        output += text;
      });
    origin = `http://127.0.0.1:${port}`;
    for (let waited = 0; !/Ready in/.test(output); waited += 100) {
      if (server.exitCode !== null || waited > 30_000)
        throw new Error(`next start failed:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }, 180_000);
  afterAll(async () => {
    if (server && server.exitCode === null) {
      server.kill('SIGTERM');
      await once(server, 'exit');
    }
  });

  for (const route of ['/webhooks/trax', '/webhooks/trax-edge']) {
    describe(route, () => {
      it('runs the handler once for a signed delivery, and answers the copy 200 duplicate', async () => {
        const delivery = liveDelivery(`st_next${route.endsWith('edge') ? '_edge' : ''}`);
        const send = () =>
          fetch(origin + route, { method: 'POST', headers: delivery.headers, body: delivery.body });
        const first = await send();
        expect(first.status).toBe(200);
        expect(await first.json()).toEqual({ ok: true });
        const copy = await send();
        expect(await copy.json()).toEqual({ ok: true, duplicate: true });
        const line = `went live at 2026-11-27T12:00:00.000Z — ${delivery.id}`;
        await expect.poll(() => output).toContain(line);
        expect(output.split(line)).toHaveLength(2);
      });

      it('answers 401 to a forged delivery and 400 to a missing header', async () => {
        const forged = liveDelivery('st_x', 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw');
        const res = await fetch(origin + route, {
          method: 'POST',
          headers: forged.headers,
          body: forged.body,
        });
        expect(res.status).toBe(401);
        expect(await res.json()).toMatchObject({ error: { code: 'INVALID_SIGNATURE' } });
        const { 'webhook-signature': _, ...unsigned } = forged.headers;
        const missing = await fetch(origin + route, {
          method: 'POST',
          headers: unsigned,
          body: forged.body,
        });
        expect(missing.status).toBe(400);
      });
    });
  }
});
