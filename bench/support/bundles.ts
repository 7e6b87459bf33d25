import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

export interface BundleSize {
  html: string;
  files: { file: string; rawBytes: number; gzipBytes: number }[];
  gzipKb: number;
}

/**
 * The JS a page loads before it can run: its module scripts and the chunks it
 * modulepreloads. Lazy route chunks are not counted (they load on navigation).
 * Each file gzipped at level 9 on its own, as a server would send it.
 */
export const initialJs = (distDir: string, htmlFile: string): BundleSize | null => {
  const htmlPath = path.join(distDir, htmlFile);
  if (!existsSync(htmlPath)) return null;
  const html = readFileSync(htmlPath, 'utf8');
  const refs = new Set<string>();
  for (const m of html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"[^>]*>/g)) refs.add(m[1]!);
  for (const m of html.matchAll(/<link\b[^>]*\brel="modulepreload"[^>]*>/g)) {
    const href = /\bhref="([^"]+)"/.exec(m[0])?.[1];
    if (href) refs.add(href);
  }
  const files = [...refs]
    .filter((r) => !/^(https?:)?\/\//.test(r))
    .map((ref) => {
      const file = path.join(distDir, ref.replace(/^\//, '').split('?')[0]!);
      const raw = readFileSync(file);
      return { file: path.relative(distDir, file), rawBytes: raw.length, gzipBytes: gzipSync(raw, { level: 9 }).length };
    });
  return { html: htmlFile, files, gzipKb: files.reduce((s, f) => s + f.gzipBytes, 0) / 1024 };
};
