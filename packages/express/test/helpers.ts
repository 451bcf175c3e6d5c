import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type SignDeliveryOptions, signDelivery } from '@trax-webhooks/core';
import express5 from 'express';
import express4 from 'express4';
import { liveEvent, SECRET } from '../../../test-support/fixtures.js';
import {
  type RawExchange,
  rawExchange as rawExchangeWithUrl,
} from '../../core/src/contract/conformance-client.js';

export { liveEvent, OTHER_SECRET, SECRET } from '../../../test-support/fixtures.js';
export {
  type RawExchange,
  statusOf,
} from '../../core/src/contract/conformance-client.js';
export const PATH = '/webhooks/trax';

/** Both supported Express majors: every suite runs on each. */
export const expressVersions = [
  ['Express 5', express5 as unknown as typeof express5],
  ['Express 4', express4 as unknown as typeof express5],
] as const;

/** A delivery signed with {@link SECRET} unless told otherwise. */
export function signed(options: Partial<SignDeliveryOptions> = {}) {
  return signDelivery({ secret: SECRET, payload: liveEvent(), ...options });
}

/** Listens on an ephemeral loopback port. */
export async function listen(
  app: (req: never, res: never) => void,
): Promise<{ server: Server; port: number }> {
  const { createServer } = await import('node:http');
  const server = createServer(app as never);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

export function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** What a raw socket saw: everything the server wrote, and whether the server closed it. */
/**
 * Writes `head` and `chunks` on a bare TCP socket to 127.0.0.1:`port` and waits until the
 * server closes the connection or `waitMs` passes: the conformance suite's raw client.
 */
export function rawExchange(
  port: number,
  head: string,
  chunks: Array<string | Buffer> = [],
  waitMs = 3000,
): Promise<RawExchange> {
  return rawExchangeWithUrl(`http://127.0.0.1:${port}/`, head, chunks, waitMs);
}

/** Request headers in raw HTTP form. */
export function headerLines(headers: Record<string, string>): string {
  return Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
}

/** Resolves when `check()` is true, polling briefly. */
export async function until(check: () => boolean, timeoutMs = 2000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
