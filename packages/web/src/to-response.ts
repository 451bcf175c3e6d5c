import type { WebhookResponse } from '@trax-webhooks/core';

/** Writes core's answer as a fetch `Response`, as it is. */
export function toResponse(answer: WebhookResponse): Response {
  return new Response(answer.body, { status: answer.status, headers: answer.headers });
}
