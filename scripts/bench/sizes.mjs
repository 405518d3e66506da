// Sizes of the release assets, raw and compressed as the server can send them (gzip, brotli).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';

const dir = process.argv[2] ?? 'target/site/pkg';
// Optional budget, in bytes, for each WebAssembly file as sent compressed (brotli).
const wasmBudget = Number(process.argv[3] ?? 0);
let overBudget = false;
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
let total = { raw: 0, gzip: 0, br: 0 };
console.log(`Fichiers de ${dir} (release) :`);
for (const file of readdirSync(dir).sort()) {
  const path = join(dir, file);
  if (!statSync(path).isFile() || !/\.(wasm|js|css)$/.test(file)) continue;
  const data = readFileSync(path);
  const gzip = gzipSync(data, { level: 9 }).length;
  const br = brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  total = { raw: total.raw + data.length, gzip: total.gzip + gzip, br: total.br + br };
  const over = wasmBudget > 0 && file.endsWith('.wasm') && br > wasmBudget;
  if (over) overBudget = true;
  console.log(`  ${file.padEnd(28)} brut ${kb(data.length).padStart(10)}  gzip ${kb(gzip).padStart(9)}  brotli ${kb(br).padStart(9)}${over ? `  BUDGET DÉPASSÉ (${kb(wasmBudget)})` : ''}`);
}
console.log(`  ${'total'.padEnd(28)} brut ${kb(total.raw).padStart(10)}  gzip ${kb(total.gzip).padStart(9)}  brotli ${kb(total.br).padStart(9)}`);

if (overBudget) process.exit(1);
