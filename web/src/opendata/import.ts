/**
 * Imports a file in the national schéma des lieux de médiation numérique (JSON array or CSV)
 * into one partner's subgraph, through the gateway's `createSpace` mutation with a manager's
 * token: the partner's own validation applies. A place the partner already has (same name in
 * the same commune) is skipped, so running an import twice creates nothing twice.
 *
 *   pnpm --filter @tiers-lieux/web import:lieux <file.json|file.csv> --partner <slug>
 *     [--gateway http://127.0.0.1:4000/graphql] [--token <bearer token>, or TOKEN=…]
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { foldText } from '@tiers-lieux/schema/text';
import { allPages, request, TransportError } from '../graphql/client.js';
import { CREATE_SPACE, PARTNER_SPACES } from '../graphql/operations.js';
import { parseCsv } from './csv.js';
import { spaceFromLieu, type RawLieu, type Rejection } from './lieux.js';

export interface ImportLine {
  /** The record's line in a CSV file, its position (from 1) in a JSON array. */
  line: number;
  raw: RawLieu;
}

export interface ImportReport {
  total: number;
  created: { line: number; id: string; nom: string }[];
  skipped: { line: number; nom: string; existing: string }[];
  rejected: (Rejection & { line: number })[];
}

export class ImportError extends Error {
  constructor(
    readonly code: 'UNREADABLE_FILE' | 'GATEWAY_REFUSED',
    message: string,
  ) {
    super(message);
  }
}

/** The records of a file: a JSON array of objects, or CSV with a header line. */
export function readLieux(fileName: string, content: string): ImportLine[] {
  if (fileName.toLowerCase().endsWith('.csv'))
    return parseCsv(content).map((r) => ({ line: r.line, raw: r.values }));
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch (error) {
    throw new ImportError(
      'UNREADABLE_FILE',
      `${fileName} is neither CSV nor valid JSON: ${(error as Error).message}`,
    );
  }
  if (!Array.isArray(parsed))
    throw new ImportError('UNREADABLE_FILE', `${fileName} holds no JSON array of places`);
  return parsed.map((raw, i) => ({
    line: i + 1,
    raw: raw !== null && typeof raw === 'object' ? (raw as RawLieu) : {},
  }));
}

const sameplace = (name: string, insee: string) => `${foldText(name)}|${insee}`;

export async function importLieux(options: {
  lines: ImportLine[];
  partner: string;
  endpoint: string;
  token: string;
  onProgress?: (done: number, report: ImportReport) => void;
}): Promise<ImportReport> {
  const headers = { authorization: `Bearer ${options.token}` };
  const existing = new Map<string, string>();
  const spaces = await allPages(async (after) => {
    const answer = await request(
      options.endpoint,
      PARTNER_SPACES,
      { first: 200, after },
      { headers },
    );
    if (!answer.data)
      throw new ImportError(
        'GATEWAY_REFUSED',
        `cannot list the partner's spaces: ${answer.errors[0]?.message}`,
      );
    return {
      items: answer.data.spaces.edges.map((e) => e.node),
      pageInfo: answer.data.spaces.pageInfo,
    };
  }, 100_000);
  for (const space of spaces)
    if (space.partnerSlug === options.partner)
      existing.set(sameplace(space.name, space.address.inseeCode), space.id);

  const report: ImportReport = {
    total: options.lines.length,
    created: [],
    skipped: [],
    rejected: [],
  };
  for (const [index, { line, raw }] of options.lines.entries()) {
    const outcome = spaceFromLieu(raw);
    if (!outcome.ok) report.rejected.push({ line, ...outcome.rejection });
    else {
      const key = sameplace(outcome.input.name, outcome.input.address.inseeCode);
      const already = existing.get(key);
      if (already) report.skipped.push({ line, nom: outcome.nom, existing: already });
      else {
        const answer = await request(
          options.endpoint,
          CREATE_SPACE,
          { input: { ...outcome.input, partner: options.partner } },
          { headers },
        );
        const payload = answer.data?.createSpace;
        if (payload?.space) {
          report.created.push({ line, id: payload.space.id, nom: payload.space.name });
          existing.set(key, payload.space.id);
        } else if (payload?.error) {
          const { field, message } = payload.error;
          const raison = field && !message.startsWith(field) ? `${field} : ${message}` : message;
          report.rejected.push({ line, id: outcome.id, nom: outcome.nom, raison });
        } else {
          const code = answer.errors[0]?.extensions?.code;
          if (code === 'UNAUTHENTICATED' || code === 'FORBIDDEN')
            throw new ImportError(
              'GATEWAY_REFUSED',
              `the token may not create spaces of ${options.partner}: ${answer.errors[0]?.message}`,
            );
          report.rejected.push({
            line,
            id: outcome.id,
            nom: outcome.nom,
            raison: answer.errors[0]?.message ?? 'no answer',
          });
        }
      }
    }
    options.onProgress?.(index + 1, report);
  }
  return report;
}

export function formatReport(report: ImportReport): string {
  const lines = [
    `${report.total} lieux lus : ${report.created.length} créés, ${report.skipped.length} déjà présents, ${report.rejected.length} rejetés.`,
  ];
  if (report.rejected.length > 0) {
    lines.push('', 'Rejetés :');
    for (const r of report.rejected)
      lines.push(
        `  ligne ${r.line}${r.id ? ` (id ${r.id})` : ''} « ${r.nom || 'sans nom'} » : ${r.raison}`,
      );
  }
  if (report.skipped.length > 0) {
    lines.push('', 'Déjà présents (non réimportés) :');
    for (const s of report.skipped) lines.push(`  ligne ${s.line} « ${s.nom} » : ${s.existing}`);
  }
  return lines.join('\n');
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      partner: { type: 'string' },
      gateway: { type: 'string', default: 'http://127.0.0.1:4000/graphql' },
      token: { type: 'string' },
    },
  });
  const token = values.token ?? process.env.TOKEN;
  const [file] = positionals;
  if (!file || !values.partner || !token) {
    console.error(
      'usage: pnpm --filter @tiers-lieux/web import:lieux <file.json|file.csv> --partner <slug> [--gateway <url>] --token <manager token> (or TOKEN=…)',
    );
    return 2;
  }
  // pnpm runs the script in web/; a relative path is the caller's.
  const path = resolve(process.env.INIT_CWD ?? process.cwd(), file);
  const lines = readLieux(path, await readFile(path, 'utf8'));
  const tty = process.stderr.isTTY;
  const report = await importLieux({
    lines,
    partner: values.partner,
    endpoint: values.gateway!,
    token,
    onProgress: (done, r) => {
      const progress = `import ${done}/${r.total} : ${r.created.length} créés, ${r.skipped.length} déjà présents, ${r.rejected.length} rejetés`;
      if (tty) process.stderr.write(`\r${progress}${done === r.total ? '\n' : ''}`);
      else if (done === r.total || done % 10 === 0) process.stderr.write(`${progress}\n`);
    },
  });
  console.log(formatReport(report));
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      const unreachable = error instanceof TypeError && error.message === 'fetch failed';
      const known = error instanceof ImportError || error instanceof TransportError || unreachable;
      console.error(
        unreachable
          ? `import failed: the gateway does not answer (${String((error.cause as Error | undefined)?.message ?? error.message)})`
          : known
            ? `import failed: ${(error as Error).message}`
            : error,
      );
      process.exit(known ? 1 : 70);
    },
  );
}
