import { randomBytes } from 'node:crypto';
import type { AdapterOptions } from '../adapter/adapter-options.js';
import type { ClaimResult, DeliveryStore } from '../delivery-store.js';
import type { WebhookSecrets } from '../secrets.js';
import { signDelivery } from '../sign-delivery.js';
import type { AdapterConformanceOptions, AdapterServer } from './adapter-conformance-options.js';
import type { ConformanceAnswer } from './conformance-client.js';

/** What every section of the suite shares: the adapter's options and the servers it started. */
export interface ConformanceContext {
  readonly name: string;
  readonly options: AdapterConformanceOptions;
  /** Servers to close after the suite. */
  readonly open: AdapterServer[];
  /** Starts a server (closed after the suite). */
  start(given: WebhookSecrets | AdapterOptions): Promise<AdapterServer>;
  /** Subscribes to every event of `server`, and returns the list they land in. */
  handled(server: AdapterServer): unknown[];
}

export const MiB = 1024 * 1024;
export const SECRET = `whsec_${randomBytes(24).toString('base64')}`;
export const OTHER_SECRET = `whsec_${randomBytes(24).toString('base64')}`;

export function liveEvent(studioId = 'st_conformance') {
  const now = new Date().toISOString();
  return {
    type: 'stream.live',
    timestamp: now,
    data: { studioId, encoderStreamId: 'enc_1', liveStartedAt: now, mode: 'cloud' },
  };
}

export function signed(options: { payload?: unknown; secret?: string; timestamp?: number } = {}) {
  return signDelivery({ secret: options.secret ?? SECRET, payload: liveEvent(), ...options });
}

/** A store whose backend is down: every call rejects, as over a dead connection. */
export const deadStore: DeliveryStore = {
  claim: (): Promise<ClaimResult> => Promise.reject(new Error('connect ECONNREFUSED')),
  complete: () => Promise.reject(new Error('connect ECONNREFUSED')),
  release: () => Promise.reject(new Error('connect ECONNREFUSED')),
};

export function errorCode(answer: ConformanceAnswer): string | undefined {
  return answer.json?.error?.code;
}

export function withPath(url: string, path: string): string {
  return new URL(path, url).href;
}
