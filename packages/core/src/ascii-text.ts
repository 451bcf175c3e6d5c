/**
 * The text of an all-ASCII body, decoded by Node's `Buffer` (Node, Bun) where the runtime has
 * it: `isAscii` is one SIMD pass and a latin1 decode of ASCII is a plain copy, about twice as
 * fast as a fatal `TextDecoder` at 16 KB (BENCHMARKS.md, verify). Latin1 maps every byte to the
 * character of the same code, so for ASCII bytes it spells exactly the UTF-8 text; anything
 * else (a BOM, any byte ≥ 0x80) is left to the caller's fatal decoder. Found through
 * `process.getBuiltinModule`, like `node:crypto`, so no bundle names a `node:` module.
 */

/** What latin1 decoding needs of a `Buffer`. */
interface Latin1Text {
  toString(encoding: 'latin1'): string;
}

interface NodeBufferModule {
  isAscii(input: Uint8Array): boolean;
  Buffer: {
    isBuffer(value: unknown): boolean;
    from(buffer: ArrayBufferLike, byteOffset: number, length: number): Latin1Text;
  };
}

type AsciiDecoder = (bytes: Uint8Array) => string | undefined;

let found: AsciiDecoder | null | undefined;

/** The text of `bytes` when they are all ASCII and this runtime decodes that fast; else `undefined`. */
export function asciiText(bytes: Uint8Array): string | undefined {
  if (found === undefined) found = find() ?? null;
  return found === null ? undefined : found(bytes);
}

function find(): AsciiDecoder | undefined {
  const g = globalThis as {
    Deno?: unknown;
    EdgeRuntime?: unknown;
    process?: { getBuiltinModule?: unknown };
  };
  // Deno's `Buffer` is a JavaScript polyfill (its latin1 decode is a loop): TextDecoder wins
  // there. The Next.js edge sandbox warns on every Node API it is asked for.
  if (g.Deno !== undefined || typeof g.EdgeRuntime === 'string') return undefined;
  const getBuiltinModule = g.process?.getBuiltinModule;
  if (typeof getBuiltinModule !== 'function') return undefined;
  let buffer: Partial<NodeBufferModule> | undefined;
  try {
    buffer = getBuiltinModule.call(g.process, 'node:buffer') as Partial<NodeBufferModule>;
  } catch {
    return undefined;
  }
  const isAscii = buffer?.isAscii;
  const NodeBuffer = buffer?.Buffer;
  if (typeof isAscii !== 'function' || typeof NodeBuffer?.isBuffer !== 'function') return undefined;
  return function decodeAscii(bytes) {
    if (!isAscii(bytes)) return undefined;
    // The Node adapters hand over a Buffer; a fetch body is a plain Uint8Array: view it.
    return NodeBuffer.isBuffer(bytes)
      ? (bytes as Uint8Array & Latin1Text).toString('latin1')
      : NodeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  };
}
