/** Communes of France for "near": asked of the server's index (src/server/communes.ts). */
import { serverContext } from './page-context.js';

export interface CommuneChoice {
  /** INSEE code. */
  code: string;
  name: string;
  department: string;
  postcodes: string[];
  lat: number;
  lon: number;
  approximate: boolean;
}

/** `Embrun (05200)`. */
export const communeLabel = (c: CommuneChoice) => `${c.name} (${c.postcodes[0] ?? c.department})`;

async function get<T>(path: string): Promise<T | null> {
  const response = await fetch(path, { headers: { accept: 'application/json' } });
  return response.ok ? ((await response.json()) as T) : null;
}

/** The communes whose name or postcode starts with `query`, best first. */
export async function findCommunes(query: string): Promise<CommuneChoice[]> {
  const server = serverContext()?.communes;
  if (server) return server.search(query);
  const found = await get<{ communes: CommuneChoice[] }>(
    `/communes?q=${encodeURIComponent(query)}`,
  );
  return found?.communes ?? [];
}

export async function communeByCode(code: string): Promise<CommuneChoice | null> {
  const server = serverContext()?.communes;
  if (server) return server.byCode(code);
  return get<CommuneChoice>(`/communes/${encodeURIComponent(code)}`);
}
