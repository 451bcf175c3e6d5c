/**
 * `node:crypto`, when the runtime has it (Node ≥ 20.16, Bun, Deno), found through
 * `process.getBuiltinModule` rather than an import: a bundle for Workers or the Next.js edge
 * runtime then never names a `node:` module, and one build serves every runtime.
 */

/** The part of `node:crypto` the fast path uses. */
export interface NodeCrypto {
  createHmac(
    algorithm: string,
    key: Uint8Array,
  ): {
    update(data: string | Uint8Array): unknown;
    digest(encoding: 'base64' | 'hex'): string;
  };
  timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean;
}

/** The part of `node:buffer` the fast path uses: latin1 bytes of an encoded signature. */
export interface NodeBuffer {
  from(text: string, encoding: 'latin1'): Uint8Array;
}

interface NodeBuiltins {
  crypto: NodeCrypto;
  Buffer: NodeBuffer;
}

type GetBuiltinModule = (id: string) => unknown;

let builtins: NodeBuiltins | null | undefined;

/** `node:crypto` and `Buffer`, or `undefined` where the runtime has no `node:` modules. */
export function loadNodeBuiltins(): NodeBuiltins | undefined {
  if (builtins === undefined) builtins = find() ?? null;
  return builtins ?? undefined;
}

function find(): NodeBuiltins | undefined {
  const g = globalThis as { EdgeRuntime?: unknown; process?: { getBuiltinModule?: unknown } };
  // The Next.js edge sandbox has a `process` shim that warns on every Node API it is asked for.
  if (typeof g.EdgeRuntime === 'string') return undefined;
  const getBuiltinModule = g.process?.getBuiltinModule;
  if (typeof getBuiltinModule !== 'function') return undefined;
  try {
    const get = getBuiltinModule.bind(g.process) as GetBuiltinModule;
    const crypto = get('node:crypto') as Partial<NodeCrypto> | undefined;
    const buffer = get('node:buffer') as { Buffer?: NodeBuffer } | undefined;
    if (
      typeof crypto?.createHmac !== 'function' ||
      typeof crypto.timingSafeEqual !== 'function' ||
      typeof buffer?.Buffer?.from !== 'function'
    )
      return undefined;
    return { crypto: crypto as NodeCrypto, Buffer: buffer.Buffer };
  } catch {
    return undefined;
  }
}
