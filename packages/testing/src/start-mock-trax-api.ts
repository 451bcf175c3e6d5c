import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FaultList } from './fault-list.js';
import { createFixedWindowRateLimit, type RateLimitOptions } from './fixed-window-rate-limit.js';
import { errorBody, sendJson } from './http-io.js';
import { handleControlRoute } from './mock-control-routes.js';
import type { InjectedFault, InjectFaultOptions, MockFault } from './mock-fault.js';
import type { GoLiveOptions, StreamStatus } from './stream-status.js';
import { StudioRegistry } from './studio-registry.js';

/** Options of {@link startMockTraxApi}. */
export interface MockTraxApiOptions {
  /** The bearer keys the mock accepts. @default ['sk_test_123'] */
  apiKeys?: readonly string[];
  /** The port; `0` picks a free one. @default 0 */
  port?: number;
  /** The interface to bind. @default '127.0.0.1' */
  host?: string;
  /** Limit requests per API key; over it, 429 with `Retry-After`. @default no limit */
  rateLimit?: RateLimitOptions;
  /** Serve the `/_mock/…` scripting routes (see the README). @default true */
  controlRoutes?: boolean;
  /**
   * How many requests `requests` keeps; the oldest go first, so a mock left running for days
   * does not grow without end.
   * @default 100_000
   */
  maxRecordedRequests?: number;
  /** Called once each API request is answered (or dropped), e.g. to log it. */
  onRequest?: (request: MockRequest) => void;
}

/** One request the mock saw. It never records the API key. */
export interface MockRequest {
  method: string;
  path: string;
  /** The studio of a stream-status request. */
  studioId: string | undefined;
  /** The status answered; `null` while in flight or when the connection was dropped. */
  status: number | null;
  /** When it arrived. */
  at: Date;
}

/** A running mock TRaX API. */
export interface MockTraxApi {
  /** `http://127.0.0.1:PORT`: the `baseUrl` for a client. */
  readonly url: string;
  readonly port: number;
  /** Puts a studio live (or changes its live session). Returns its status. */
  goLive(studioId: string, options?: GoLiveOptions): StreamStatus;
  /** Puts a studio offline. Returns its status. */
  goOffline(studioId: string): StreamStatus;
  /** A studio's current status (offline for one never seen). */
  status(studioId: string): StreamStatus;
  /** Marks a studio deleted: its stream-status answers 404 until `goLive`/`goOffline`. */
  removeStudio(studioId: string): void;
  /** Makes matching requests misbehave. */
  injectFault(options: InjectFaultOptions): InjectedFault;
  /** Removes every injected fault. */
  clearFaults(): void;
  /** Every API request so far, oldest first (control routes are not recorded). */
  readonly requests: readonly MockRequest[];
  /** Forgets the recorded requests. */
  clearRequests(): void;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}

const STREAM_STATUS = /^\/v1\/studios\/([^/]+)\/stream-status$/;

/**
 * Starts a mock of the TRaX REST API on loopback: `GET /v1/studios/{id}/stream-status` with
 * bearer auth, scriptable studio state, an optional rate limit and injected faults.
 *
 * @example
 * ```ts
 * const api = await startMockTraxApi({ apiKeys: ['sk_test_123'] });
 * api.goLive('st_1');
 * const res = await fetch(`${api.url}/v1/studios/st_1/stream-status`, {
 *   headers: { authorization: 'Bearer sk_test_123' },
 * }); // → { live: true, encoderStreamId: 'enc_…', liveStartedAt: '…', mode: 'cloud' }
 * await api.close();
 * ```
 * @throws {TypeError} naming a bad option
 */
