import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AdapterOptions } from '@trax-webhooks/core/adapter';
import type { AdapterServer } from '@trax-webhooks/core/contract';
import { traxWebhooks, type WebhookSecrets } from '@trax-webhooks/express';
import express5 from 'express';
import express4 from 'express4';

/** Both supported Express majors, by the name the conformance child takes on its command line. */
export const expressMajors = {
  express5,
  express4: express4 as unknown as typeof express5,
} as const;
export type ExpressMajor = keyof typeof expressMajors;

/**
 * An Express app with the middleware made from `given`, listening on a loopback port. With
 * `consumeBodyFirst`, express.json() is mounted before it (the mounting the README warns about).
 */
export async function startExpress(
  major: ExpressMajor,
  given: WebhookSecrets | AdapterOptions,
  consumeBodyFirst = false,
): Promise<AdapterServer> {
  const webhooks = traxWebhooks(given);
  const app = expressMajors[major]();
  if (consumeBodyFirst) app.use(express5.json({ type: '*/*' }));
  app.use(webhooks);
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${webhooks.path}`,
    receiver: webhooks,
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
