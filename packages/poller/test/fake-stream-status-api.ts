import type { FetchLike } from '@trax-webhooks/poller';

/**
 * A programmable stand-in for `GET /v1/studios/{id}/stream-status`, injected as the poller's
 * `fetch` so fake timers drive everything (the real-HTTP mock API is `@trax-webhooks/testing`).
 * Answers real `Response` objects, so header and body handling is the real thing.
 */
export type Fault =
  | { type: 'status'; status: number; headers?: Record<string, string> }
  | { type: 'network' }
  | { type: 'hang' }
  | { type: 'garbage' }
  | { type: 'wrong-shape' };

export interface RecordedRequest {
  studioId: string;
  at: number;
  authorization: string | undefined;
  signal: AbortSignal;
}

export interface Session {
  encoderStreamId: string;
  liveStartedAt: string;
  mode: string;
  [field: string]: unknown;
}

export function createFakeStreamStatusApi(apiKey = 'sk_live_test_key') {
  const live = new Map<string, Session>();
  const faults: Array<{ studioId?: string; times: number; fault: Fault }> = [];
  const requests: RecordedRequest[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  let latencyMs = 0;
  let extraHeaders: Record<string, string> = {};

  function takeFault(studioId: string): Fault | undefined {
    const index = faults.findIndex((f) => f.studioId === undefined || f.studioId === studioId);
    if (index === -1) return undefined;
    const entry = faults[index]!;
    if (--entry.times === 0) faults.splice(index, 1);
    return entry.fault;
  }

  function abortable<T>(signal: AbortSignal, ms: number | undefined, value: () => T): Promise<T> {
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason);
      const timer = ms === undefined ? undefined : setTimeout(() => resolve(value()), ms);
      signal.addEventListener('abort', () => {
        clearTimeout(timer);
        reject(signal.reason);
      });
    });
  }

  const fetch: FetchLike = async (url, init) => {
    const match = /\/v1\/studios\/([^/]+)\/stream-status$/.exec(url);
    if (!match) throw new Error(`unexpected url ${url}`);
    const studioId = decodeURIComponent(match[1]!);
    requests.push({
      studioId,
      at: Date.now(),
      authorization: init.headers.authorization,
      signal: init.signal,
    });
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      const fault = takeFault(studioId);
      if (fault?.type === 'hang')
        return await abortable(init.signal, undefined, () => new Response());
      if (latencyMs > 0) await abortable(init.signal, latencyMs, () => undefined);
      if (fault?.type === 'network')
        throw new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } });
      if (fault?.type === 'status')
        return new Response('{"error":"fault"}', { status: fault.status, headers: fault.headers });
      if (fault?.type === 'garbage')
        return new Response('<html>oops', { status: 200, headers: extraHeaders });
      if (fault?.type === 'wrong-shape')
        return Response.json({ live: 'yes' }, { headers: extraHeaders });
      if (init.headers.authorization !== `Bearer ${apiKey}`)
        return new Response('{}', { status: 401 });
      const session = live.get(studioId);
      return Response.json(session ? { live: true, ...session } : { live: false }, {
        headers: extraHeaders,
      });
    } finally {
      inFlight--;
    }
  };

  return {
    fetch,
    requests,
    get maxInFlight() {
      return maxInFlight;
    },
    requestsFor: (studioId: string) => requests.filter((r) => r.studioId === studioId),
    goLive(studioId: string, session: Partial<Session> = {}) {
      live.set(studioId, {
        encoderStreamId: `es_${studioId}`,
        liveStartedAt: new Date(Date.now()).toISOString(),
        mode: 'cloud',
        ...session,
      });
      return live.get(studioId)!;
    },
    goOffline(studioId: string) {
      live.delete(studioId);
    },
    injectFault(fault: Fault, options: { studioId?: string; times?: number } = {}) {
      faults.push({ studioId: options.studioId, times: options.times ?? 1, fault });
    },
    setLatency(ms: number) {
      latencyMs = ms;
    },
    setHeaders(headers: Record<string, string>) {
      extraHeaders = headers;
    },
  };
}

export type FakeStreamStatusApi = ReturnType<typeof createFakeStreamStatusApi>;
