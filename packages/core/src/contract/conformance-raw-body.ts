import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AdapterServer } from './adapter-conformance-options.js';
import { rawExchange, requestHead, send, statusOf } from './conformance-client.js';
import {
  type ConformanceContext,
  errorCode,
  liveEvent,
  SECRET,
  signed,
} from './conformance-fixtures.js';
import { signBytes } from './sign-bytes.js';

/** The raw-body cases: exact bytes, content types, invalid UTF-8, chunked, a body consumed first. */
export function describeRawBody(context: ConformanceContext): void {
  const { name, options, open, start, handled } = context;
  describe('raw body', () => {
    let server: AdapterServer;
    let events: unknown[];
    beforeAll(async () => {
      server = await start({ secret: SECRET });
      events = handled(server);
    });

    it('verifies the exact bytes: pretty-printed JSON with non-ASCII text', async () => {
      const payload = JSON.stringify({ ...liveEvent('st_ünïcødé ✓'), extra: [1, 2] }, null, 3);
      const delivery = signed({ payload });
      const answer = await send(server.url, { headers: delivery.headers, body: delivery.body });
      expect(answer.status).toBe(200);
      expect(events.at(-1)).toEqual(JSON.parse(payload));
    });

    it.each([
      ['application/json; charset=utf-8'],
      ['text/plain'],
      ['application/octet-stream'],
      [undefined],
    ])('verifies the same bytes whatever the content type (%s)', async (contentType) => {
      const delivery = signed();
      const { 'content-type': _json, ...headers } = delivery.headers;
      const answer = await send(server.url, {
        headers: contentType ? { ...headers, 'content-type': contentType } : headers,
        body: new TextEncoder().encode(delivery.body),
      });
      expect(answer.status).toBe(200);
    });

    it('400 INVALID_JSON to a signed body that is not UTF-8', async () => {
      // "st_x" → "st_\xff": a byte that never appears in UTF-8; the handler must not see U+FFFD.
      const text = JSON.stringify(liveEvent('st_x'));
      const bytes = new TextEncoder().encode(text);
      bytes[text.indexOf('st_x') + 3] = 0xff;
      const headers = signBytes(SECRET, `msg_${randomBytes(8).toString('hex')}`, bytes);
      const before = events.length;
      const answer = await send(server.url, { headers, body: bytes });
      expect(answer.status).toBe(400);
      expect(errorCode(answer)).toBe('INVALID_JSON');
      expect(events).toHaveLength(before);
    });

    it('reads a chunked body within the limit', async () => {
      const delivery = signed();
      const half = Math.floor(delivery.body.length / 2);
      const chunk = (text: string) =>
        `${new TextEncoder().encode(text).byteLength.toString(16)}\r\n${text}\r\n`;
      const exchange = await rawExchange(
        server.url,
        requestHead(server.url, 'POST', {
          ...delivery.headers,
          'transfer-encoding': 'chunked',
          connection: 'close',
        }),
        [chunk(delivery.body.slice(0, half)), chunk(delivery.body.slice(half)), '0\r\n\r\n'],
        5000,
      );
      expect(statusOf(exchange.response)).toBe(200);
    });

    it.runIf(options.startWithBodyConsumed)(
      '500 RAW_BODY_UNAVAILABLE when something consumed the body first, and no handler runs',
      async () => {
        const consumed = await options.startWithBodyConsumed!({ secret: SECRET });
        open.push(consumed);
        const consumedEvents = handled(consumed);
        const delivery = signed();
        const answer = await send(consumed.url, {
          headers: delivery.headers,
          body: delivery.body,
        });
        expect(answer.status).toBe(500);
        expect(errorCode(answer)).toBe('RAW_BODY_UNAVAILABLE');
        expect(consumedEvents).toHaveLength(0);
      },
    );
    if (!options.startWithBodyConsumed) {
      it.skip(`500 RAW_BODY_UNAVAILABLE (skipped: ${name} has no way to consume the body before the adapter)`, () => {});
    }
  });
}
