import type { IncomingMessage } from 'node:http';

/** What became of reading a request body off the wire. */
export type BodyReadResult =
  | { readonly outcome: 'read'; readonly body: Buffer }
  | { readonly outcome: 'too-large' }
  | { readonly outcome: 'timed-out' }
  | { readonly outcome: 'aborted' };

const TOO_LARGE: BodyReadResult = Object.freeze({ outcome: 'too-large' });

/**
 * Reads the untouched body bytes, never holding more than `limit` of them and never
 * waiting longer than `timeoutMs` for the whole body. Never rejects.
 *
 * After `too-large` or `timed-out` the stream is left flowing with no reader, so the rest
 * of the upload is discarded as it arrives instead of being buffered; the caller answers
 * with `Connection: close` so Node closes the socket once the answer is out.
 */
export function readRequestBody(
  req: IncomingMessage,
  limit: number,
  timeoutMs: number,
): Promise<BodyReadResult> {
  // A declared length over the limit is refused before a single byte is read.
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) return Promise.resolve(TOO_LARGE);

  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    // A sender that stalls half-way would otherwise hold the request (and its memory) forever.
    const timer = setTimeout(() => finish({ outcome: 'timed-out' }), timeoutMs);

    function onData(chunk: Buffer): void {
      size += chunk.length;
      if (size > limit) {
        finish(TOO_LARGE);
        return;
      }
      chunks.push(chunk);
    }
    function onEnd(): void {
      const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
      finish({ outcome: 'read', body });
    }
    // 'close' before 'end' (or an 'error') means the client went away mid-body.
    function onGone(): void {
      finish({ outcome: 'aborted' });
    }
    function finish(result: BodyReadResult): void {
      clearTimeout(timer);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('close', onGone);
      req.off('error', onGone);
      chunks.length = 0;
      resolve(result);
    }

    req.on('data', onData);
    req.on('end', onEnd);
    req.on('close', onGone);
    req.on('error', onGone);
  });
}
