import { type MockTraxApi, startMockTraxApi } from '@trax-webhooks/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const KEY = 'sk_test_123';
let api: MockTraxApi;

function getStatus(studioId: string, key: string | null = KEY) {
  return fetch(`${api.url}/v1/studios/${studioId}/stream-status`, {
    headers: key === null ? {} : { authorization: `Bearer ${key}` },
  });
}

beforeEach(async () => {
  api = await startMockTraxApi({ apiKeys: [KEY] });
});
afterEach(async () => {
  vi.useRealTimers();
  await api.close();
});

describe('stream-status', () => {
  it('answers a live studio with the stream-status shape', async () => {
    const status = api.goLive('st_1', {
      encoderStreamId: 'enc_1',
      liveStartedAt: '2026-11-27T12:00:00.000Z',
    });
    const res = await getStatus('st_1');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      live: true,
      encoderStreamId: 'enc_1',
      liveStartedAt: '2026-11-27T12:00:00.000Z',
      mode: 'cloud',
    });
    expect(status).toEqual(api.status('st_1'));
  });

  it('answers a studio it has never seen as offline, with null fields', async () => {
    const res = await getStatus('st_never');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      live: false,
      encoderStreamId: null,
      liveStartedAt: null,
      mode: null,
    });
  });

  it('answers offline after goOffline', async () => {
    api.goLive('st_1');
    api.goOffline('st_1');
    expect(await (await getStatus('st_1')).json()).toMatchObject({
      live: false,
      liveStartedAt: null,
    });
  });

  it('keeps the live session when goLive is called again without changes, and replaces what is given', () => {
    const first = api.goLive('st_1');
    expect(api.goLive('st_1')).toEqual(first);
    const restarted = api.goLive('st_1', { liveStartedAt: new Date('2026-11-27T13:00:00Z') });
    expect(restarted.liveStartedAt).toBe('2026-11-27T13:00:00.000Z');
    expect(restarted.encoderStreamId).toBe(first.encoderStreamId);
  });

  it('answers 404 only for a studio removed with removeStudio, until it is used again', async () => {
    api.goLive('st_gone');
    api.removeStudio('st_gone');
    const res = await getStatus('st_gone');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      error: { code: 'not_found', message: 'Studio st_gone does not exist.' },
    });
    api.goOffline('st_gone');
    expect((await getStatus('st_gone')).status).toBe(200);
  });

  it('answers 404 for other paths and 405 for other methods', async () => {
    const auth = { authorization: `Bearer ${KEY}` };
    expect((await fetch(`${api.url}/v1/studios`, { headers: auth })).status).toBe(404);
    expect(
      (await fetch(`${api.url}/v1/studios/st_1/stream-status`, { method: 'POST', headers: auth }))
        .status,
    ).toBe(405);
  });
});

describe('auth', () => {
  it('answers 401 with a JSON error without a bearer key', async () => {
    const res = await getStatus('st_1', null);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: 'unauthorized' } });
  });

  it('answers 401 for a key it does not know, without echoing it', async () => {
    const res = await getStatus('st_1', 'sk_live_wrongwrong');
    expect(res.status).toBe(401);
    expect(await res.text()).not.toContain('sk_live_wrongwrong');
  });

  it('records requests without the key', async () => {
    await getStatus('st_1');
    await getStatus('st_1', 'sk_live_wrongwrong');
    expect(api.requests.map((r) => [r.method, r.path, r.studioId, r.status])).toEqual([
      ['GET', '/v1/studios/st_1/stream-status', 'st_1', 200],
      ['GET', '/v1/studios/st_1/stream-status', 'st_1', 401],
    ]);
    expect(api.requests[0]!.at).toBeInstanceOf(Date);
    expect(JSON.stringify(api.requests)).not.toContain('sk_');
  });
});

