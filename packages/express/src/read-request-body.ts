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
    let done = false;
    // A sender that stalls half-way would otherwise hold the request (and its memory) forever.
    const timer = setTimeout(() => finish({ outcome: 'timed-out' }), timeoutMs);

    // The listeners stay attached once done (removing them costs more than a flag check): after
    // too-large or timed-out, 'data' keeps the stream flowing so the rest is discarded unread.
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) finish(TOO_LARGE);
      else chunks.push(chunk);
    });
    req.on('end', () => {
      if (done) return;
      finish({
        outcome: 'read',
        body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size),
      });
    });
    // 'close' before 'end' (or an 'error') means the client went away mid-body.
    const gone = () => finish({ outcome: 'aborted' });
    req.on('close', gone);
    req.on('error', gone);

    function finish(result: BodyReadResult): void {
      if (done) return;
      done = true;
      clearTimeout(timer);
      chunks.length = 0;
      resolve(result);
    }
  });
}
