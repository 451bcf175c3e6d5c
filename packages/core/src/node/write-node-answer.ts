import type { IncomingMessage, ServerResponse } from 'node:http';
import { declaresTooLarge } from '../adapter/body-read-result.js';
import { drainLimit } from '../adapter/drain-limit.js';
import type { WebhookResponse } from '../answers.js';

/**
 * Writes core's answer as it is. If something has already answered (`headersSent`), writeHead
 * throws: that is a bug in the app's mounting, and the adapter hands it to the framework.
 *
 * @example
 * ```ts
 * writeNodeAnswer(res, await receiver.receive({ headers: req.headers, rawBody }));
 * ```
 */
export function writeNodeAnswer(res: ServerResponse, answer: WebhookResponse): void {
  res.writeHead(answer.status, answer.headers);
  res.end(answer.body);
}

/** Options of {@link refuseNodeUpload}: the receiver's bounds. */
export interface RefuseNodeUploadOptions {
  /** The receiver's `bodyLimit`: the drain reads at most `drainLimit(bodyLimit)` more bytes. */
  bodyLimit: number;
  /** The adapter's `bodyTimeoutMs`: the drain lasts at most this long after the answer. */
  bodyTimeoutMs: number;
}

/**
 * Answers a refused upload (413, 408) so that the sender gets to read the answer: writes it
 * whole (with `Content-Length` and `Connection: close`), then reads and discards the rest of
 * the upload, and only then ends the response, which closes the connection. Closing while the
 * sender is still writing would reset the connection and lose the answer (issue 11).
 *
 * The drain is bounded: at most {@link drainLimit} bytes (16 × the body limit, at least 16 MiB)
 * and at most `bodyTimeoutMs`; past either the connection is closed as it is (an upload that
 * declares a `Content-Length` past the bound is closed at once).
 * Resolves once the response has ended. Never rejects.
 *
 * @example
 * ```ts
 * if (read.outcome === 'too-large') await refuseNodeUpload(req, res, answer, { bodyLimit, bodyTimeoutMs });
 * ```
 */
export function refuseNodeUpload(
  req: IncomingMessage,
  res: ServerResponse,
  answer: WebhookResponse,
  options: RefuseNodeUploadOptions,
): Promise<void> {
  const body = Buffer.from(answer.body);
  res.writeHead(answer.status, {
    ...answer.headers,
    'content-length': String(body.byteLength),
    connection: 'close',
  });
  res.write(body);
  const maxBytes = drainLimit(options.bodyLimit);
  // A declared length past the bound would be cut off anyway: close at once.
  if (
    req.readableEnded ||
    req.destroyed ||
    declaresTooLarge(req.headers['content-length'], maxBytes)
  ) {
    res.end();
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    let discarded = 0;
    const timer = setTimeout(stop, options.bodyTimeoutMs);
    function onData(chunk: Uint8Array): void {
      discarded += chunk.byteLength;
      if (discarded > maxBytes) stop();
    }
    req.on('data', onData);
    req.on('end', stop);
    req.on('close', stop);
    req.on('error', stop);
    // An upload refused by its Content-Length was never read: start reading it now.
    req.resume();

    function stop(): void {
      clearTimeout(timer);
      req.off('data', onData);
      req.off('end', stop);
      req.off('close', stop);
      // The 'error' listener stays: a reset after we are done is not an uncaught error.
      // With `Connection: close`, ending the response closes the socket once it is written.
      res.end();
      resolve();
    }
  });
}
