import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type AnyTraxEvent, createTraxWebhooks, type TraxWebhookError } from '@trax-webhooks/core';
import { type PollStreamStatusOptions, pollStreamStatus } from '@trax-webhooks/poller';
import { type MockTraxApi, startMockTraxApi } from '@trax-webhooks/testing';
import { Agent, type Dispatcher, request } from 'undici';
import { afterEach, describe, expect, it, vi } from 'vitest';

/** Which HTTP client carries the requests, against the real mock TRaX API over loopback. */
const KEY = 'sk_live_http_client';
let api: MockTraxApi | undefined;
const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  vi.restoreAllMocks();
  while (cleanups.length > 0) await cleanups.pop()!();
  await api?.close();
  api = undefined;
});

async function start(options: Partial<PollStreamStatusOptions>, baseUrl?: string) {
  api ??= await startMockTraxApi({ apiKeys: [KEY], port: 0 });
  const webhooks = createTraxWebhooks({ secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' });
  const events: AnyTraxEvent[] = [];
  const errors: TraxWebhookError[] = [];
  webhooks.onAny((event) => {
    events.push(event);
  });
  webhooks.onError((error) => {
    errors.push(error);
  });
  const poller = pollStreamStatus(webhooks, {
    apiKey: KEY,
    studios: ['st_1', 'st_2'],
    baseUrl: baseUrl ?? api.url,
    intervalMs: 50,
    random: () => 0,
    maxBackoffMs: 100,
    ...options,
  });
  cleanups.push(() => poller.stop());
  return { api, poller, events, errors };
}

async function until(check: () => boolean, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** An undici Agent that counts the requests dispatched through it. */
function countingAgent() {
  const agent = new Agent();
  const counted = { requests: 0 };
  const dispatcher: Dispatcher = agent.compose((dispatch) => (options, handler) => {
    counted.requests++;
    return dispatch(options, handler);
  });
  cleanups.push(() => agent.close());
  return { dispatcher, counted };
}

describe('the HTTP client', () => {
  it('by default is an undici pool of its own, not the global fetch', async () => {
    const globalFetch = vi.spyOn(globalThis, 'fetch');
    const { api, poller, events } = await start({});
    api.goLive('st_1');
    await until(() => events.length === 1 && api.requests.length >= 6);
    await poller.stop();
    expect(events[0]!.type).toBe('stream.live');
    expect(globalFetch).not.toHaveBeenCalled();
  });

  it('stop() closes its own pool: no socket is left open to the API', async () => {
    const { api, poller } = await start({ concurrency: 4 });
    await until(() => api.requests.length >= 6);
    const sockets = () => process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap');
    expect(sockets().length).toBeGreaterThan(0);
    await poller.stop();
    // A pooled keep-alive socket left open would stay for undici's keep-alive timeout (4 s),
    // holding the process open; closed, both ends are gone at once (the server's included).
    await until(() => sockets().length === 0, 1000);
  });

  it('with the fetch option, sends every request through that fetch', async () => {
    let calls = 0;
    const { api, poller, events } = await start({
      fetch: (url, init) => {
        calls++;
        return globalThis.fetch(url, init);
      },
    });
    api.goLive('st_2');
    await until(() => events.length === 1 && api.requests.length >= 6);
    await poller.stop();
    expect(events[0]!.data.studioId).toBe('st_2');
    expect(calls).toBe(api.requests.length);
  });

  it('with the dispatcher option, sends every request through it and leaves it open', async () => {
    const { dispatcher, counted } = countingAgent();
    const { api, poller, events } = await start({ dispatcher });
    api.goLive('st_1');
    await until(() => events.length === 1 && api.requests.length >= 6);
    await poller.stop();
    expect(counted.requests).toBe(api.requests.length);
    // Still usable: the poller closes only what it opened.
    const after = await request(`${api.url}/v1/studios/st_1/stream-status`, {
      dispatcher,
      headers: { authorization: `Bearer ${KEY}` },
    });
    expect(after.statusCode).toBe(200);
    await after.body.dump();
  });

  it('a baseUrl with a path prefix keeps the prefix (a gateway in front of the API)', async () => {
    const { dispatcher } = countingAgent();
    const seen: string[] = [];
    const prefixed = dispatcher.compose((dispatch) => (options, handler) => {
      seen.push(`${options.origin}${options.path}`);
      return dispatch(options, handler);
    });
    const { errors } = await start({ dispatcher: prefixed }, 'http://127.0.0.1:9/gateway/trax/');
    await until(() => errors.length >= 1);
    expect(seen[0]).toBe('http://127.0.0.1:9/gateway/trax/v1/studios/st_1/stream-status');
  });

  it('a refused connection is POLL_FAILED, naming ECONNREFUSED, never offline', async () => {
    // A port that was free a moment ago: nothing listens on it.
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    const { events, errors } = await start({}, `http://127.0.0.1:${port}`);
    await until(() => errors.length >= 2);
    expect(events).toEqual([]);
    expect(errors[0]!.code).toBe('POLL_FAILED');
    expect(errors[0]!.studioId).toMatch(/^st_/);
    expect(errors[0]!.message).toMatch(/request failed: .*ECONNREFUSED/);
    expect(errors[0]!.message).not.toContain(KEY);
  });

  it('leaves the global fetch its own dispatcher (undici 7 would install its Agent on load)', async () => {
    // A fresh process, where nothing has called fetch yet: the case undici 7 fills in.
    api ??= await startMockTraxApi({ apiKeys: [KEY], port: 0 });
    const script = `
      import { createTraxWebhooks } from '@trax-webhooks/core';
      import { pollStreamStatus } from '@trax-webhooks/poller';
      const webhooks = createTraxWebhooks({ secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' });
      const poller = pollStreamStatus(webhooks, { apiKey: '${KEY}', studios: ['st_1'], baseUrl: '${api.url}', intervalMs: 50, random: () => 0 });
      while (poller.stats().requests === 0) await new Promise((r) => setTimeout(r, 5));
      await poller.stop();
      const { Agent } = await import('undici');
      const dispatcher = globalThis[Symbol.for('undici.globalDispatcher.1')];
      console.log(JSON.stringify({ set: dispatcher !== undefined, undici7: dispatcher instanceof Agent }));
    `;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--input-type=module', '-e', script],
      { cwd: fileURLToPath(new URL('..', import.meta.url)) },
    );
    expect(JSON.parse(stdout)).toEqual({ set: true, undici7: false });
  });
});
