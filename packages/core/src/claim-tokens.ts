/**
 * Claim tokens: unique per claim across every process sharing a store. A random prefix per
 * receiver plus a counter is as unique as a UUID per claim, and cheaper on the hot path.
 * Uses the global Web Crypto `getRandomValues`, which every runtime has.
 */
export function createClaimTokens(): () => string {
  // Drawn at the first claim, not at creation: a receiver built before a process snapshot
  // (V8 startup snapshot, VM snapshot) must not share its prefix with every restored copy.
  let prefix: string | undefined;
  let count = 0;
  return () => {
    prefix ??= `${randomPrefix()}.`;
    return prefix + (++count).toString(36);
  };
}

/** 96 random bits as 24 hex digits. */
function randomPrefix(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  let hex = '';
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0');
  return hex;
}
