import { createHmac } from 'node:crypto';
import type { SignatureScheme } from './signature-scheme.js';

/**
 * The encoded HMAC of one delivery's signed content under one key: the single recipe both
 * signing and verifying use, so the two can never drift apart.
 */
export function computeSignature(
  scheme: SignatureScheme,
  key: Buffer,
  content: ReadonlyArray<string | Buffer>,
): string {
  const hmac = createHmac(scheme.algorithm, key);
  for (const chunk of content) hmac.update(chunk);
  return hmac.digest(scheme.encoding);
}
