/**
 * Build the app and serve it for `npm run bench:ui`: `vite build` into a
 * temporary folder (so the bench never races an e2e run over dist/), then
 * `vite preview` of that folder on 127.0.0.1 and a free port. Both through
 * vite's JavaScript API with the project's vite.config.ts (the COOP/COEP
 * headers included), logging only errors, so stdout stays one JSON object.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, preview } from 'vite';

export interface Served {
  readonly url: string;
  readonly outDir: string;
  close(): Promise<void>;
}

/** A port nobody listens on right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

export async function buildAndServe(root: string): Promise<Served> {
  const outDir = mkdtempSync(join(tmpdir(), 'lguest-lab-bench-ui-'));
  await build({ root, logLevel: 'error', build: { outDir, emptyOutDir: true } });
  const port = await freePort();
  const server = await preview({ root, logLevel: 'error', build: { outDir }, preview: { host: '127.0.0.1', port, strictPort: true, open: false } });
  return {
    url: `http://127.0.0.1:${port}`,
    outDir,
    close: async () => {
      await server.close();
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}

/** gzip size (level 6, what servers use) of each built JS file, and their sum, in KB (1000 bytes). */
export function jsGzipSizes(outDir: string): { total_kb: number; files: Record<string, { bytes: number; gzip_bytes: number }> } {
  const dir = join(outDir, 'assets');
  const files: Record<string, { bytes: number; gzip_bytes: number }> = {};
  let total = 0;
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.js')).sort()) {
    const buf = readFileSync(join(dir, f));
    const gz = gzipSync(buf, { level: 6 }).length;
    files[f] = { bytes: buf.length, gzip_bytes: gz };
    total += gz;
  }
  return { total_kb: Math.round(total / 100) / 10, files };
}
