import {
  ABORTED,
  type BodyReadResult,
  declaresTooLarge,
  TIMED_OUT,
  TOO_LARGE,
} from './body-read-result.js';

/** Options of {@link readWebBody}. */
export interface ReadWebBodyOptions {
  /** The largest body accepted, in bytes. */
  limit: number;
  /** How long the whole body may take, in milliseconds. */
  timeoutMs: number;
  /** The request's `Content-Length`, checked before a byte is read. */
  contentLength?: string | null;
}

const EMPTY = new Uint8Array(0);

/**
 * Reads a Web `ReadableStream` body (a fetch `Request.body`) without holding more than `limit`
 * bytes and without waiting longer than `timeoutMs` for all of it. Never rejects. On
 * `too-large` and `timed-out` the stream is cancelled: the runtime discards the rest.
 */
export async function readWebBody(
  body: ReadableStream<Uint8Array> | null,
  options: ReadWebBodyOptions,
): Promise<BodyReadResult> {
  const { limit, timeoutMs } = options;
  if (declaresTooLarge(options.contentLength, limit)) {
    body?.cancel().catch(() => {});
    return TOO_LARGE;
  }
  if (body === null) return { outcome: 'read', body: EMPTY };
  const reader = body.getReader();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<BodyReadResult>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), timeoutMs);
  });
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const next = await Promise.race([reader.read(), timedOut]);
      if ('outcome' in next) {
        reader.cancel().catch(() => {});
        return next;
      }
      if (next.done) break;
      size += next.value.byteLength;
      if (size > limit) {
        reader.cancel().catch(() => {});
        return TOO_LARGE;
      }
      chunks.push(next.value);
    }
  } catch {
    return ABORTED;
  } finally {
    clearTimeout(timer);
  }
  return { outcome: 'read', body: concat(chunks, size) };
}

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
