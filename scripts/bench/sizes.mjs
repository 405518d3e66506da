// Sizes of the release assets, raw and compressed as the server can send them (gzip, brotli): the module of every
// island, its JavaScript and the style sheet, then the module of each kind of page (islands-<kind>, see
// app/islands.txt) one by one. What one page really loads is measured by first-load.mjs and lighthouse.mjs.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';

const dir = process.argv[2] ?? 'target/site/pkg';
const mainName = process.argv[3] ?? 'ia-factory';
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const line = (name, s) =>
  `  ${name.padEnd(44)} brut ${kb(s.raw).padStart(10)}  gzip ${kb(s.gzip).padStart(9)}  brotli ${kb(s.br).padStart(9)}`;

const main = [];
const chunks = [];
for (const file of readdirSync(dir).sort()) {
  const path = join(dir, file);
  if (!statSync(path).isFile() || !/\.(wasm|js|css)$/.test(file)) continue;
  const data = readFileSync(path);
  const sizes = {
    file,
    raw: data.length,
    gzip: gzipSync(data, { level: 9 }).length,
    br: brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
  (file.startsWith(mainName) || file.endsWith('.css') ? main : chunks).push(sizes);
}
const sum = (list) => list.reduce((t, s) => ({ raw: t.raw + s.raw, gzip: t.gzip + s.gzip, br: t.br + s.br }), { raw: 0, gzip: 0, br: 0 });

console.log(`Fichiers de ${dir} (release) :`);
main.forEach((s) => console.log(line(s.file, s)));
if (chunks.length > 0) {
  console.log('  modules des types de pages :');
  chunks.forEach((s) => console.log(line(`  ${s.file}`, s)));
}
console.log(line('total', sum([...main, ...chunks])));
if (main.length === 0) {
  console.error(`Aucun fichier compilé dans ${dir} : lancez d'abord la compilation release.`);
  process.exit(1);
}
