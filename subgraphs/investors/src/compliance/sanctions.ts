import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';

/** One name on the list: the entry's primary name or one of its aliases. */
export interface SdnName {
  entNum: number;
  name: string;
  /** `individual`, `vessel`, `aircraft`, or `entity` (the list's `-0- `). */
  type: string;
  programs: string[];
  /** `primary`, or the alias type (`aka`, `fka`, `nka`). */
  kind: string;
  /** The normalised tokens the matcher compares. */
  tokens: string[];
}

export interface SdnList {
  names: SdnName[];
  /** SHA-256 over both files: a change re-screens every investor. */
  sha256: string;
  entries: number;
}

export interface SanctionsMatch {
  entNum: number;
  name: string;
  type: string;
  programs: string[];
  kind: string;
  /** Similarity, 0–1. */
  score: number;
}

/** The directory of the sample list shipped with the subgraph (fictitious entries, published layout). */
export const SAMPLE_LIST_DIR = fileURLToPath(new URL('../../data/ofac-sdn-sample', import.meta.url));

const NULL = '-0-';
const clean = (v: string | undefined) => {
  const t = (v ?? '').trim();
  return t === NULL ? '' : t;
};

/** Words that say what kind of body a name is, not who: ignored when names are compared. */
const NOISE = new Set(
  'LLC LTD LIMITED INC INCORPORATED CO COMPANY CORP CORPORATION SA S A AG GMBH PLC LLP LP THE OF AND DE DEL LA EL AL BV NV SPA SRL JSC PJSC OOO ZAO OAO'.split(
    ' ',
  ),
);

/**
 * A name as the matcher sees it: Latin letters without diacritics, upper case, punctuation as
 * spaces, the words that only say what kind of body it is dropped, and "LAST, First" read as
 * "First LAST" (token order does not matter to the score anyway).
 */
export function normaliseName(name: string): string[] {
  const plain = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase()
    .replace(/\./g, '') // L.L.C. -> LLC, S.A. -> SA
    .replace(/[^A-Z0-9]+/g, ' ')
    .trim();
  const tokens = plain.split(' ').filter((t) => t && !NOISE.has(t));
  return tokens.length ? tokens : plain.split(' ').filter(Boolean);
}

/** Jaro–Winkler similarity of two strings, 0–1. */
export function jaroWinkler(a: string, b: string): number {
  if (a === b) return 1;
  if (!a.length || !b.length) return 0;
  const range = Math.max(0, Math.floor(Math.max(a.length, b.length) / 2) - 1);
  const aMatch = new Array<boolean>(a.length).fill(false);
  const bMatch = new Array<boolean>(b.length).fill(false);
  let matches = 0;
  for (let i = 0; i < a.length; i++) {
    for (let j = Math.max(0, i - range); j < Math.min(b.length, i + range + 1); j++) {
      if (bMatch[j] || a[i] !== b[j]) continue;
      aMatch[i] = bMatch[j] = true;
      matches++;
      break;
    }
  }
  if (!matches) return 0;
  let k = 0;
  let transpositions = 0;
  for (let i = 0; i < a.length; i++) {
    if (!aMatch[i]) continue;
    while (!bMatch[k]) k++;
    if (a[i] !== b[k]) transpositions++;
    k++;
  }
  const jaro = (matches / a.length + matches / b.length + (matches - transpositions / 2) / matches) / 3;
  let prefix = 0;
  while (prefix < 4 && a[prefix] === b[prefix]) prefix++;
  return jaro + prefix * 0.1 * (1 - jaro);
}

/**
 * How alike two normalised names are: each token of the shorter name is paired with its most
 * similar token of the longer (Jaro–Winkler), the pairs averaged and weighted by how much of the
 * longer name they cover; so "Oleg Karavayev" scores high against "KARAVAYEV, Oleg Petrovich"
 * and a one-letter typo still matches, while sharing one common word does not.
 */
