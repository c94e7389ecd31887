import { createHash } from 'node:crypto';
import { parse } from 'graphql';
import { contractGaps, describeGap, type ContractGap } from './conformance.js';
import {
  additionsSince,
  compareContractVersions,
  declaredContractVersion,
  isAmong,
  parseContractVersion,
} from './contract-version.js';

/**
 * What a partner's URL answered to `{ _service { sdl } }`: its SDL, nothing usable although it
 * answered (`notASubgraph`: an HTML page, a redirect, a GraphQL error), or no answer at all
 * (`unreachable`: refused, timed out, or a 5xx/429 that says "try later").
 */
export type ServiceSdlAnswer =
  | { kind: 'sdl'; sdl: string; latencyMs: number }
  | { kind: 'notASubgraph'; error: string; latencyMs: number }
  | { kind: 'unreachable'; error: string; latencyMs: number };

export interface ServiceSdlOptions {
  /** Time budget of the whole exchange, body included, in milliseconds. */
  timeoutMs: number;
  /** Largest answer read, in bytes (2 MB by default; the contract is tens of kilobytes). */
  maxBytes?: number;
}

const DEFAULT_MAX_BYTES = 2 * 1024 * 1024;
const MAX_QUOTED = 200;

/** A body as text, or null past `limit` bytes: the rest is never read. */
export async function readBodyUpTo(response: Response, limit: number): Promise<string | null> {
  if (Number(response.headers.get('content-length') ?? 0) > limit) {
    await response.body?.cancel();
    return null;
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function quoted(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > MAX_QUOTED ? `${oneLine.slice(0, MAX_QUOTED)}…` : oneLine;
}

/** What `{ _service { sdl } }` answered in a body, or why it is not that. */
function sdlIn(text: string, status: number): string | { error: string } {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { error: `answered HTTP ${status} without JSON` };
  }
  const { data, errors } = (body ?? {}) as {
    data?: { _service?: { sdl?: unknown } } | null;
    errors?: { message?: unknown }[];
  };
  const sdl = data?._service?.sdl;
  if (typeof sdl === 'string') return sdl;
  const first = Array.isArray(errors) ? errors[0]?.message : undefined;
  return {
    error: `does not serve _service { sdl } (HTTP ${status}${typeof first === 'string' ? `: ${quoted(first)}` : ''})`,
  };
}

/**
 * Asks a partner's URL for its subgraph SDL, as the federation spec's `_service { sdl }`,
 * within a time budget, following no redirect (a partner never sends the network elsewhere)
 * and reading at most `maxBytes`. Never throws.
 */
export async function fetchServiceSdl(
  url: string,
  options: ServiceSdlOptions,
): Promise<ServiceSdlAnswer> {
  const started = performance.now();
  const latencyMs = () => Math.round(performance.now() - started);
  const signal = AbortSignal.timeout(options.timeoutMs);
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
      },
      body: JSON.stringify({ query: '{ _service { sdl } }' }),
      redirect: 'manual',
      signal,
    });
    const limit = options.maxBytes ?? DEFAULT_MAX_BYTES;
    const text = await readBodyUpTo(response, limit);
    const { status } = response;
    if (status >= 500 || status === 429)
      return { kind: 'unreachable', error: `answered HTTP ${status}`, latencyMs: latencyMs() };
    if (status >= 300 && status < 400)
      return {
        kind: 'notASubgraph',
        error: `answered a redirect (HTTP ${status}), which the network does not follow`,
        latencyMs: latencyMs(),
      };
    if (text === null)
      return {
        kind: 'notASubgraph',
        error: `answered more than ${limit} bytes`,
        latencyMs: latencyMs(),
      };
    const sdl = sdlIn(text, status);
    return typeof sdl === 'string'
      ? { kind: 'sdl', sdl, latencyMs: latencyMs() }
      : { kind: 'notASubgraph', error: sdl.error, latencyMs: latencyMs() };
  } catch (error) {
    if (signal.aborted)
      return {
        kind: 'unreachable',
        error: `did not answer within ${options.timeoutMs} ms`,
        latencyMs: latencyMs(),
      };
    const reason =
      error instanceof Error
        ? error.cause instanceof Error
          ? error.cause.message
          : error.message
        : String(error);
    return {
      kind: 'unreachable',
      error: `did not answer (${quoted(reason)})`,
      latencyMs: latencyMs(),
    };
  }
}

/** A short, stable fingerprint of an SDL, to reuse a conformance verdict while it is unchanged. */
export function sdlHash(sdl: string): string {
  return createHash('sha256').update(sdl).digest('hex').slice(0, 32);
}