describe('rate limit', () => {
  it('answers 429 with Retry-After and X-RateLimit headers over the limit, and resets after the window', async () => {
    await api.close();
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-11-27T12:00:00.200Z'));
    api = await startMockTraxApi({ apiKeys: [KEY], rateLimit: { limit: 2, windowMs: 10_000 } });
    const first = await getStatus('st_1');
    expect(first.headers.get('x-ratelimit-limit')).toBe('2');
    expect(first.headers.get('x-ratelimit-remaining')).toBe('1');
    expect(first.headers.get('x-ratelimit-reset')).toBe(
      String(Math.ceil(Date.parse('2026-11-27T12:00:10.200Z') / 1000)),
    );
    expect((await getStatus('st_1')).status).toBe(200);
    const limited = await getStatus('st_2');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('10');
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(await limited.json()).toMatchObject({ error: { code: 'rate_limited' } });
    vi.setSystemTime(new Date('2026-11-27T12:00:10.200Z'));
    expect((await getStatus('st_1')).status).toBe(200);
  });

  it('counts each key separately', async () => {
    await api.close();
    api = await startMockTraxApi({
      apiKeys: [KEY, 'sk_test_other'],
      rateLimit: { limit: 1, windowMs: 60_000 },
    });
    expect((await getStatus('st_1')).status).toBe(200);
    expect((await getStatus('st_1')).status).toBe(429);
    expect((await getStatus('st_1', 'sk_test_other')).status).toBe(200);
  });
});

