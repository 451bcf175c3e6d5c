import type { Server } from 'node:http';
import { traxWebhooks } from '@trax-webhooks/express';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  close,
  expressVersions,
  headerLines,
  listen,
  PATH,
  rawExchange,
  SECRET,
  signed,
  statusOf,
} from './helpers.js';

/**
 * Bodies a normal HTTP client will not send (half a body then silence, a chunked body that
 * never ends), so these tests talk raw HTTP over a TCP socket to a listening server.
 */
describe.each(expressVersions)(
  '%s: the limits hold while the body is on the wire',
  (_name, express) => {
    let server: Server | undefined;
    afterEach(async () => {
      if (server) await close(server);
      server = undefined;
    });

    async function start(options: { bodyLimit?: number; bodyTimeoutMs?: number } = {}) {
      const webhooks = traxWebhooks({ secret: SECRET, ...options });
      const handler = vi.fn();
      webhooks.onAny(handler);
      const app = express().use(webhooks);
      const listening = await listen(app as never);
      server = listening.server;
      return { port: listening.port, handler, webhooks };
    }

    function head(headers: Record<string, string>): string {
      return `POST ${PATH} HTTP/1.1\r\nhost: 127.0.0.1\r\n${headerLines(headers)}\r\n`;
    }

    it('answers 413 to a declared content-length over the limit without waiting for the body, then closes', async () => {
      const { port, handler } = await start({ bodyLimit: 1024 });
      const delivery = signed();
      // 50 MB declared, not one byte sent: the answer must not depend on reading it.
      const exchange = await rawExchange(
        port,
        head({ ...delivery.headers, 'content-length': String(50_000_000) }),
      );
      expect(statusOf(exchange.response)).toBe(413);
      expect(exchange.response.toLowerCase()).toContain('connection: close');
      expect(exchange.closedByServer).toBe(true);
      expect(exchange.elapsedMs).toBeLessThan(2000);
      expect(handler).not.toHaveBeenCalled();
    });

    it('gets the 413 to a client still uploading a large body, not a reset', async () => {
      // The socket is closed with unread bytes in it; the answer must still reach the sender.
      const { port, handler } = await start({ bodyLimit: 1024 });
      const delivery = signed();
      const big = 'x'.repeat(4_000_000);
      for (let attempt = 0; attempt < 3; attempt++) {
        const res = await fetch(`http://127.0.0.1:${port}${PATH}`, {
          method: 'POST',
          headers: delivery.headers,
          body: big,
        });
        expect(res.status).toBe(413);
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe(
          'BODY_TOO_LARGE',
        );
      }
      expect(handler).not.toHaveBeenCalled();
    });

    it('answers 413 to a chunked body that passes the limit, keeps discarding it for at most bodyTimeoutMs, then closes', async () => {
      const { port, handler } = await start({ bodyLimit: 1024, bodyTimeoutMs: 300 });
      const delivery = signed();
      const chunk = (text: string) => `${text.length.toString(16)}\r\n${text}\r\n`;
      // 2 KiB in 512-byte chunks and no terminating chunk: the sender would go on forever.
      const chunks = Array.from({ length: 4 }, () => chunk('x'.repeat(512)));
      const exchange = await rawExchange(
        port,
        head({ ...delivery.headers, 'transfer-encoding': 'chunked' }),
        chunks,
      );
      expect(statusOf(exchange.response)).toBe(413);
      expect(exchange.response).toContain('BODY_TOO_LARGE');
      expect(exchange.closedByServer).toBe(true);
      // The drain waits for the rest of the upload (so a sender still writing reads the 413), but
      // not past one body timeout.
      expect(exchange.elapsedMs).toBeGreaterThanOrEqual(250);
      expect(exchange.elapsedMs).toBeLessThan(2000);
      expect(handler).not.toHaveBeenCalled();
    });

    it('accepts a chunked body within the limit', async () => {
      const { port, handler } = await start();
      const delivery = signed();
      const half = Math.floor(delivery.body.length / 2);
      const chunk = (text: string) => `${Buffer.byteLength(text).toString(16)}\r\n${text}\r\n`;
      const exchange = await rawExchange(
        port,
        head({ ...delivery.headers, 'transfer-encoding': 'chunked', connection: 'close' }),
        [chunk(delivery.body.slice(0, half)), chunk(delivery.body.slice(half)), '0\r\n\r\n'],
      );
      expect(statusOf(exchange.response)).toBe(200);
      expect(handler).toHaveBeenCalledTimes(1);
    });

    it('cuts off a sender that sends half a body and stalls, answering 408 after bodyTimeoutMs', async () => {
      const { port, handler, webhooks } = await start({ bodyTimeoutMs: 200 });
      const errors: string[] = [];
      webhooks.onError((error) => {
        errors.push(error.code);
      });
      const delivery = signed();
      const exchange = await rawExchange(
        port,
        head({ ...delivery.headers, 'content-length': String(Buffer.byteLength(delivery.body)) }),
        [delivery.body.slice(0, 20)],
        5000,
      );
      expect(statusOf(exchange.response)).toBe(408);
      expect(exchange.closedByServer).toBe(true);
      expect(exchange.elapsedMs).toBeGreaterThanOrEqual(150);
      expect(exchange.elapsedMs).toBeLessThan(2000);
      expect(handler).not.toHaveBeenCalled();
      expect(errors).toEqual(['BODY_TIMEOUT']);
    });

    it('survives a sender that disconnects mid-body, and keeps serving', async () => {
      const { port, handler } = await start();
      const delivery = signed();
      const { connect } = await import('node:net');
      const socket = connect(port, '127.0.0.1');
      await new Promise<void>((resolve) => socket.on('connect', () => resolve()));
      socket.write(head({ ...delivery.headers, 'content-length': '500' }));
      socket.write(delivery.body.slice(0, 10));
      await new Promise((resolve) => setTimeout(resolve, 50));
      socket.destroy();
      const next = signed();
      const exchange = await rawExchange(
        port,
        head({
          ...next.headers,
          'content-length': String(Buffer.byteLength(next.body)),
          connection: 'close',
        }),
        [next.body],
      );
      expect(statusOf(exchange.response)).toBe(200);
      expect(handler).toHaveBeenCalledTimes(1);
    });
  },
);
