import type { IncomingMessage } from 'node:http';

/** What an earlier middleware may have left on the request. */
interface ParsedRequest extends IncomingMessage {
  /** Set by an `express.json({ verify })` hook that keeps the bytes. */
  rawBody?: unknown;
  /** A Buffer from `express.raw()`, or whatever another parser made of the bytes. */
  body?: unknown;
}

/** Where the raw bytes are: already in hand, still on the wire, or gone. */
export type RawBodySource =
  | { readonly from: 'request'; readonly rawBody: Uint8Array | string }
  | { readonly from: 'stream' }
  | { readonly from: 'consumed' };

const STREAM: RawBodySource = Object.freeze({ from: 'stream' });
const CONSUMED: RawBodySource = Object.freeze({ from: 'consumed' });

/**
 * Finds the raw body however the app is mounted. An untouched stream comes first: the bytes
 * on the wire are the truth, and it is the recommended mounting. Else bytes someone kept are
 * used; else a parser read the stream and left only its parsed result, which cannot be
 * verified. A string `req.body` (from `express.text()`) is decoded text, not the signed bytes,
 * so it counts as consumed rather than being re-encoded.
 */
export function findRawBody(req: IncomingMessage): RawBodySource {
  if (!req.readableDidRead && !req.readableEnded) return STREAM;
  const { rawBody, body } = req as ParsedRequest;
  if (typeof rawBody === 'string' || rawBody instanceof Uint8Array)
    return { from: 'request', rawBody };
  if (body instanceof Uint8Array) return { from: 'request', rawBody: body };
  return CONSUMED;
}

/** Express's half of the RAW_BODY_UNAVAILABLE message: how to mount so the bytes survive. */
export const EXPRESS_RAW_BODY_FIX =
  'A body parser read it before traxWebhooks. Do one of: mount traxWebhooks before ' +
  "express.json() (app.use(webhooks) first); or parse its path with express.raw({ type: '*/*' }); " +
  'or keep the bytes with express.json({ verify: (req, _res, buf) => { req.rawBody = buf; } }).';
