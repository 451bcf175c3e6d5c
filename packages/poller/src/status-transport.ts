import type { Dispatcher } from 'undici';
import type { HeaderReader } from './rate-limit-headers.js';

/** The `fetch` the poller calls when given one (tests, proxies, runtimes without undici). */
export type FetchLike = (
  url: string,
  init: { method: 'GET'; headers: Record<string, string>; signal: AbortSignal },
) => Promise<{
  status: number;
  headers: HeaderReader;
  text(): Promise<string>;
  body?: { cancel(): Promise<void> } | null;
}>;

/** One answer, whichever HTTP client fetched it. */
export interface TransportResponse {
  readonly status: number;
  readonly headers: HeaderReader;
  text(): Promise<string>;
  /** Frees the connection without reading a body we do not use; never rejects. */
  discard(): Promise<void>;
}

/** How the poller sends one GET: over a `fetch`, or straight to an undici dispatcher. */
export interface StatusTransport {
  get(
    url: string,
    headers: Record<string, string>,
    signal: AbortSignal,
  ): Promise<TransportResponse>;
  /** Pending while the HTTP client is still being loaded; wait for it before taking a slot. */
  readonly ready?: Promise<void> | undefined;
  /** Closes what this transport opened (a pool it created); a no-op for what the user passed. */
  close(): Promise<void>;
}

/** A transport over a `fetch` (the user's, or the global one where undici cannot be loaded). */
export function fetchTransport(fetch: FetchLike): StatusTransport {
  return {
    async get(url, headers, signal) {
      const response = await fetch(url, { method: 'GET', headers, signal });
      return {
        status: response.status,
        headers: response.headers,
        text: () => response.text(),
        discard: async () => {
          await response.body?.cancel().catch(() => {});
        },
      };
    },
    close: async () => {},
  };
}

/** undici's headers are a plain object of lower-case names; repeated ones come as arrays. */
function headerReader(headers: Dispatcher.ResponseData['headers']): HeaderReader {
  return {
    get(name) {
      const value = headers[name];
      if (value === undefined) return null;
      return Array.isArray(value) ? value.join(', ') : value;
    },
  };
}

/**
 * A transport that calls `dispatcher.request()` directly. It skips what `fetch` adds on top of
 * undici (WHATWG Request/Response/Headers objects, a web stream per body, signal plumbing):
 * per poll that is most of the client's CPU (see BENCHMARKS.md, *poller*).
 */
export function dispatcherTransport(dispatcher: Dispatcher, owned: boolean): StatusTransport {
  return {
    async get(url, headers, signal) {
      // new URL() per poll is avoided: the poller builds every URL from one origin it checked.
      const pathStart = url.indexOf('/', url.indexOf('//') + 2);
      const response = await dispatcher.request({
        origin: url.slice(0, pathStart),
        path: url.slice(pathStart),
        method: 'GET',
        headers,
        signal,
      });
      return {
        status: response.statusCode,
        headers: headerReader(response.headers),
        text: () => response.body.text(),
        discard: () =>
          response.body.dump().then(
            () => {},
            () => {},
          ),
      };
    },
    close: () => (owned ? dispatcher.close() : Promise.resolve()),
  };
}

/**
 * Whether this is Node itself. Bun answers `import('undici')` with a stand-in of its own whose
 * `Pool#request()` resolves `undefined`; Bun's and Deno's `fetch` are native code anyway.
 */
function isNode(): boolean {
  const versions = (globalThis as { process?: { versions?: Record<string, string | undefined> } })
    .process?.versions;
  return versions?.node !== undefined && versions.bun === undefined && versions.deno === undefined;
}

// Where undici keeps the process-wide dispatcher that Node's own `fetch` also reads.
const GLOBAL_DISPATCHERS = [
  Symbol.for('undici.globalDispatcher.1'),
  Symbol.for('undici.globalDispatcher.2'),
];

/**
 * `import('undici')` without its side effect: on load, undici 7 installs an `Agent` of its own
 * as the global dispatcher when none is set yet, and Node's built-in `fetch` then sends every
 * request of the application through it (Node 20's bundled undici 6 over undici 7's Agent: a
 * forwarded `connection` header, for one, fails with "fetch failed"). The poller uses its own
 * `Pool` and must not change the application's `fetch`.
 */
async function importUndiciQuietly(): Promise<typeof import('undici')> {
  // Reading `Response` loads Node's bundled undici, which installs its own dispatcher first
  // (Node sets nothing until then, and an empty slot is what undici 7 fills).
  void globalThis.Response;
  const slots = globalThis as unknown as Record<symbol, unknown>;
  const before = GLOBAL_DISPATCHERS.map((key) => slots[key]);
  const undici = await import('undici');
  GLOBAL_DISPATCHERS.forEach((key, i) => {
    // Writable but not configurable once defined: assign, never delete. An empty slot stays
    // as undici left it (a runtime with no fetch of its own reads none).
    if (before[i] !== undefined && slots[key] !== before[i]) slots[key] = before[i];
  });
  return undici;
}

/**
 * The default transport: in Node, an undici `Pool` to `origin` with `connections` sockets (the
 * poller's `concurrency`). Elsewhere (Bun, Deno), or where undici cannot be loaded (a bundle
 * that left it out), the global `fetch`.
 */
export function defaultTransport(origin: string, connections: number): StatusTransport {
  let transport: StatusTransport | undefined;
  const globalFetch = () => fetchTransport(globalThis.fetch as unknown as FetchLike);
  // Loaded at once, not at the first poll: loading undici can take longer than a short
  // `timeoutMs` on a cold, busy machine, and must not count as the first request's time.
  const loading = isNode()
    ? importUndiciQuietly().then(
        ({ Pool }) => dispatcherTransport(new Pool(origin, { connections }), true),
        globalFetch,
      )
    : Promise.resolve(globalFetch());
  const ready = loading.then((loaded) => {
    transport = loaded;
  });
  return {
    get ready() {
      return transport ? undefined : ready;
    },
    get: (url, headers, signal) =>
      transport
        ? transport.get(url, headers, signal)
        : ready.then(() => transport!.get(url, headers, signal)),
    close: async () => (await loading).close(),
  };
}
