import { beforeAll, describe, expect, it } from 'vitest';
import type { AdapterServer } from './adapter-conformance-options.js';
import { rawExchange, requestHead, send, statusOf } from './conformance-client.js';
import { type ConformanceContext, SECRET, signed, withPath } from './conformance-fixtures.js';

/** The path rules, for adapters that route by path. */
export function describePathRules(context: ConformanceContext): void {
  const { name, options, start } = context;
  describe.runIf(options.routesByPath)('path rules (the adapter routes by path)', () => {
    let server: AdapterServer;
    beforeAll(async () => {
      server = await start({ secret: SECRET });
    });

    it.each(['/webhooks/trax', '/webhooks/trax/', '/webhooks/trax?attempt=2'])(
      'answers %s by default',
      async (path) => {
        expect(new URL(server.url).pathname).toBe('/webhooks/trax');
        const delivery = signed();
        const answer = await send(withPath(server.url, path), {
          headers: delivery.headers,
          body: delivery.body,
        });
        expect(answer.status).toBe(200);
      },
    );

    it('answers an absolute-form request target (as some proxies send it)', async () => {
      const delivery = signed();
      const head = requestHead(server.url, 'POST', {
        ...delivery.headers,
        'content-length': String(new TextEncoder().encode(delivery.body).byteLength),
        connection: 'close',
      }).replace(/^POST \S+/, `POST ${server.url}`);
      const exchange = await rawExchange(server.url, head, [delivery.body], 5000);
      expect(statusOf(exchange.response)).toBe(200);
    });

    it.each(['/Webhooks/trax', '/webhooks/traxx', '/webhooks'])(
      'leaves %s to the framework (404)',
      async (path) => {
        const delivery = signed();
        const answer = await send(withPath(server.url, path), {
          headers: delivery.headers,
          body: delivery.body,
        });
        expect(answer.status).toBe(404);
      },
    );

    it('takes a path option, normalising a trailing slash', async () => {
      const custom = await start({ secret: SECRET, path: '/incoming/trax/' });
      expect(new URL(custom.url).pathname).toBe('/incoming/trax');
      const delivery = signed();
      const at = await send(custom.url, { headers: delivery.headers, body: delivery.body });
      expect(at.status).toBe(200);
      const other = signed();
      const old = await send(withPath(custom.url, '/webhooks/trax'), {
        headers: other.headers,
        body: other.body,
      });
      expect(old.status).toBe(404);
    });

    it('refuses a path option that is not a path', async () => {
      await expect(options.start({ secret: SECRET, path: 'webhooks' })).rejects.toThrow(
        /path option/,
      );
    });
  });
  if (!options.routesByPath) {
    it.skip(`path rules (skipped: ${name} is routed by its framework)`, () => {});
  }
}
