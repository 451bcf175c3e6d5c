/** What became of reading a request body, whatever the runtime. */
export type BodyReadResult =
  | { readonly outcome: 'read'; readonly body: Uint8Array }
  | { readonly outcome: 'too-large' }
  | { readonly outcome: 'timed-out' }
  | { readonly outcome: 'aborted' };

/** A declared `Content-Length` over `limit`: refuse before reading a byte. */
export function declaresTooLarge(contentLength: string | null | undefined, limit: number): boolean {
  if (contentLength === undefined || contentLength === null) return false;
  const declared = Number(contentLength);
  return Number.isFinite(declared) && declared > limit;
}

export const TOO_LARGE: BodyReadResult = Object.freeze({ outcome: 'too-large' });
export const TIMED_OUT: BodyReadResult = Object.freeze({ outcome: 'timed-out' });
export const ABORTED: BodyReadResult = Object.freeze({ outcome: 'aborted' });
