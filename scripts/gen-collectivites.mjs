#!/usr/bin/env node
// Génère server/data/collectivites.tsv (communes, EPCI à fiscalité propre,
// départements, régions) à partir du paquet npm @etalab/decoupage-administratif
// (version 6.0.0, millésime 2026, code sous licence MIT, données sous Licence Ouverte Etalab).
//
// Generates server/data/collectivites.tsv (one row per collectivité) from the
// npm package @etalab/decoupage-administratif. No other dependency.
//
// Usage / Utilisation (depuis la racine du dépôt / from the repository root):
//   npm install --prefix /tmp/etalab @etalab/decoupage-administratif@6.0.0 \
//     && node scripts/gen-collectivites.mjs /tmp/etalab/node_modules/@etalab/decoupage-administratif
//
// Argument optionnel : dossier du paquet (défaut : node_modules/@etalab/decoupage-administratif,
// relatif au répertoire courant). La sortie est toujours écrite dans server/data/ du dépôt.
//
// Format : TSV UTF-8, une ligne d'en-tête, colonnes
//   kind code siren name postal_codes population departement_code departement_name region_code region_name
// Tri : region, departement, epci, commune, puis code (ordre binaire des chaînes).
// Population : population municipale. Départements et régions : somme des communes
// (le jeu de données n'en fournit pas). EPCI : populationMunicipale du jeu de données,
// sinon somme des communes membres. Champ vide si inconnu.
// SIREN des départements, régions et collectivités à statut particulier : le paquet n'en donne pas ; ils
// viennent de server/data/sirens.tsv (sources citées ligne par ligne, voir server/data/README.md). Une
// collectivité qui couvre plusieurs lignes de la liste porte son SIREN sur une seule ; la Collectivité
// européenne d'Alsace (code INSEE 6AE), absente du paquet, y est ajoutée comme département.

import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const EXPECTED_VERSION = '6.0.0';
const pkgDir = resolve(process.argv[2] ?? 'node_modules/@etalab/decoupage-administratif');
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outFile = join(repoRoot, 'server', 'data', 'collectivites.tsv');

const readJson = (rel) => JSON.parse(readFileSync(join(pkgDir, rel), 'utf8'));

const pkg = readJson('package.json');
if (pkg.name !== '@etalab/decoupage-administratif') {
  throw new Error(`${pkgDir} is not @etalab/decoupage-administratif (found ${pkg.name})`);
}
if (pkg.version !== EXPECTED_VERSION) {
  console.warn(`warning: package version ${pkg.version}, expected ${EXPECTED_VERSION}`);
}

const regions = readJson('data/regions.json');
const departements = readJson('data/departements.json');
const epcis = readJson('data/epci.json');
const communes = readJson('data/communes.json').filter((c) => c.type === 'commune-actuelle');

const regionByCode = new Map(regions.map((r) => [r.code, r]));
const depByCode = new Map(departements.map((d) => [d.code, d]));
const communeByCode = new Map(communes.map((c) => [c.code, c]));

const isInt = (v) => typeof v === 'number' && Number.isInteger(v);
const regionName = (code) => regionByCode.get(code)?.nom ?? '';
const depName = (code) => depByCode.get(code)?.nom ?? '';

// Somme des populations connues ; null si aucune n'est connue.
function sumPopulation(list) {
  let total = 0;
  let known = false;
  for (const p of list) {
    if (isInt(p)) {
      total += p;
      known = true;
    }
  }
  return known ? total : null;
}

const popByDep = new Map();
const popByRegion = new Map();
for (const c of communes) {
  (popByDep.get(c.departement) ?? popByDep.set(c.departement, []).get(c.departement)).push(c.population);
  (popByRegion.get(c.region) ?? popByRegion.set(c.region, []).get(c.region)).push(c.population);
}

const rows = [];
const KIND_ORDER = { region: 0, departement: 1, epci: 2, commune: 3 };

