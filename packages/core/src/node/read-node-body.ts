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
  const { limit, timeoutMs } = options;
  if (declaresTooLarge(req.headers?.['content-length'], limit)) return Promise.resolve(TOO_LARGE);
  if (req.readableEnded) return Promise.resolve({ outcome: 'read', body: EMPTY });

  const deadlines = bodyDeadlines(timeoutMs);
  return new Promise((resolve) => {
    const chunks: Uint8Array[] = [];
    let size = 0;
    let settled = false;
    // A sender that stalls half-way would otherwise hold the request (and its memory) forever.
    const deadline = deadlines.add(() => finish(TIMED_OUT));

    function onData(chunk: Uint8Array): void {
      size += chunk.byteLength;
      if (size > limit) finish(TOO_LARGE);
      else chunks.push(chunk);
    }
    function onEnd(): void {
      finish({ outcome: 'read', body: concat(chunks, size) });
    }
    // 'close' before 'end' (or an 'error') means the client went away mid-body.
    function onGone(): void {
      finish(ABORTED);
    }
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('close', onGone);
    req.on('error', onGone);

    function finish(result: BodyReadResult): void {
      if (settled) return;
      settled = true;
      deadlines.remove(deadline);
      // The stream stays flowing with no 'data' listener: what else arrives is discarded, never
      // buffered, until refuseNodeUpload counts it. The 'error' listener stays so that a reset
      // arriving later is not an uncaught error.
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('close', onGone);
      chunks.length = result.outcome === 'read' ? chunks.length : 0;
      resolve(result);
    }
  });
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
