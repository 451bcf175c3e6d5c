// The server without a browser: its flags, its event stream and its feeds. These run where no
// Chromium is installed too.
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { signDelivery } from '@trax-webhooks/core';
import { type MockTraxApi, startMockTraxApi } from '@trax-webhooks/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startExampleProcess } from '../../../test-support/example-process.js';
import {
  exampleDir,
  flipStudio,
  type RunningDashboard,
  readServerSnapshot,
  SECRET,
  startDashboard,
} from './dashboard-page.js';

const run = promisify(execFile);
const tsx = join(exampleDir, 'node_modules/.bin/tsx');

/** Runs the server to completion (for flags that make it exit); never rejects. */
async function runServer(args: string[], env: Record<string, string> = {}) {
  const clean = { PATH: process.env.PATH ?? '', ...env };
  try {
    const { stdout, stderr } = await run(tsx, ['server.ts', ...args], {
      cwd: exampleDir,
      env: clean,
      timeout: 20_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const { code, stdout, stderr } = error as { code: number; stdout: string; stderr: string };
    return { code, stdout, stderr };
  }
}

/** Reads Server-Sent Events from `url` until `count` events arrived. */
async function readEvents(url: string, count: number, onOpen?: () => Promise<unknown>) {
  const controller = new AbortController();
  const res = await fetch(url, { signal: controller.signal });
  expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
  const events: { event: string; data: unknown }[] = [];
  const decoder = new TextDecoder();
  let buffer = '';
  let opened = false;
  const reader = res.body!.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let end = buffer.indexOf('\n\n');
    while (end !== -1) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (event && data) events.push({ event, data: JSON.parse(data) });
      end = buffer.indexOf('\n\n');
    }
    if (!opened && events.length > 0 && onOpen) {
      opened = true;
      await onOpen();
    }
    if (events.length >= count) break;
  }
  controller.abort();
  return events;
}

