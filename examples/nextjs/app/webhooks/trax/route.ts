// POST /webhooks/trax on the Node.js runtime (node:crypto: the synchronous fast path).
import { after } from 'next/server';
import { createReceiver } from '../../../lib/webhooks';

const webhooks = createReceiver();

// `after` keeps the store's writes (and `ack: 'immediate'` handlers) running once the answer
// is sent, also on serverless hosts. `export const POST = webhooks` works as well.
export function POST(request: Request): Promise<Response> {
  return webhooks(request, { waitUntil: after });
}