describe('faults', () => {
  it('latency delays the normal answer', async () => {
    api.goLive('st_1');
    api.injectFault({ fault: { type: 'latency', ms: 150 } });
    const started = performance.now();
    const res = await getStatus('st_1');
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(await res.json()).toMatchObject({ live: true });
  });

  it.each([500, 502, 503, 404, 401, 403])(
    'status %i answers that status with a JSON error',
    async (status) => {
      api.injectFault({ fault: { type: 'status', status } });
      const res = await getStatus('st_1');
      expect(res.status).toBe(status);
      expect(await res.json()).toEqual({
        error: { code: `http_${status}`, message: `Injected ${status}.` },
      });
    },
  );

  it('status answers a given body', async () => {
    api.injectFault({ fault: { type: 'status', status: 503, body: { message: 'maintenance' } } });
    expect(await (await getStatus('st_1')).json()).toEqual({ message: 'maintenance' });
  });

  it('garbage answers 200 with a body that is not JSON', async () => {
    api.injectFault({ fault: { type: 'garbage' } });
    const res = await getStatus('st_1');
    expect(res.status).toBe(200);
    await expect(res.json()).rejects.toThrow();
  });

  it('wrong-shape answers 200 with JSON that is not a stream status', async () => {
    api.injectFault({ fault: { type: 'wrong-shape' } });
    const body = (await (await getStatus('st_1')).json()) as Record<string, unknown>;
    expect(body.live).toBeUndefined();
  });

  it('drop destroys the connection without an answer', async () => {
    api.injectFault({ fault: { type: 'drop' } });
    await expect(getStatus('st_1')).rejects.toThrow();
    expect(api.requests[0]!.status).toBeNull();
  });

  it('rate-limit answers 429 with Retry-After in seconds', async () => {
    api.injectFault({ fault: { type: 'rate-limit', retryAfter: 'seconds', seconds: 7 } });
    const res = await getStatus('st_1');
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
    expect(res.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(Number(res.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000);
  });

  it('rate-limit answers 429 with Retry-After as an HTTP date', async () => {
    api.injectFault({ fault: { type: 'rate-limit', retryAfter: 'http-date', seconds: 120 } });
    const res = await getStatus('st_1');
    const retryAt = Date.parse(res.headers.get('retry-after')!);
    expect(res.headers.get('retry-after')).toMatch(/GMT$/);
    expect(retryAt - Date.now()).toBeGreaterThan(100_000);
    expect(retryAt - Date.now()).toBeLessThanOrEqual(120_000);
  });

  it('hits only the given studio, the given number of times', async () => {
    const fault = api.injectFault({
      studioId: 'st_bad',
      times: 2,
      fault: { type: 'status', status: 500 },
    });
    expect((await getStatus('st_ok')).status).toBe(200);
    expect((await getStatus('st_bad')).status).toBe(500);
    expect((await getStatus('st_bad')).status).toBe(500);
    expect((await getStatus('st_bad')).status).toBe(200);
    expect(fault.hits).toBe(2);
    expect(fault.remaining).toBe(0);
  });

  it('lasts until clearFaults when no times are given', async () => {
    api.injectFault({ fault: { type: 'status', status: 502 } });
    for (let i = 0; i < 3; i++) expect((await getStatus('st_1')).status).toBe(502);
    api.clearFaults();
    expect((await getStatus('st_1')).status).toBe(200);
  });

  it('applies a latency fault and then the next fault to the same request', async () => {
    api.injectFault({ fault: { type: 'latency', ms: 50 } });
    api.injectFault({ fault: { type: 'status', status: 503 } });
    expect((await getStatus('st_1')).status).toBe(503);
  });

  it('rejects a fault it does not know, naming the option', () => {
    expect(() => api.injectFault({ fault: { type: 'explode' } as never })).toThrow(
      /fault\.type option/,
    );
    expect(() => api.injectFault({ times: 0, fault: { type: 'drop' } })).toThrow(/times option/);
  });
});

describe('control routes', () => {
  it('scripts studios and faults over HTTP', async () => {
    const live = await fetch(`${api.url}/_mock/studios/st_1/live`, {
      method: 'POST',
      body: JSON.stringify({ encoderStreamId: 'enc_http' }),
    });
    expect(await live.json()).toMatchObject({ live: true, encoderStreamId: 'enc_http' });
    expect(await (await getStatus('st_1')).json()).toMatchObject({
      live: true,
      encoderStreamId: 'enc_http',
    });

    await fetch(`${api.url}/_mock/studios/st_1/offline`, { method: 'POST' });
    expect(api.status('st_1').live).toBe(false);

    const fault = await fetch(`${api.url}/_mock/faults`, {
      method: 'POST',
      body: JSON.stringify({ times: 1, fault: { type: 'status', status: 503 } }),
    });
    expect(fault.status).toBe(201);
    expect((await getStatus('st_1')).status).toBe(503);

    await fetch(`${api.url}/_mock/studios/st_1`, { method: 'DELETE' });
    expect((await getStatus('st_1')).status).toBe(404);

    const requests = (await (await fetch(`${api.url}/_mock/requests`)).json()) as unknown[];
    expect(requests).toHaveLength(3);
  });

  it('answers 400 with the reason for a bad fault', async () => {
    const res = await fetch(`${api.url}/_mock/faults`, {
      method: 'POST',
      body: '{"fault":{"type":"nope"}}',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: { message: expect.stringContaining('fault.type') },
    });
  });

  it('keeps at most maxRecordedRequests, dropping the oldest', async () => {
    await api.close();
    api = await startMockTraxApi({ maxRecordedRequests: 10 });
    for (let i = 0; i < 11; i++) await getStatus(`st_${i}`);
    expect(api.requests.length).toBeLessThanOrEqual(10);
    expect(api.requests.at(-1)!.studioId).toBe('st_10');
    expect(api.requests.some((r) => r.studioId === 'st_0')).toBe(false);
  });

  it('reports each answered or dropped request to onRequest', async () => {
    await api.close();
    const seen: Array<number | null> = [];
    api = await startMockTraxApi({ onRequest: (r) => seen.push(r.status) });
    api.injectFault({ times: 1, fault: { type: 'drop' } });
    await getStatus('st_1').catch(() => undefined);
    await getStatus('st_1');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(seen).toEqual([null, 200]);
  });

  it('can be turned off', async () => {
    await api.close();
    api = await startMockTraxApi({ controlRoutes: false });
    expect((await fetch(`${api.url}/_mock/studios/st_1/live`, { method: 'POST' })).status).toBe(
      401,
    );
  });
});

describe('options', () => {
  it('rejects bad options with a TypeError naming the option', async () => {
    await expect(startMockTraxApi({ apiKeys: [''] })).rejects.toThrow(/apiKeys option/);
    await expect(startMockTraxApi({ port: -1 })).rejects.toThrow(/port option/);
    await expect(startMockTraxApi({ rateLimit: { limit: 0 } })).rejects.toThrow(
      /rateLimit\.limit option/,
    );
  });
});
