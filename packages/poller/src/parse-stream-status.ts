import type { StreamMode } from '@trax-webhooks/core';

/** What `GET /v1/studios/{id}/stream-status` answers. Fields not known today pass through. */
export type StreamStatus =
  | { readonly live: false; readonly [field: string]: unknown }
  | {
      readonly live: true;
      readonly encoderStreamId: string;
      readonly liveStartedAt: string;
      readonly mode: StreamMode;
      readonly [field: string]: unknown;
    };

/** A parsed body, or why it is not a stream-status. */
export type ParsedStreamStatus =
  | { readonly ok: true; readonly status: StreamStatus }
  | { readonly ok: false; readonly reason: string };

/**
 * Checks a stream-status body. A live studio must name its session (`encoderStreamId`,
 * `liveStartedAt`) and `mode`, since the `stream.live` event promises them; anything less is
 * a wrong shape, which the poller treats as an error and never as "offline".
 */
export function parseStreamStatus(body: unknown): ParsedStreamStatus {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, reason: 'the body is not a JSON object' };
  }
  const value = body as Record<string, unknown>;
  if (value.live === false) return { ok: true, status: value as StreamStatus };
  if (value.live !== true) return { ok: false, reason: '"live" is not a boolean' };
  for (const field of ['encoderStreamId', 'liveStartedAt', 'mode'] as const) {
    if (typeof value[field] !== 'string' || value[field] === '') {
      return { ok: false, reason: `a live studio's "${field}" is not a non-empty string` };
    }
  }
  return { ok: true, status: value as StreamStatus };
}