export async function startMockTraxApi(options: MockTraxApiOptions = {}): Promise<MockTraxApi> {
  const { apiKeys = ['sk_test_123'], port = 0, host = '127.0.0.1', controlRoutes = true } = options;
  if (!Array.isArray(apiKeys) || apiKeys.some((k) => typeof k !== 'string' || k.length === 0)) {
    throw new TypeError('apiKeys option must be an array of non-empty strings');
  }
  if (!Number.isSafeInteger(port) || port < 0 || port > 65_535)
    throw new TypeError('port option must be an integer from 0 to 65535');
  const { maxRecordedRequests = 100_000 } = options;
  if (!Number.isSafeInteger(maxRecordedRequests) || maxRecordedRequests < 0) {
    throw new TypeError('maxRecordedRequests option must be a nonnegative integer');
  }
  const keys = new Set(apiKeys);
  const takeRate = options.rateLimit ? createFixedWindowRateLimit(options.rateLimit) : undefined;
  const studios = new StudioRegistry();
  const faults = new FaultList();
  const requests: MockRequest[] = [];

  function answer(
    entry: MockRequest,
    res: ServerResponse,
    status: number,
    body: unknown,
    headers?: Record<string, string>,
  ) {
    entry.status = status;
    sendJson(res, status, body, headers);
  }

  if (options.onRequest !== undefined && typeof options.onRequest !== 'function') {
    throw new TypeError('onRequest option must be a function');
  }
  function notify(entry: MockRequest) {
    try {
      options.onRequest?.({ ...entry });
    } catch {
      // A logging callback must not break the mock.
    }
  }

  /** Applies one fault; true when it answered (or dropped) the request. */
  async function applyFault(
    fault: MockFault,
    entry: MockRequest,
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<boolean> {
    switch (fault.type) {
      case 'latency':
        await delay(fault.ms, res);
        return res.destroyed;
      case 'status':
        answer(
          entry,
          res,
          fault.status,
          fault.body ?? errorBody(`http_${fault.status}`, `Injected ${fault.status}.`),
        );
        return true;
      case 'garbage':
        entry.status = 200;
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<html><body>502 Bad Gateway (but served as 200)</body>');
        return true;
      case 'wrong-shape':
        answer(entry, res, 200, { status: 'ok', streaming: 'maybe' });
        return true;
      case 'drop':
        req.socket.destroy();
        return true;
      case 'rate-limit': {
        const retryAfter =
          fault.retryAfter === 'seconds'
            ? String(fault.seconds)
            : new Date(Date.now() + fault.seconds * 1000).toUTCString();
        answer(entry, res, 429, errorBody('rate_limited', 'Too many requests.'), {
          'retry-after': retryAfter,
          'x-ratelimit-limit': String(options.rateLimit?.limit ?? 0),
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + fault.seconds),
        });
        return true;
      }
    }
  }

  async function onApiRequest(req: IncomingMessage, res: ServerResponse, path: string) {
    const match = STREAM_STATUS.exec(path);
    let studioId: string | undefined;
    try {
      studioId = match ? decodeURIComponent(match[1]!) : undefined;
    } catch {
      studioId = undefined;
    }
    const entry: MockRequest = {
      method: req.method ?? 'GET',
      path,
      studioId,
      status: null,
      at: new Date(Date.now()),
    };
    requests.push(entry);
    // Trimmed in batches of a tenth, so the cost of dropping old entries stays amortised.
    if (requests.length > maxRecordedRequests) {
      requests.splice(0, requests.length - Math.floor(maxRecordedRequests * 0.9));
    }
    // 'close' follows the last byte written, or a dropped connection.
    res.once('close', () => notify(entry));

    const seen = new Set<object>();
    for (let fault = faults.take(studioId, seen); fault; fault = faults.take(studioId, seen)) {
      if (await applyFault(fault, entry, req, res)) return;
    }

    const auth = req.headers.authorization;
    const key = auth?.startsWith('Bearer ') ? auth.slice(7).trim() : undefined;
    if (!key)
      return answer(
        entry,
        res,
        401,
        errorBody('unauthorized', 'Missing "Authorization: Bearer <api key>" header.'),
      );
    if (!keys.has(key))
      return answer(entry, res, 401, errorBody('unauthorized', 'The API key is not valid.'));

    let rateHeaders: Record<string, string> = {};
    if (takeRate) {
      const rate = takeRate(key);
      rateHeaders = {
        'x-ratelimit-limit': String(rate.limit),
        'x-ratelimit-remaining': String(rate.remaining),
        'x-ratelimit-reset': String(rate.resetAt),
      };
      if (!rate.allowed) {
        const retryAfter = String(Math.max(1, Math.ceil(rate.resetInMs / 1000)));
        return answer(entry, res, 429, errorBody('rate_limited', 'Too many requests.'), {
          ...rateHeaders,
          'retry-after': retryAfter,
        });
      }
    }

    if (studioId === undefined)
      return answer(entry, res, 404, errorBody('not_found', `No route ${path}.`), rateHeaders);
    if (entry.method !== 'GET') {
      return answer(entry, res, 405, errorBody('method_not_allowed', 'Use GET.'), {
        ...rateHeaders,
        allow: 'GET',
      });
    }
    if (studios.isRemoved(studioId)) {
      return answer(
        entry,
        res,
        404,
        errorBody('not_found', `Studio ${studioId} does not exist.`),
        rateHeaders,
      );
    }
    answer(entry, res, 200, studios.status(studioId), rateHeaders);
  }

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://mock').pathname;
    const handled =
      controlRoutes && path.startsWith('/_mock/')
        ? handleControlRoute(api, req, res, path)
        : onApiRequest(req, res, path);
    handled.catch(() => {
      // Only a broken socket gets here; the client sees the connection end.
      res.destroy();
    });
  });
  server.listen(port, host);
  await once(server, 'listening');
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  const api: MockTraxApi = {
    url: `http://${urlHost}:${address.port}`,
    port: address.port,
    goLive: (studioId, goLiveOptions) => studios.goLive(studioId, goLiveOptions),
    goOffline: (studioId) => studios.goOffline(studioId),
    status: (studioId) => studios.status(studioId),
    removeStudio: (studioId) => studios.remove(studioId),
    injectFault: (faultOptions) => faults.add(faultOptions),
    clearFaults: () => faults.clear(),
    requests,
    clearRequests: () => {
      requests.length = 0;
    },
    async close() {
      const closed = once(server, 'close');
      server.close();
      server.closeAllConnections();
      await closed;
    },
  };
  return api;
}

/** Waits `ms`, or less if the client goes away (no point answering a closed socket). */
function delay(ms: number, res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    res.once('close', done);
    function done() {
      clearTimeout(timer);
      res.off('close', done);
      resolve();
    }
  });
}