/**
 * The outcome of checking a partner: it answered an SDL that serves the whole contract
 * (`conforms`), answered something that does not (`nonconforming`, with the contract parts it
 * lacks, as lines of text, when it answered an SDL), or did not answer (`unreachable`).
 */
export type PartnerCheckOutcome =
  | {
      outcome: 'conforms';
      latencyMs: number;
      sdlHash: string;
      /** The contract version the partner serves. */
      version: string | null;
      /** What it lacks for being on an earlier minor version (answered null by the gateway). */
      outdated: string[];
    }
  | {
      outcome: 'nonconforming';
      latencyMs: number;
      error: string;
      missing: string[];
      sdlHash: string | null;
    }
  | { outcome: 'unreachable'; latencyMs: number; error: string };

/**
 * The verdict on an SDL the partner answered: the version it serves, the contract parts it
 * lacks (`missing`, which make it incompatible), and those it lacks only because it is on an
 * earlier minor version (`outdated`, coordinates such as `Member.person`, which the gateway
 * answers for it with null and `PARTNER_OUTDATED`). A partner may be ahead of the contract,
 * never a major version apart.
 */
export function judgeSdl(
  contract: Parameters<typeof contractGaps>[0],
  sdl: string,
): { missing: string[]; error: string | null; version: string | null; outdated: string[] } {
  let gaps: ContractGap[];
  let served: string | null;
  const contractDocument = typeof contract === 'string' ? parse(contract) : contract;
  try {
    served = declaredContractVersion(parse(sdl));
    gaps = contractGaps(contractDocument, sdl);
  } catch (error) {
    return {
      missing: [],
      version: null,
      outdated: [],
      error: `answered an SDL that does not parse (${quoted(error instanceof Error ? error.message : String(error))})`,
    };
  }
  const expected = parseContractVersion(declaredContractVersion(contractDocument) ?? '');
  const version = served === null ? null : parseContractVersion(served);
  if (!version || !expected)
    return {
      missing: [],
      version: null,
      outdated: [],
      error: 'declares no valid contract version',
    };
  if (version.major !== expected.major)
    return {
      missing: [],
      version: served,
      outdated: [],
      error: `serves partner contract ${served}, a major version apart from the network's ${expected.major}.x`,
    };
  const behind = compareContractVersions(version, expected) < 0;
  const added = behind ? additionsSince(contractDocument, version) : new Set<string>();
  // What the partner lacks of the newer minor versions, and the inputs it still requires
  // that they made optional (it refuses requests without them, as it always did).
  const relaxed = (g: ContractGap) =>
    g.problem === 'incompatible' && g.served !== undefined && g.served === `${g.expected}!`;
  const outdated = gaps.filter((g) => isAmong(added, g.coordinate) || (behind && relaxed(g)));
  const lacking = gaps.filter((g) => !outdated.includes(g));
  const outdatedCoordinates = outdated.map((g) => g.coordinate);
  if (lacking.length === 0)
    return { missing: [], error: null, version: served, outdated: outdatedCoordinates };
  return {
    missing: lacking.map(describeGap),
    version: served,
    outdated: outdatedCoordinates,
    error: `lacks ${lacking.length} ${lacking.length === 1 ? 'part' : 'parts'} of the partner contract`,
  };
}

/**
 * Checks that a partner's URL answers and serves the partner contract (`contract`, the SDL of
 * `schema/space.graphql`); never throws.
 */
export async function checkPartner(
  url: string,
  contract: Parameters<typeof contractGaps>[0],
  options: ServiceSdlOptions,
): Promise<PartnerCheckOutcome> {
  const answer = await fetchServiceSdl(url, options);
  if (answer.kind === 'unreachable')
    return { outcome: 'unreachable', latencyMs: answer.latencyMs, error: answer.error };
  if (answer.kind === 'notASubgraph')
    return {
      outcome: 'nonconforming',
      latencyMs: answer.latencyMs,
      error: answer.error,
      missing: [],
      sdlHash: null,
    };
  const hash = sdlHash(answer.sdl);
  const verdict = judgeSdl(contract, answer.sdl);
  return verdict.error === null
    ? {
        outcome: 'conforms',
        latencyMs: answer.latencyMs,
        sdlHash: hash,
        version: verdict.version,
        outdated: verdict.outdated,
      }
    : {
        outcome: 'nonconforming',
        latencyMs: answer.latencyMs,
        sdlHash: hash,
        missing: verdict.missing,
        error: verdict.error,
      };
}
