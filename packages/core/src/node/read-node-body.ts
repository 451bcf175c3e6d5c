import type { IncomingMessage } from 'node:http';
import {
  ABORTED,
  type BodyReadResult,
  declaresTooLarge,
  TIMED_OUT,
  TOO_LARGE,
} from '../adapter/body-read-result.js';
import { bodyDeadlines } from './body-deadlines.js';

/** Options of {@link readNodeBody}. */
export interface ReadNodeBodyOptions {
  /** The largest body accepted, in bytes (the receiver's `bodyLimit`). */
  limit: number;
  /** How long the whole body may take to arrive, in milliseconds (`bodyTimeoutMs`). */
  timeoutMs: number;
}

const EMPTY = new Uint8Array(0);

/**
 * Reads a Node request body (an `IncomingMessage`, or any byte stream) without holding more
 * than `limit` bytes and without waiting longer than `timeoutMs` for all of it. A declared
 * `Content-Length` over the limit is refused before a byte is read. Never rejects.
 *
 * After `too-large` or `timed-out` the stream is left as it is (flowing and discarding, or
 * unread): answer with {@link refuseNodeUpload}, which reads the rest before closing so that
 * the sender gets to read the answer.
 *
 * @example
 * ```ts
 * const read = await readNodeBody(req, { limit: receiver.bodyLimit, timeoutMs: 10_000 });
 * if (read.outcome === 'read') await receiver.receive({ headers: req.headers, rawBody: read.body });
 * ```
 */
export function readNodeBody(
  req: IncomingMessage,
  options: ReadNodeBodyOptions,
): Promise<BodyReadResult> {
  return new Promise((resolve) => readNodeBodyThen(req, options, resolve));
}

/**
 * {@link readNodeBody} with a callback instead of a promise, for adapters on the hot path (a
 * Fastify content-type parser in its callback form, an Express middleware): no promise and no
 * turn of the event loop between the last byte and the answer. `done` is called exactly once,
 * possibly before this returns (a body refused by its declared length). It is called from the
 * stream's events, so in the HTTP parser's async context, not the caller's: where the caller's
 * context must carry on (an OpenTelemetry span made active around the request, an
 * AsyncLocalStorage store), use {@link readNodeBody} and `await` it, or bind `done` with
 * `AsyncResource.bind` (Fastify binds its content-type parser's `done` itself).
 *
 * @example
 * ```ts
 * readNodeBodyThen(req, { limit: receiver.bodyLimit, timeoutMs: 10_000 }, (read) => { … });
 * ```
 */
export function readNodeBodyThen(
  req: IncomingMessage,
  options: ReadNodeBodyOptions,
  done: (result: BodyReadResult) => void,
): void {
  const { limit, timeoutMs } = options;
  if (declaresTooLarge(req.headers?.['content-length'], limit)) {
    done(TOO_LARGE);
    return;
  }
  if (req.readableEnded) {
    done({ outcome: 'read', body: EMPTY });
    return;
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  let settled = false;
  // A sender that stalls half-way would otherwise hold the request (and its memory) forever.
  const deadlines = bodyDeadlines(timeoutMs);
  const deadline = deadlines.add(() => finish(TIMED_OUT));

  // The listeners stay attached after the read ends, doing nothing (`settled`): removing four
  // listeners per request costs more than leaving them on a request that is about to go.
  // The stream stays flowing, so what else arrives after a refusal is discarded, never
  // buffered, until refuseNodeUpload counts it; the 'error' listener means a reset arriving
  // later is not an uncaught error.
  req.on('data', (chunk: Uint8Array) => {
    if (settled) return;
    size += chunk.byteLength;
    if (size > limit) finish(TOO_LARGE);
    else chunks.push(chunk);
  });
  req.on('end', () => finish({ outcome: 'read', body: concat(chunks, size) }));
  // 'close' before 'end' (or an 'error') means the client went away mid-body.
  req.on('close', () => finish(ABORTED));
  req.on('error', () => finish(ABORTED));

  function finish(result: BodyReadResult): void {
    if (settled) return;
    settled = true;
    deadlines.remove(deadline);
    if (result.outcome !== 'read') chunks.length = 0;
    done(result);
  }
}

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  if (chunks.length === 0) return EMPTY;
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
