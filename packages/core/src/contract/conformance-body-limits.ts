import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningChild, startChildServer } from './conformance-child.js';
import { rawExchange, requestHead, send, statusOf, upload } from './conformance-client.js';
import { type ConformanceContext, MiB, SECRET, signed } from './conformance-fixtures.js';

/** The bounds of a body: 408 for one that stalls, 413 (read by the sender) for one too large. */
export function describeBodyLimits(context: ConformanceContext): void {
  const { name, options, start, handled } = context;
  describe.runIf(options.boundsBodyTime)('408: a body that stalls', () => {
    it('is answered 408 BODY_TIMEOUT after bodyTimeoutMs, reported, and the connection closed', async () => {
      const server = await start({ secret: SECRET, bodyTimeoutMs: 300 });
      const events = handled(server);
      const errors: string[] = [];
      server.receiver.onError((error) => {
        errors.push(error.code);
      });
      const delivery = signed();
      const length = new TextEncoder().encode(delivery.body).byteLength;
      const exchange = await rawExchange(
        server.url,
        requestHead(server.url, 'POST', {
          ...delivery.headers,
          'content-length': String(length),
        }),
        [delivery.body.slice(0, 20)],
        5000,
      );
      expect(statusOf(exchange.response)).toBe(408);
      expect(exchange.response).toContain('BODY_TIMEOUT');
      expect(exchange.closedByServer).toBe(true);
      expect(exchange.elapsedMs).toBeGreaterThanOrEqual(250);
      expect(exchange.elapsedMs).toBeLessThan(3000);
      expect(errors).toEqual(['BODY_TIMEOUT']);
      expect(events).toHaveLength(0);
    });
  });
  if (!options.boundsBodyTime) {
    it.skip(`408 (skipped: ${name} leaves the body's time to its runtime)`, () => {});
  }

  describe('413: a body over the limit', () => {
    it('is answered 413 BODY_TOO_LARGE on a declared Content-Length, without waiting for the body', async () => {
      const server = await start({ secret: SECRET, bodyLimit: 1024 });
      const events = handled(server);
      const delivery = signed();
      // 50 MB declared, not a byte sent: the answer must not depend on reading it.
      const exchange = await rawExchange(
        server.url,
        requestHead(server.url, 'POST', { ...delivery.headers, 'content-length': '50000000' }),
        [],
        5000,
      );
      expect(statusOf(exchange.response)).toBe(413);
      expect(exchange.response).toContain('BODY_TOO_LARGE');
      expect(exchange.elapsedMs).toBeLessThan(3000);
      expect(events).toHaveLength(0);
    });

    it('accepts a body of exactly bodyLimit bytes and refuses one byte more', async () => {
      const delivery = signed();
      const size = new TextEncoder().encode(delivery.body).byteLength;
      const exact = await start({ secret: SECRET, bodyLimit: size });
      expect(
        (await send(exact.url, { headers: delivery.headers, body: delivery.body })).status,
      ).toBe(200);
      const under = await start({ secret: SECRET, bodyLimit: size - 1 });
      const refused = await send(under.url, { headers: delivery.headers, body: delivery.body });
      expect(refused.status).toBe(413);
    });

    describe('the sender reads the 413 (issue 11: a server in its own process, node:http on a fresh connection, 64 KiB chunks with backpressure)', () => {
      let child: RunningChild;
      beforeAll(async () => {
        child = await startChildServer(options.childServer, {
          secret: SECRET,
          bodyTimeoutMs: 10_000,
        });
      }, 40_000);
      afterAll(() => child?.stop());
      const rounds = options.uploadRounds ?? 6;

      it.each([
        ['2 MiB with Content-Length', 2 * MiB, false],
        ['10 MiB with Content-Length', 10 * MiB, false],
        ['1 MiB + 1 with Content-Length', MiB + 1, false],
        ['10 MiB chunked', 10 * MiB, true],
      ] as const)(
        `%s, ${rounds} times: every upload reads the 413`,
        async (_what, size, chunked) => {
          const delivery = signed();
          const seen: string[] = [];
          for (let round = 0; round < rounds; round++) {
            const result = await upload(child.url, { size, chunked, headers: delivery.headers });
            seen.push(
              result.status === 413 && result.body.includes('BODY_TOO_LARGE')
                ? '413'
                : String(result.status ?? result.error),
            );
          }
          expect(seen).toEqual(Array.from({ length: rounds }, () => '413'));
        },
        60_000,
      );
    });
  });
}
