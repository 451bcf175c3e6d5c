import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { WebhookSecrets } from '@trax-webhooks/core';
import type { AdapterOptions } from '@trax-webhooks/core/adapter';
import type { AdapterServer } from '@trax-webhooks/core/contract';
import { createWebHandler, type WebHandlerOptions } from '@trax-webhooks/web';

/**
 * createWebHandler served on Node by @hono/node-server (IncomingMessage → Request → Response)
 * on a loopback port. The handler does not route: it is the whole server, so any path reaches
 * it. With `consumeBodyFirst`, something reads the body before it (as `request.json()` would).
 */
export async function startWebServer(
  given: WebhookSecrets | AdapterOptions,
  consumeBodyFirst = false,
): Promise<AdapterServer> {
  const handler = createWebHandler(given as WebhookSecrets | WebHandlerOptions);
  const fetch = consumeBodyFirst
    ? async (request: Request) => {
        await request.text();
        return handler(request);
      }
    : handler;
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const started = serve({ fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(started));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks/trax`,
    receiver: handler,
    close() {
      (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
