// The same signed deliveries, verified and handled by createWebHandler in real runtimes run as
// real processes: Bun (`Bun.serve({ fetch })`), Deno (`Deno.serve(handler)`) and Cloudflare's
// workerd through miniflare (`export default { fetch }`, a compatibility date before
// nodejs_compat existed and no flags: no `node:*`, no `Buffer`). Each runtime comes from an
// npm devDependency (`bun`, `deno`, `miniflare`), so `pnpm install` brings all three.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signDelivery } from '@trax-webhooks/core';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveEvent, SECRET } from '../../../test-support/fixtures.js';
import { type ServedApp, serveWith } from './runtime-process.js';

const here = import.meta.dirname;
const packageDir = join(here, '..');
const bin = (name: string) => join(packageDir, 'node_modules/.bin', name);
const BODY_LIMIT = 64 * 1024; // runtimes/app.mjs

/** Before nodejs_compat (2024-09) and its defaults: the bare Workers runtime. */
const WORKERD_COMPATIBILITY_DATE = '2024-01-01';

const runtimes: Record<string, () => Promise<ServedApp>> = {
  bun: () => serveWith(bin('bun'), ['runtimes/bun-server.mjs'], here),
  deno: () =>
    serveWith(
      bin('deno'),
      ['run', '--allow-net=127.0.0.1', '--allow-read', '--allow-env', 'runtimes/deno-server.mjs'],
      here,
    ),
  workerd: async () => {
    // Bundled as wrangler would: esbuild, the workerd/worker/browser conditions, no Node.
    const dir = await mkdtemp(join(tmpdir(), 'trax-web-workerd-'));
    const outfile = join(dir, 'worker.mjs');
    await build({
      entryPoints: [join(here, 'runtimes/worker.mjs')],
      bundle: true,
      format: 'esm',
      platform: 'neutral',
      conditions: ['workerd', 'worker', 'browser'],
      mainFields: ['module', 'main'],
      outfile,
      logLevel: 'silent',
    });
    const mf = new Miniflare({
      modules: true,
      scriptPath: outfile,
      modulesRoot: dir,
      compatibilityDate: WORKERD_COMPATIBILITY_DATE,
      compatibilityFlags: [],
      host: '127.0.0.1',
      port: 0,
    });
    const url = await mf.ready;
    return {
      url: url.origin,
      async stop() {
        await mf.dispose();
        await rm(dir, { recursive: true, force: true });
      },
    };
  },
};

describe.each(Object.keys(runtimes))('createWebHandler in %s, a real process', (runtime) => {
  let app: ServedApp;
  beforeAll(async () => {
    if (!existsSync(join(packageDir, 'dist/index.js')))
      throw new Error('build first: the runtimes serve the built package (pnpm build)');
    app = await runtimes[runtime]!();
  });
  afterAll(() => app?.stop());

  const post = (path: string, headers: Record<string, string>, body: RequestInit['body']) =>
    fetch(`${app.url}${path}`, { method: 'POST', headers, body, duplex: 'half' } as RequestInit);
  const state = async () =>
    (await (await fetch(`${app.url}/__state`)).json()) as {
      runs: Record<string, number>;
      waitUntilCalls: number;
      runtime: { buffer: string; process: string; getBuiltinModule: string };
    };

  it('answers 200 to a signed delivery and runs its handler once; 200 duplicate for the copy', async () => {
    const signed = signDelivery({ secret: SECRET, payload: liveEvent(`st_${runtime}`) });
    const first = await post('/', signed.headers, signed.body);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ ok: true });
    const copy = await post('/', signed.headers, signed.body);
    expect(copy.status).toBe(200);
    expect(await copy.json()).toEqual({ ok: true, duplicate: true });
    expect((await state()).runs[signed.id]).toBe(1);
  });

  it('answers 400 for a missing header and 401 for a forged signature, running nothing', async () => {
    const signed = signDelivery({ secret: SECRET, payload: liveEvent() });
    const { 'webhook-timestamp': _, ...noTimestamp } = signed.headers;
    const missing = await post('/', noTimestamp, signed.body);
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ error: { code: 'MISSING_HEADER' } });
    const forged = await post('/', signed.headers, signed.body.replace('st_1', 'st_2'));
    expect(forged.status).toBe(401);
    expect(await forged.json()).toMatchObject({ error: { code: 'INVALID_SIGNATURE' } });
    expect((await state()).runs[signed.id]).toBeUndefined();
  });

  it('answers 405 with Allow: POST to another method', async () => {
    for (const method of ['GET', 'PUT']) {
      const response = await fetch(`${app.url}/`, { method });
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe('POST');
    }
  });

  it('answers 413 to a body over the limit, declared or streamed', async () => {
    const signed = signDelivery({
      secret: SECRET,
      payload: { ...liveEvent(), padding: 'x'.repeat(BODY_LIMIT) },
    });
    const declared = await post('/', signed.headers, signed.body);
    expect(declared.status).toBe(413);
    expect(await declared.json()).toMatchObject({ error: { code: 'BODY_TOO_LARGE' } });
    // No Content-Length: the limit holds as the body streams in.
    const bytes = new TextEncoder().encode(signed.body);
    const chunked = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let at = 0; at < bytes.length; at += 8192)
          controller.enqueue(bytes.slice(at, at + 8192));
        controller.close();
      },
    });
    const streamed = await post('/', signed.headers, chunked);
    expect(streamed.status).toBe(413);
    expect((await state()).runs[signed.id]).toBeUndefined();
  });

  it('with ack: immediate, answers 202 and runs the handler once after the answer', async () => {
    const signed = signDelivery({ secret: SECRET, payload: liveEvent() });
    const response = await post('/immediate', signed.headers, signed.body);
    expect(response.status).toBe(202);
    let runs: number | undefined;
    for (let i = 0; i < 100 && runs === undefined; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      runs = (await state()).runs[signed.id];
    }
    expect(runs).toBe(1);
  });

  if (runtime === 'workerd') {
    it('runs with no Buffer and no process (Web Crypto), handing background work to ctx.waitUntil', async () => {
      const { runtime: globals, waitUntilCalls } = await state();
      expect(globals).toEqual({
        buffer: 'undefined',
        process: 'undefined',
        getBuiltinModule: 'undefined',
      });
      expect(waitUntilCalls).toBeGreaterThan(0);
    });
  } else {
    it('has node:crypto beside Web Crypto (the synchronous path is the one that runs)', async () => {
      expect((await state()).runtime.getBuiltinModule).toBe('function');
    });
  }
});
