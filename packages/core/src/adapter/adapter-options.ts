import { createTraxWebhooks, type TraxWebhooks } from '../create-trax-webhooks.js';
import type { TraxWebhooksOptions } from '../receiver-options.js';
import type { WebhookSecrets } from '../secrets.js';
import { normalisePath } from './request-path.js';

/** The default delivery path of adapters that route by path. */
export const DEFAULT_PATH = '/webhooks/trax';
/** The default time a body may take to arrive: 10 s. */
export const DEFAULT_BODY_TIMEOUT_MS = 10_000;
/** setTimeout's longest delay: a longer one fires at once. */
const MAX_TIMER_MS = 2_147_483_647;

/** The options every adapter takes: core's, plus where and how long to listen. */
export interface AdapterOptions extends TraxWebhooksOptions {
  /**
   * The path deliveries are POSTed to (adapters that route by path). A trailing slash is
   * accepted; the match is case-sensitive; the query string is ignored.
   * @default '/webhooks/trax'
   */
  path?: string;
  /**
   * How long the whole body may take to arrive, in milliseconds. A sender that stalls half-way
   * is answered 408 and disconnected instead of holding the request open.
   * @default 10_000
   */
  bodyTimeoutMs?: number;
}

/** What an adapter needs once its options are read. */
export interface AdapterSettings {
  /** The receiver: a new one, or the one the adapter was given. */
  readonly receiver: TraxWebhooks;
  /** The normalised path. */
  readonly path: string;
  readonly bodyTimeoutMs: number;
}

/** True for a bare secret: a string, key bytes, or a list of them (rotation). */
export function isWebhookSecrets(value: unknown): value is WebhookSecrets {
  return typeof value === 'string' || value instanceof Uint8Array || Array.isArray(value);
}

/** True for a receiver made by `createTraxWebhooks` (or any adapter, which is one too). */
export function isTraxWebhooks(value: unknown): value is TraxWebhooks {
  const candidate = value as Partial<TraxWebhooks> | null;
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof candidate?.receive === 'function' &&
    typeof candidate.handleEvent === 'function' &&
    typeof candidate.onStreamLive === 'function'
  );
}

/**
 * Reads what every adapter is given: a bare secret, options, or (for adapters that accept one)
 * an existing receiver. Validates the adapter's own options; core validates the rest.
 *
 * @throws {TypeError} naming the option that is wrong
 */
export function resolveAdapterOptions(
  secretOrOptions: WebhookSecrets | AdapterOptions | TraxWebhooks,
  adapter: string,
): AdapterSettings {
  if (isTraxWebhooks(secretOrOptions)) {
    return {
      receiver: secretOrOptions,
      path: DEFAULT_PATH,
      bodyTimeoutMs: DEFAULT_BODY_TIMEOUT_MS,
    };
  }
  const options: AdapterOptions = isWebhookSecrets(secretOrOptions)
    ? { secret: secretOrOptions }
    : secretOrOptions;
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`${adapter}() takes a secret or an options object with a secret`);
  }
  const {
    path = DEFAULT_PATH,
    bodyTimeoutMs = DEFAULT_BODY_TIMEOUT_MS,
    ...receiverOptions
  } = options;
  const normalised = normalisePath(path);
  if (!Number.isSafeInteger(bodyTimeoutMs) || bodyTimeoutMs < 1 || bodyTimeoutMs > MAX_TIMER_MS) {
    throw new TypeError('bodyTimeoutMs option must be a positive integer of milliseconds');
  }
  return {
    receiver: createTraxWebhooks(receiverOptions),
    path: normalised,
    bodyTimeoutMs,
  };
}
