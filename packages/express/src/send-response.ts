import type { ServerResponse } from 'node:http';
import type { WebhookResponse } from '@trax-webhooks/core';

/**
 * Writes core's answer as it is. `close` asks Node to close the connection after the answer,
 * for requests whose body was not read to the end (the socket holds unread bytes). The path is
 * ours, so nothing has answered before (if something did, writeHead throws and the middleware
 * hands that to Express's error handler).
 */
export function sendResponse(res: ServerResponse, response: WebhookResponse, close = false): void {
  if (close) res.setHeader('connection', 'close');
  res.writeHead(response.status, response.headers);
  res.end(response.body);
}