for (const r of regions) {
  rows.push({
    kind: 'region',
    code: r.code,
    siren: r.siren ?? '',
    name: r.nom,
    postal_codes: '',
    population: isInt(r.population) ? r.population : sumPopulation(popByRegion.get(r.code) ?? []),
    departement_code: '',
    departement_name: '',
    region_code: r.code,
    region_name: r.nom,
  });
}

for (const d of departements) {
  rows.push({
    kind: 'departement',
    code: d.code,
    siren: d.siren ?? '',
    name: d.nom,
    postal_codes: '',
    population: isInt(d.population) ? d.population : sumPopulation(popByDep.get(d.code) ?? []),
    departement_code: d.code,
    departement_name: d.nom,
    region_code: d.region ?? '',
    region_name: regionName(d.region),
  });
}

for (const e of epcis) {
  const membres = e.membres ?? [];
  const first = membres.length ? communeByCode.get(membres[0].code) : undefined;
  const depCode = e.departement ?? first?.departement ?? '';
  const regCode = e.region ?? first?.region ?? '';
  let population = e.populationMunicipale ?? e.population;
  if (!isInt(population)) {
    population = sumPopulation(
      membres.map((m) => (isInt(m.populationMunicipale) ? m.populationMunicipale : communeByCode.get(m.code)?.population)),
    );
  }
  rows.push({
    kind: 'epci',
    code: e.code,
    siren: e.siren ?? e.code,
    name: e.nom,
    postal_codes: '',
    population,
    departement_code: depCode,
    departement_name: depName(depCode),
    region_code: regCode,
    region_name: regionName(regCode),
  });
}

for (const c of communes) {
  rows.push({
    kind: 'commune',
    code: c.code,
    siren: c.siren ?? '',
    name: c.nom,
    postal_codes: (c.codesPostaux ?? []).join(' '),
    population: isInt(c.population) ? c.population : null,
    departement_code: c.departement ?? '',
    departement_name: depName(c.departement),
    region_code: c.region ?? '',
    region_name: regionName(c.region),
  });
}

// Bodies of the SIREN list that the package does not have: the départements they replace.
const NEW_BODIES = { '6AE': { covers: ['67', '68'], region: '44' } };
const sirenLines = readFileSync(join(repoRoot, 'server', 'data', 'sirens.tsv'), 'utf8').trim().split('\n').slice(1);
for (const line of sirenLines) {
  const [kind, code, siren, officialName] = line.split('\t');
  const row = rows.find((r) => r.kind === kind && r.code === code);
  if (row) {
    row.siren = siren;
    continue;
  }
  const body = NEW_BODIES[code];
  if (!body) throw new Error(`sirens.tsv: ${kind} ${code} is not in the list`);
  rows.push({
    kind,
    code,
    siren,
    name: officialName,
    postal_codes: '',
    population: sumPopulation(body.covers.map((c) => rows.find((r) => r.kind === 'departement' && r.code === c)?.population)),
    departement_code: code,
    departement_name: officialName,
    region_code: body.region,
    region_name: regionName(body.region),
  });
}
const sirens = rows.filter((r) => r.siren).map((r) => r.siren);
if (new Set(sirens).size !== sirens.length) throw new Error('a SIREN is on two rows');

const cmp = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
rows.sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || cmp(a.code, b.code));

const COLUMNS = [
  'kind', 'code', 'siren', 'name', 'postal_codes', 'population',
  'departement_code', 'departement_name', 'region_code', 'region_name',
];
const clean = (v) => (v === null || v === undefined ? '' : String(v).replace(/[\t\r\n]+/g, ' ').trim());

const lines = [COLUMNS.join('\t')];
for (const row of rows) lines.push(COLUMNS.map((k) => clean(row[k])).join('\t'));

mkdirSync(dirname(outFile), { recursive: true });
writeFileSync(outFile, lines.join('\n') + '\n', 'utf8');

const counts = {};
for (const row of rows) counts[row.kind] = (counts[row.kind] ?? 0) + 1;
console.log(`${pkg.name}@${pkg.version} -> ${outFile}`);
console.log(Object.entries(counts).map(([k, n]) => `${k}: ${n}`).join(', '), `(total ${rows.length})`);
