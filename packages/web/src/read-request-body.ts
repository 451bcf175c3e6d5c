/** What became of reading a request body. */
export type ReadBodyResult =
  | { readonly outcome: 'read'; readonly body: Uint8Array }
  | { readonly outcome: 'too-large' }
  | { readonly outcome: 'timed-out' };

/**
 * Reads a Web stream body into one buffer, stopping as soon as it passes `limit` bytes (what
 * is past the limit is never kept) or `timeoutMs` passes.
 * (web branch: a local reader until core's adapter contract lands with its own.)
 */
export async function readRequestBody(
  body: ReadableStream<Uint8Array> | null,
  limit: number,
  timeoutMs: number,
): Promise<ReadBodyResult> {
  if (body === null) return { outcome: 'read', body: new Uint8Array(0) };
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<'timed-out'>((resolve) => {
    timer = setTimeout(resolve, timeoutMs, 'timed-out');
  });
  try {
    for (;;) {
      const next = await Promise.race([reader.read(), timedOut]);
      if (next === 'timed-out') {
        reader.cancel().catch(() => {});
        return { outcome: 'timed-out' };
      }
      if (next.done) break;
      size += next.value.byteLength;
      if (size > limit) {
        reader.releaseLock();
        return { outcome: 'too-large' };
      }
      chunks.push(next.value);
    }
  } finally {
    clearTimeout(timer);
  }
  if (chunks.length === 1) return { outcome: 'read', body: chunks[0]! };
  const joined = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    joined.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { outcome: 'read', body: joined };
}
