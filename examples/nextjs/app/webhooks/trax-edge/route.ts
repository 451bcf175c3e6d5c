// POST /webhooks/trax-edge on the edge runtime: Web Crypto, no node:crypto.
import { createReceiver } from '../../../lib/webhooks';

export const runtime = 'edge';

export const POST = createReceiver();
