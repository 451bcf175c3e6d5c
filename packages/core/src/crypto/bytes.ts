/**
 * Bytes without `Buffer`: UTF-8, base64 and hex as every runtime has them (TextEncoder,
 * atob/btoa). Used at setup and on the Web Crypto path; the `node:crypto` path encodes natively.
 */

const encoder = new TextEncoder();

/** The UTF-8 bytes of `text`. */
export function utf8Bytes(text: string): Uint8Array {
  return encoder.encode(text);
}

/** Decodes base64 that has already been checked to be base64 (atob is lenient about the rest). */
export function base64ToBytes(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Standard base64, padded, as `Buffer#toString('base64')` writes it. */
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]!);
  return btoa(binary);
}

const HEX = '0123456789abcdef';

/** Decodes lower-case hex; `undefined` for anything else (upper case, odd length, other characters). */
export function hexToBytes(hex: string): Uint8Array | undefined {
  if (hex.length % 2 !== 0) return undefined;
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) {
    const high = HEX.indexOf(hex[2 * i]!);
    const low = HEX.indexOf(hex[2 * i + 1]!);
    if (high < 0 || low < 0) return undefined;
    bytes[i] = (high << 4) | low;
  }
  return bytes;
}

/** One buffer of `chunks` in order (strings as UTF-8); a lone byte chunk is returned as it is. */
export function concatBytes(chunks: ReadonlyArray<string | Uint8Array>): Uint8Array {
  if (chunks.length === 1 && typeof chunks[0] !== 'string') return chunks[0]!;
  const parts = chunks.map((chunk) => (typeof chunk === 'string' ? utf8Bytes(chunk) : chunk));
  let length = 0;
  for (const part of parts) length += part.byteLength;
  const joined = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.byteLength;
  }
  return joined;
}
