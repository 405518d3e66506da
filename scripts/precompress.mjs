// Writes `.br` (quality 11) and `.gz` (level 9) beside each compiled asset, which the server sends as they are
// to browsers that accept them: the best compression without spending CPU on every request.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';

const dir = process.argv[2] ?? 'target/site/pkg';
let count = 0;
for (const file of readdirSync(dir)) {
  const path = join(dir, file);
  if (!statSync(path).isFile() || !/\.(wasm|js|css)$/.test(file)) continue;
  const data = readFileSync(path);
  writeFileSync(`${path}.br`, brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: data.length } }));
  writeFileSync(`${path}.gz`, gzipSync(data, { level: 9 }));
  count += 1;
}
console.log(`${count} fichiers précompressés (brotli, gzip) dans ${dir}`);
