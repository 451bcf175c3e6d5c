/** Builds the Worker; resolves with esbuild's metafile. */
export function buildWorker(options?: {
  outfile?: string;
  minify?: boolean;
}): Promise<import('esbuild').Metafile>;
