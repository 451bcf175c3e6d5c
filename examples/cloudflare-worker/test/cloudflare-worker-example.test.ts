// The example Worker, bundled like wrangler bundles it, running in workerd (through
// miniflare, a real workerd process) with wrangler.toml's compatibility date and no flags.
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { signDelivery } from '@trax-webhooks/core';
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWorker } from '../build.mjs';

const exampleDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const SECRET = 'whsec_dGhpcyBpcyBhbm90aGVyIHNlY3JldCBrZXk=';
const wrangler = readFileSync(join(exampleDir, 'wrangler.toml'), 'utf8');

const liveDelivery = (secret = SECRET) =>
  signDelivery({
    secret,
    payload: {
      type: 'stream.live',
      timestamp: new Date().toISOString(),
      data: {
        studioId: 'st_edge',
        encoderStreamId: 'e',
        liveStartedAt: '2026-11-27T12:00:00.000Z',
        mode: 'cloud',
      },
    },
  });

describe('examples/cloudflare-worker in workerd, as wrangler.toml configures it', () => {
  let mf: Miniflare;
  let url: string;
  let dir: string;
  const logs: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'trax-worker-example-'));
    const outfile = join(dir, 'worker.js');
    await buildWorker({ outfile });
    mf = new Miniflare({
      modules: true,
      scriptPath: outfile,
      modulesRoot: dir,
      compatibilityDate: /^compatibility_date = "([\d-]+)"$/m.exec(wrangler)![1]!,
      compatibilityFlags: [],
      bindings: { TRAX_WEBHOOK_SECRET: SECRET },
      host: '127.0.0.1',
      port: 0,
      handleRuntimeStdio(stdout: Readable, stderr: Readable) {
        for (const stream of [stdout, stderr])
          stream.on('data', (chunk: Buffer) => logs.push(String(chunk)));
      },
    });
    url = new URL('/webhooks/trax', await mf.ready).href;
  }, 60_000);
  afterAll(async () => {
    await mf?.dispose();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('has no nodejs_compat and no compatibility flags', () => {
    expect(wrangler).not.toMatch(/^compatibility_flags/m);
    expect(wrangler).not.toContain('nodejs_compat =');
  });

  it('verifies and handles a signed delivery once, and answers the copy 200 duplicate', async () => {
    const delivery = liveDelivery();
    const send = () =>
      fetch(url, { method: 'POST', headers: delivery.headers, body: delivery.body });
    expect((await send()).status).toBe(200);
    const copy = await send();
    expect(copy.status).toBe(200);
    expect(await copy.json()).toEqual({ ok: true, duplicate: true });
    const line = `st_edge went live at 2026-11-27T12:00:00.000Z — ${delivery.id}`;
    await expect.poll(() => logs.join('')).toContain(line);
    expect(logs.join('').split(line)).toHaveLength(2);
  });

  it('answers 401 to a forged delivery, 400 to a missing header and 405 to GET', async () => {
    const forged = liveDelivery('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw');
    expect(
      (await fetch(url, { method: 'POST', headers: forged.headers, body: forged.body })).status,
    ).toBe(401);
    const { 'webhook-id': _, ...noId } = liveDelivery().headers;
    expect((await fetch(url, { method: 'POST', headers: noId, body: '{}' })).status).toBe(400);
    const get = await fetch(url);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
  });
});
