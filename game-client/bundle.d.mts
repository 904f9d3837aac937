/** Types for bundle.mjs (the build script is plain JS so `node` runs it without a compiler). */
export interface BuildClientOptions {
  outdir?: string;
  watch?: boolean;
  minify?: boolean;
  quiet?: boolean;
  onRebuild?: (names: { js: string; css: string | null }) => void;
}
export function buildClient(options?: BuildClientOptions): Promise<{ js: string; css: string | null; dispose?: () => Promise<void> }>;