export function nameScore(a: string[], b: string[]): number {
  if (!a.length || !b.length) return 0;
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  const used = new Set<number>();
  let sum = 0;
  for (const token of short) {
    let best = 0;
    let bestIndex = -1;
    long.forEach((other, i) => {
      if (used.has(i)) return;
      const s = jaroWinkler(token, other);
      if (s > best) [best, bestIndex] = [s, i];
    });
    if (bestIndex >= 0) used.add(bestIndex);
    sum += best;
  }
  const coverage = short.length / long.length;
  // a name that is a strict part of the other (first and last of three) loses a little
  return (sum / short.length) * (0.85 + 0.15 * coverage);
}

/**
 * Parses the list's two files in OFAC's published CSV layout (no header; `-0- ` for empty).
 *
 * @throws Error naming the file and line when a row does not have the layout's fields
 */
export function parseSdnList(sdnCsv: string, altCsv: string): SdnList {
  const options = { relax_column_count: true, skip_empty_lines: true, trim: true, bom: true } as const;
  const sdnRows = parse(sdnCsv, options) as string[][];
  const altRows = parse(altCsv, options) as string[][];
  const entries = new Map<number, { type: string; programs: string[] }>();
  const names: SdnName[] = [];
  sdnRows.forEach((row, i) => {
    if (row.length < 4 || !/^\d+$/.test(row[0] ?? ''))
      throw new Error(`sdn.csv line ${i + 1}: not an SDN row (ent_num, SDN_Name, SDN_Type, Program, …)`);
    const entNum = Number(row[0]);
    const type = clean(row[2]) || 'entity';
    const programs = clean(row[3])
      .split(/\]\s*\[/)
      .map((p) => p.replace(/[[\]]/g, '').trim())
      .filter(Boolean);
    entries.set(entNum, { type, programs });
    const name = clean(row[1]);
    if (name) names.push({ entNum, name, type, programs, kind: 'primary', tokens: normaliseName(name) });
  });
  altRows.forEach((row, i) => {
    if (row.length < 4 || !/^\d+$/.test(row[0] ?? ''))
      throw new Error(`alt.csv line ${i + 1}: not an alias row (ent_num, alt_num, alt_type, alt_name, …)`);
    const entry = entries.get(Number(row[0]));
    const name = clean(row[3]);
    if (!entry || !name) return;
    names.push({
      entNum: Number(row[0]),
      name,
      ...entry,
      kind: clean(row[2]) || 'aka',
      tokens: normaliseName(name),
    });
  });
  const sha256 = createHash('sha256').update(sdnCsv).update('\0').update(altCsv).digest('hex');
  return { names, sha256, entries: entries.size };
}

/** Reads `sdn.csv` and `alt.csv` from `dir`. */
export async function loadSdnList(dir: string): Promise<SdnList> {
  const [sdn, alt] = await Promise.all([
    readFile(join(dir, 'sdn.csv'), 'utf8'),
    readFile(join(dir, 'alt.csv'), 'utf8').catch(() => ''),
  ]);
  return parseSdnList(sdn, alt);
}

/**
 * The list's names that match `name` at or above `threshold`, best first (one per entry). Vessels
 * and aircraft are not compared with people and companies.
 */
export function screenName(list: SdnList, name: string, threshold: number): SanctionsMatch[] {
  const tokens = normaliseName(name);
  const best = new Map<number, SanctionsMatch>();
  for (const candidate of list.names) {
    if (candidate.type === 'vessel' || candidate.type === 'aircraft') continue;
    const score = nameScore(tokens, candidate.tokens);
    if (score < threshold) continue;
    const previous = best.get(candidate.entNum);
    if (!previous || previous.score < score)
      best.set(candidate.entNum, {
        entNum: candidate.entNum,
        name: candidate.name,
        type: candidate.type,
        programs: candidate.programs,
        kind: candidate.kind,
        score: Math.round(score * 1000) / 1000,
      });
  }
  return [...best.values()].sort((x, y) => y.score - x.score);
}
