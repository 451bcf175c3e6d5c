import type { TraxWebhookError } from './errors.js';

/** What the receiver answers the sender; adapters write it as it is. */
export interface WebhookResponse {
  status: number;
  headers: Record<string, string>;
  /** A JSON text. */
  body: string;
}

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' } as const;

/** A JSON response. */
export function jsonResponse(
  status: number,
  body: object,
  headers: Record<string, string> = {},
): WebhookResponse {
  return { status, headers: { ...JSON_HEADERS, ...headers }, body: JSON.stringify(body) };
}

/** The response for an error: its status, its code, its (secret-free) message. */
export function errorResponse(
  error: TraxWebhookError,
  retryAfterSeconds?: number,
): WebhookResponse {
  const headers: Record<string, string> =
    retryAfterSeconds === undefined ? {} : { 'retry-after': String(retryAfterSeconds) };
  return jsonResponse(
    error.status,
    { ok: false, error: { code: error.code, message: error.message } },
    headers,
  );
}
