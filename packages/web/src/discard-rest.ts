/**
 * How the rest of an upload over the limit is dealt with, so that the sender reads the 413.
 *
 * A fetch handler cannot answer before it returns, and the server turns the returned answer
 * into the end of the exchange: on Node (`@hono/node-server`, Next.js) a request body that
 * is cancelled, or still arriving when the answer has gone out, ends in a closed socket, and
 * a sender still uploading sees EPIPE instead of the 413 (issue 11's reproduction: 10 MiB
 * against a 1 MiB limit). So the handler reads the rest and throws it away — nothing past the
 * limit is kept — up to core's `drainLimit(bodyLimit)` (16× the limit, at least 16 MiB) and
 * within the body timeout, then answers. An upload larger still is cut off: the sender may not
 * read that answer.
 */

/**
 * The body as `readWebBody` reads it, except that giving up on it lets go of the stream
 * (`releaseLock`) instead of cancelling it, so {@link discardRest} can read on.
 */
export function keepOnCancel(
  body: ReadableStream<Uint8Array> | null,
): ReadableStream<Uint8Array> | null {
  if (body === null) return null;
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const next = await reader.read();
        if (next.done) controller.close();
        else controller.enqueue(next.value);
      },
      cancel() {
        reader.releaseLock();
      },
    },
    { highWaterMark: 0 },
  );
}

/**
 * Reads `body` to its end, keeping nothing, unless more than `maxBytes` arrive or `timeoutMs`
 * passes first (then it cancels it). A `Content-Length` over `maxBytes` is not read at all.
 * Never rejects.
 */
export async function discardRest(
  body: ReadableStream<Uint8Array> | null,
  {
    maxBytes,
    timeoutMs,
    contentLength,
  }: { maxBytes: number; timeoutMs: number; contentLength: string | null },
): Promise<void> {
  if (body === null || body.locked || Number(contentLength) > maxBytes) return;
  const reader = body.getReader();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<'timed-out'>((resolve) => {
    timer = setTimeout(resolve, timeoutMs, 'timed-out');
  });
  let discarded = 0;
  try {
    for (;;) {
      const next = await Promise.race([reader.read(), timedOut]);
      if (next !== 'timed-out' && next.done) return;
      if (next !== 'timed-out') discarded += next.value.byteLength;
      if (next === 'timed-out' || discarded > maxBytes) {
        reader.cancel().catch(() => {});
        return;
      }
    }
  } catch {
    // The sender went away: nothing left to discard.
  } finally {
    clearTimeout(timer);
  }
}
