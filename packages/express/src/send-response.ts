import type { ServerResponse } from 'node:http';
import type { WebhookResponse } from '@trax-webhooks/core';

/**
 * Writes core's answer as it is. `close` asks Node to close the connection after the answer,
 * for requests whose body was not read to the end (the socket holds unread bytes).
 */
export function sendResponse(res: ServerResponse, response: WebhookResponse, close = false): void {
  if (res.headersSent) {
    // Something else already answered; all that is left is to finish.
    if (!res.writableEnded) res.end();
    return;
  }
  if (close) res.setHeader('connection', 'close');
  res.writeHead(response.status, response.headers);
  res.end(response.body);
}
