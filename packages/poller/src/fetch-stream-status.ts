import { parseStreamStatus, type StreamStatus } from './parse-stream-status.js';
import { rateLimitResetAt, retryAfterAt } from './rate-limit-headers.js';
import type { StatusTransport } from './status-transport.js';

/** What one stream-status request came to. */
export type FetchOutcome =
  | { readonly kind: 'status'; readonly status: StreamStatus; readonly limitResetAt?: number }
  | { readonly kind: 'rate-limited'; readonly retryAt?: number }
  | { readonly kind: 'unauthorized'; readonly httpStatus: number }
  | { readonly kind: 'not-found' }
  | {
      readonly kind: 'failed';
      readonly reason: string;
      readonly cause?: unknown;
      readonly retryAt?: number;
      /** The API's status, when it answered (none for a network error or a timeout). */
      readonly httpStatus?: number;
    }
  | { readonly kind: 'aborted' };

/** Options of {@link fetchStreamStatus}. */
export interface FetchStreamStatusOptions {
  readonly transport: StatusTransport;
  readonly url: string;
  readonly apiKey: string;
  readonly timeoutMs: number;
  /** Aborted when the poller stops or the studio is removed. */
  readonly signal: AbortSignal;
  readonly now: () => number;
}

class TimeoutError extends Error {
  override readonly name = 'TimeoutError';
}

/**
 * One `GET …/stream-status`, classified. Never rejects: a network error, a timeout, a 5xx or a
 * body that is not a stream-status is `failed` (never "offline"); the caller's abort is `aborted`.
 * The API key goes in the header only, so no URL, error or message carries it.
 */
export async function fetchStreamStatus(options: FetchStreamStatusOptions): Promise<FetchOutcome> {
  const { timeoutMs, signal, now } = options;
  if (signal.aborted) return { kind: 'aborted' };
  const controller = new AbortController();
  const onAbort = () => controller.abort(signal.reason);
  signal.addEventListener('abort', onAbort, { once: true });
  // Our own timer (not AbortSignal.timeout) so fake timers drive it in tests; it also covers
  // reading the body, where a stalled server would otherwise hang the poll.
  const timer = setTimeout(
    () => controller.abort(new TimeoutError(`stream-status did not answer within ${timeoutMs} ms`)),
    timeoutMs,
  );
  try {
    const response = await options.transport.get(
      options.url,
      { authorization: `Bearer ${options.apiKey}`, accept: 'application/json' },
      controller.signal,
    );
    const at = now();
    const limitResetAt = rateLimitResetAt(response.headers, at);
    const { status } = response;
    if (status < 200 || status >= 300) {
      // Free the connection without reading a body we do not use.
      await response.discard();
      if (status === 429)
        return {
          kind: 'rate-limited',
          retryAt: retryAfterAt(response.headers, at) ?? limitResetAt,
        };
      if (status === 401 || status === 403) return { kind: 'unauthorized', httpStatus: status };
      if (status === 404) return { kind: 'not-found' };
      return {
        kind: 'failed',
        reason: `stream-status answered HTTP ${status}`,
        retryAt: retryAfterAt(response.headers, at),
        httpStatus: status,
      };
    }
    const text = await response.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (cause) {
      return {
        kind: 'failed',
        reason: 'stream-status answered a body that is not JSON',
        cause,
        httpStatus: status,
      };
    }
    const parsed = parseStreamStatus(body);
    if (!parsed.ok)
      return {
        kind: 'failed',
        reason: `stream-status answered a body of the wrong shape: ${parsed.reason}`,
        httpStatus: status,
      };
    return limitResetAt === undefined
      ? { kind: 'status', status: parsed.status }
      : { kind: 'status', status: parsed.status, limitResetAt };
  } catch (cause) {
    if (signal.aborted) return { kind: 'aborted' };
    const reason = controller.signal.reason;
    if (reason instanceof TimeoutError)
      return { kind: 'failed', reason: reason.message, cause: reason };
    return { kind: 'failed', reason: `stream-status request failed: ${describe(cause)}`, cause };
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return 'unknown error';
  // fetch hides the useful part (ECONNREFUSED, ECONNRESET) in `cause`; undici's own request
  // puts it on the error itself.
  const code =
    (error.cause as { code?: unknown } | undefined)?.code ?? (error as { code?: unknown }).code;
  return typeof code === 'string' && !error.message.includes(code)
    ? `${error.message} (${code})`
    : error.message;
}