describe('pnpm dashboard', () => {
  it('starts the dashboard from the repository root and prints its URL', async () => {
    // As a user types it: the root script, with flags after `--`. In its own process group, so
    // stopping it stops pnpm, tsx and the server together.
    const child = spawn(
      'npx',
      ['-y', 'pnpm@10.34.9', 'dashboard', '--', '--port', '0', '--mock-port', '0'],
      {
        cwd: join(exampleDir, '../..'),
        env: { ...process.env, NO_COLOR: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      },
    );
    let output = '';
    for (const stream of [child.stdout, child.stderr])
      stream.setEncoding('utf8').on('data', (text: string) => (output += text));
    const exited = once(child, 'exit');
    try {
      await expect
        .poll(() => output, { timeout: 60_000, interval: 100 })
        .toMatch(/TRaX go-live dashboard: http:\/\/127\.0\.0\.1:\d+\//);
      const url = /TRaX go-live dashboard: (\S+)/.exec(output)![1]!;
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<title>TRaX go-live dashboard</title>');
      expect(output).toMatch(/curl -X POST http:\/\/127\.0\.0\.1:\d+\/_mock\/studios\/st_1\/live/);
    } finally {
      process.kill(-child.pid!, 'SIGTERM');
      await exited;
    }
  }, 90_000);
});

describe('examples/dashboard: flags', () => {
  it('prints its help and exits 0', async () => {
    const { code, stdout } = await runServer(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('--feed <poll|forward|trax>');
  });

  it('refuses an unknown feed with exit code 2, naming the flag', async () => {
    const { code, stderr } = await runServer(['--feed', 'carrier-pigeon']);
    expect(code).toBe(2);
    expect(stderr).toContain('--feed must be poll, forward or trax');
  });

  it('refuses --feed trax without TRAX_WEBHOOK_SECRET or a studio, and never echoes the key', async () => {
    const noSecret = await runServer(['--feed', 'trax', '--studio', 'st_1'], {
      TRAX_API_KEY: 'sk_live_not_echoed',
    });
    expect(noSecret.code).toBe(2);
    expect(noSecret.stderr).toContain('--feed trax needs TRAX_WEBHOOK_SECRET');
    expect(noSecret.stderr + noSecret.stdout).not.toContain('sk_live_not_echoed');
    const noStudio = await runServer(['--feed', 'trax'], { TRAX_WEBHOOK_SECRET: SECRET });
    expect(noStudio.code).toBe(2);
    expect(noStudio.stderr).toContain('--feed trax needs at least one --studio');
  });
});

describe('examples/dashboard: the event stream', () => {
  let dashboard: RunningDashboard;

  beforeAll(async () => {
    dashboard = await startDashboard(['--studio', 'st_sse', '--interval', '200ms']);
  }, 30_000);
  afterAll(async () => {
    await dashboard?.process.stop();
  });

  it('starts every connection with a snapshot, then sends each change as the handlers fire', async () => {
    const events = await readEvents(new URL('/events', dashboard.url).href, 3, () =>
      flipStudio(dashboard.apiUrl, 'st_sse', 'live'),
    );
    expect(events.map((e) => e.event)).toEqual(['snapshot', 'studio', 'log']);
    expect(events[0]!.data).toMatchObject({
      studios: [{ studioId: 'st_sse', status: 'unknown' }],
      log: [],
      counts: { delivered: 0, duplicates: 0, rejected: 0 },
    });
    expect(events[1]!.data).toMatchObject({
      kind: 'studio',
      studio: { studioId: 'st_sse', status: 'live', source: 'poll' },
    });
    expect(events[2]!.data).toMatchObject({
      kind: 'log',
      entry: { type: 'stream.live', studioId: 'st_sse', source: 'poll', outcome: 'delivered' },
      counts: { delivered: 1, duplicates: 0, rejected: 0 },
    });
    // A page connecting now starts where the first one ended.
    const [snapshot] = await readEvents(new URL('/events', dashboard.url).href, 1);
    expect(snapshot!.data).toMatchObject({
      studios: [{ studioId: 'st_sse', status: 'live' }],
      counts: { delivered: 1 },
    });
  }, 15_000);

  it('logs a failed poll, and never reads it as offline', async () => {
    // The studio went live in the test above; now its stream-status answers 503, once.
    const fault = await fetch(`${dashboard.apiUrl}/_mock/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        studioId: 'st_sse',
        times: 1,
        fault: { type: 'status', status: 503 },
      }),
    });
    expect(fault.status).toBeLessThan(300);
    await expect
      .poll(async () => (await readServerSnapshot(dashboard.url)).log[0], { timeout: 5_000 })
      .toMatchObject({
        outcome: 'failed',
        code: 'POLL_FAILED',
        studioId: 'st_sse',
        source: 'poll',
      });
    const snapshot = await readServerSnapshot(dashboard.url);
    expect(snapshot.studios[0]).toMatchObject({ studioId: 'st_sse', status: 'live' });
    expect(snapshot.counts).toEqual({ delivered: 1, duplicates: 0, rejected: 0 });
  });

  it('cuts every stream on POST /_dashboard/drop-sse, and refuses new ones for refuseMs', async () => {
    const streamUrl = new URL('/events', dashboard.url);
    const cut = await fetch(new URL('/_dashboard/drop-sse?refuseMs=60000', dashboard.url), {
      method: 'POST',
    });
    expect(cut.status).toBe(200);
    const refused = await fetch(streamUrl);
    expect(refused.status).toBe(503);
    await fetch(new URL('/_dashboard/drop-sse?refuseMs=0', dashboard.url), { method: 'POST' });
    const back = await fetch(streamUrl);
    expect(back.status).toBe(200);
    await back.body?.cancel();
    const bad = await fetch(new URL('/_dashboard/drop-sse?refuseMs=soon', dashboard.url), {
      method: 'POST',
    });
    expect(bad.status).toBe(400);
  });
});

describe('examples/dashboard: --feed trax', () => {
  let api: MockTraxApi;
  let dashboard: ReturnType<typeof startExampleProcess> | undefined;
  beforeAll(async () => {
    api = await startMockTraxApi({ apiKeys: ['sk_test_trax_feed'] });
  });
  afterEach(async () => {
    await dashboard?.stop();
  });
  afterAll(async () => {
    await api?.close();
  });

  it('takes real signed webhooks only, without an API key, and serves no test controls', async () => {
    dashboard = startExampleProcess(exampleDir, 'server.ts', { TRAX_WEBHOOK_SECRET: SECRET }, [
      '--feed',
      'trax',
      '--studio',
      'st_real',
      '--port',
      '0',
    ]);
    const url = (await dashboard.waitFor(/TRaX go-live dashboard: (\S+)/))[1]!;
    await dashboard.waitFor(/TRAX_API_KEY is not set: showing webhooks only/);
    const delivery = signDelivery({
      secret: SECRET,
      payload: {
        type: 'stream.live',
        timestamp: new Date().toISOString(),
        data: {
          studioId: 'st_real',
          encoderStreamId: 'enc_real',
          liveStartedAt: '2026-12-01T09:00:00.000Z',
          mode: 'cloud',
        },
      },
    });
    const res = await fetch(new URL('/webhooks/trax', url), {
      method: 'POST',
      headers: delivery.headers,
      body: delivery.body,
    });
    expect(res.status).toBe(200);
    const snapshot = await readServerSnapshot(url);
    expect(snapshot.feed).toBe('TRaX webhooks');
    expect(snapshot.studios).toEqual([
      expect.objectContaining({ studioId: 'st_real', status: 'live', source: 'webhook' }),
    ]);
    const control = await fetch(new URL('/_dashboard/drop-sse', url), { method: 'POST' });
    expect(control.status).toBe(404);
  }, 30_000);

  it('polls stream-status with TRAX_API_KEY beside the webhooks', async () => {
    dashboard = startExampleProcess(
      exampleDir,
      'server.ts',
      { TRAX_WEBHOOK_SECRET: SECRET, TRAX_API_KEY: 'sk_test_trax_feed' },
      [
        '--feed',
        'trax',
        '--studio',
        'st_polled',
        '--port',
        '0',
        '--base-url',
        api.url,
        '--interval',
        '200ms',
      ],
    );
    const url = (await dashboard.waitFor(/TRaX go-live dashboard: (\S+)/))[1]!;
    expect(dashboard.output()).not.toContain('sk_test_trax_feed');
    api.goLive('st_polled', { encoderStreamId: 'enc_polled' });
    await expect
      .poll(async () => (await readServerSnapshot(url)).studios[0], { timeout: 5_000 })
      .toMatchObject({ status: 'live', source: 'poll', encoderStreamId: 'enc_polled' });
    expect((await readServerSnapshot(url)).feed).toBe(
      'TRaX webhooks + stream-status polled every 200ms',
    );
  }, 30_000);

  it('shows a transition that arrives both polled and pushed once, and counts the second copy as a duplicate', async () => {
    dashboard = startExampleProcess(
      exampleDir,
      'server.ts',
      { TRAX_WEBHOOK_SECRET: SECRET, TRAX_API_KEY: 'sk_test_trax_feed' },
      [
        '--feed',
        'trax',
        '--studio',
        'st_both',
        '--port',
        '0',
        '--base-url',
        api.url,
        '--interval',
        '200ms',
      ],
    );
    const url = (await dashboard.waitFor(/TRaX go-live dashboard: (\S+)/))[1]!;
    const status = api.goLive('st_both', { encoderStreamId: 'enc_both' });
    // TRaX's own webhook for the same session (a different delivery id, the same content).
    const webhook = signDelivery({
      secret: SECRET,
      payload: {
        type: 'stream.live',
        timestamp: new Date().toISOString(),
        data: {
          studioId: 'st_both',
          encoderStreamId: status.encoderStreamId!,
          liveStartedAt: status.liveStartedAt!,
          mode: 'cloud',
        },
      },
    });
    const res = await fetch(new URL('/webhooks/trax', url), {
      method: 'POST',
      headers: webhook.headers,
      body: webhook.body,
    });
    expect(res.status).toBe(200);
    // Whichever copy came first ran the handlers; the other was dropped.
    await expect
      .poll(async () => (await readServerSnapshot(url)).counts, { timeout: 5_000 })
      .toEqual({ delivered: 1, duplicates: 1, rejected: 0 });
    const { log } = await readServerSnapshot(url);
    expect(log.map((e) => [e.type, e.outcome]).sort()).toEqual([
      ['stream.live', 'delivered'],
      ['stream.live', 'duplicate'],
    ]);
    expect(new Set(log.map((e) => e.source))).toEqual(new Set(['poll', 'webhook']));
  }, 30_000);
});
