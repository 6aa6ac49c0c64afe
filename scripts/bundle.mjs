// Bundles the CLI into dist/bin/ (one entry plus lazily loaded chunks, one per command).
// Node resolves and links ~70 small ES modules in ~40-60 ms at every start; a bundle with code
// splitting keeps `--help` and `ps` close to a bare `node` start while commands stay lazy.
// dockerode stays external: it is imported lazily, only by the calls that stream. So does
// @parcel/watcher (a native module), imported only by watch.
import { build } from 'esbuild';
import { chmodSync, rmSync } from 'node:fs';

rmSync('dist/bin', { recursive: true, force: true });
await build({
  entryPoints: { main: 'dist/src/main.js' },
  outdir: 'dist/bin',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['dockerode', 'ssh2', 'cpu-features', '@parcel/watcher'],
  // Bundled CommonJS packages (yaml) call require(); give ES modules one.
  banner: { js: "import { createRequire as __tscomposeRequire } from 'node:module'; const require = __tscomposeRequire(import.meta.url);" },
  logLevel: 'warning',
  minifyWhitespace: true,
  minifySyntax: true,
});
chmodSync('dist/bin/main.js', 0o755);
