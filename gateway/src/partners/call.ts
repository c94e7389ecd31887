import type { GraphQLFormattedError } from 'graphql';
import { readBodyUpTo } from '@tiers-lieux/schema';
import { routerError, type RouterErrorCode } from '../errors.js';
import type { PartnerEntry, PartnerRegistry } from '../registry.js';

export type Json = Record<string, unknown>;
export type GraphQLBody = { data?: Json | null; errors?: GraphQLFormattedError[] };

/** What one request to one partner gave: its GraphQL answer, or the coded error that says why not. */
export type PartnerCall = (
  | { ok: true; partner: string; body: GraphQLBody }
  | { ok: false; partner: string; error: GraphQLFormattedError }
) & {
  /** Bytes of the answer read (none when the partner did not answer). */
  bytes: number;
};

/** A partner's page of results is kilobytes; this much is a partner gone wrong. */
export const DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

export interface CallLimits {
  /** Time budget of the request, in milliseconds. */
  timeoutMs: number;
  /** Largest answer read, in bytes; a larger one is a bad response. */
  maxResponseBytes: number;
}

function isGraphQLBody(body: unknown): body is GraphQLBody {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return false;
  const { data, errors } = body as Record<string, unknown>;
  const dataOk =
    data === undefined || data === null || (typeof data === 'object' && !Array.isArray(data));
  const errorsOk =
    errors === undefined ||
    (Array.isArray(errors) &&
      errors.every((e) => e && typeof e === 'object' && typeof (e as Json).message === 'string'));
  return dataOk && errorsOk && (data !== undefined || errors !== undefined);
}

/**
 * One GraphQL request to one partner, within its time budget and size cap. It never throws:
 * a partner that is down, slow or answers something else than GraphQL gives a coded error,
 * and the outcome is recorded in the registry for `/ready`.
 */
export async function callPartner(
  partner: PartnerEntry,
  request: { query: string; variables: Json; headers: () => Promise<Record<string, string>> },
  limits: CallLimits,
  registry: PartnerRegistry,
): Promise<PartnerCall> {
  const signal = AbortSignal.timeout(limits.timeoutMs);
  let bytes = 0;
  const fail = (code: RouterErrorCode, message: string): PartnerCall => {
    registry.record(partner.slug, code as 'PARTNER_UNAVAILABLE');
    return {
      ok: false,
      partner: partner.slug,
      error: routerError(code, message, undefined, partner.slug),
      bytes,
    };
  };
  try {
    const headers = await request.headers();
    const response = await fetch(partner.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        ...headers,
      },
      body: JSON.stringify({ query: request.query, variables: request.variables }),
      // A partner does not send the gateway elsewhere (to the network subgraph, say).
      redirect: 'error',
      signal,
    });
    const limit = limits.maxResponseBytes;
    const text = await readBodyUpTo(response, limit);
    bytes = text === null ? limit : Buffer.byteLength(text);
    if (text === null) {
      return fail(
        'PARTNER_BAD_RESPONSE',
        `Partner "${partner.slug}" answered more than ${limit} bytes`,
      );
    }
    if (response.status >= 500) {
      return fail(
        'PARTNER_BAD_RESPONSE',
        `Partner "${partner.slug}" answered HTTP ${response.status}`,
      );
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return fail('PARTNER_BAD_RESPONSE', `Partner "${partner.slug}" did not answer JSON`);
    }
    if (!isGraphQLBody(body)) {
      return fail(
        'PARTNER_BAD_RESPONSE',
        `Partner "${partner.slug}" did not answer a GraphQL response`,
      );
    }
    registry.record(partner.slug, 'ok');
    return { ok: true, partner: partner.slug, body, bytes };
  } catch (error) {
    if (signal.aborted) {
      return fail(
        'PARTNER_TIMEOUT',
        `Partner "${partner.slug}" did not answer within ${limits.timeoutMs} ms`,
      );
    }
    const reason =
      error instanceof Error
        ? error.cause instanceof Error
          ? error.cause.message
          : error.message
        : String(error);
    if (/redirect/i.test(reason)) {
      return fail('PARTNER_BAD_RESPONSE', `Partner "${partner.slug}" answered a redirect`);
    }
    return fail('PARTNER_UNAVAILABLE', `Partner "${partner.slug}" is unavailable (${reason})`);
  }
}
