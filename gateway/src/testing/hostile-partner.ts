import type { IncomingMessage, ServerResponse } from 'node:http';
import { encodeCursor, foldText, readSdl, type CursorKey } from '@tiers-lieux/schema';
import { parse, Kind, type OperationDefinitionNode } from 'graphql';
import { LoopbackServer } from './loopback.js';

export type Json = Record<string, unknown>;

/** One request the hostile partner received: the GraphQL body, and the root fields it selects. */
export interface HostileRequest {
  query: string;
  variables: Json;
  rootFields: string[];
}

/** A space as the hostile partner serves it; anything it says may be a lie. */
export interface HostileSpace {
  id: string;
  partnerSlug: string;
  name: unknown;
  website?: unknown;
  description?: unknown;
  status?: unknown;
  /** The cursor it sends; by default, the honest one. */
  cursor?: string;
}

/**
 * What the hostile partner answers to a fetch:
 * - `spaces`: the directory, with every alias the gateway selects, built from `spaces`;
 * - `raw`: a raw body, status and headers;
 * - `relay`: the answer of the real subgraph behind it (`upstream`), rewritten by `rewrite`
 *   (an attacker running the network's own software, modified), with `errors` added, and the
 *   first item of its first connection sent `copies` times, each with an id of its own;
 * - `hang`: nothing, ever (the connection stays open);
 * - `trickle`: a 200 and the start of an answer, then one byte a second, without end;
 * - `flood`: a 200 and megabytes of an answer, without end.
 *
 * Whatever the behaviour, `{ _service { sdl } }` is answered with the partner contract: the
 * hostile partner passes every conformance check, at registration and at the gateway's polls.
 */
export type Behaviour =
  | { kind: 'spaces'; spaces: HostileSpace[]; totalCount?: unknown; errors?: Json[] }
  | { kind: 'raw'; status?: number; headers?: Record<string, string>; body?: string }
  | {
      kind: 'relay';
      rewrite?: (data: Json, request: HostileRequest) => Json | void;
      errors?: (request: HostileRequest) => Json[];
      copies?: number;
    }
  | { kind: 'hang' }
  | { kind: 'trickle' }
  | { kind: 'flood' };

/**
 * A real HTTP server on a loopback port that speaks GraphQL as a partner subgraph does and
 * misbehaves on demand: it lies about ids, sends what the contract forbids, floods, redirects,
 * injects errors. It reads the fetch the gateway sends and answers every alias of it, so the
 * gateway's own routing fields get the lies too; in front of a real subgraph (`upstream`), it
 * relays and rewrites that subgraph's answers, so any query the network sends gets a lie of
 * the right shape.
 */
export class HostilePartner extends LoopbackServer {
  /** Renders the answer to the last fetch seen for `behaviour`, ahead of time. */
  render(behaviour: Extract<Behaviour, { kind: 'spaces' }>): string {
    return answerFor(this.requests.at(-1)!.query, behaviour);
  }

  behaviour: Behaviour = { kind: 'spaces', spaces: [] };
  requests: HostileRequest[] = [];

  constructor(
    readonly slug: string,
    private readonly options: { upstream?: string } = {},
  ) {
    // The gateway may hang up mid-answer (a redirect it refuses, a size cap): that is no failure here.
    super((req, res) => {
      req.on('error', () => {});
      res.on('error', () => {});
      void this.answer(req, res).catch(() => res.destroy());
    });
  }

  private async answer(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const body = JSON.parse(raw.toString('utf8') || '{}') as { query: string; variables?: Json };
    const request: HostileRequest = {
      query: body.query,
      variables: body.variables ?? {},
      rootFields: rootFieldsOf(body.query),
    };
    if (request.rootFields.includes('_service')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end(JSON.stringify({ data: { _service: { sdl: readSdl('space') } } }));
    }
    this.requests.push(request);
    const behaviour = this.behaviour;
    switch (behaviour.kind) {
      case 'raw':
        res.writeHead(behaviour.status ?? 200, {
          'content-type': 'application/json',
          ...behaviour.headers,
        });
        return void res.end(behaviour.body ?? '');
      case 'spaces':
        res.writeHead(200, { 'content-type': 'application/json' });
        return void res.end(answerFor(request.query, behaviour));
      case 'relay':
        return this.relay(req, res, raw, request, behaviour);
      case 'hang':
        return;
      case 'trickle':
      case 'flood':
        return endless(res, behaviour.kind);
    }
  }

  private async relay(
    req: IncomingMessage,
    res: ServerResponse,
    raw: Buffer,
    request: HostileRequest,
    behaviour: Extract<Behaviour, { kind: 'relay' }>,
  ) {
    if (!this.options.upstream) throw new Error(`${this.slug}: relay needs an upstream subgraph`);
    // The viewer header travels on: the upstream subgraph checks it as it would the gateway's.
    const headers = Object.fromEntries(
      Object.entries(req.headers).flatMap(([name, value]) =>
        typeof value === 'string' && !['host', 'content-length', 'connection'].includes(name)
          ? [[name, value]]
          : [],
      ),
    );
    const upstream = await fetch(this.options.upstream, {
      method: 'POST',
      headers,
      body: raw.toString('utf8'),
    });
    const answer = (await upstream.json()) as { data?: Json | null; errors?: Json[] };
    if (answer.data && behaviour.rewrite)
      answer.data = behaviour.rewrite(answer.data, request) ?? answer.data;
    const injected = behaviour.errors?.(request) ?? [];
    if (injected.length > 0) answer.errors = [...(answer.errors ?? []), ...injected];
    res.writeHead(upstream.status, { 'content-type': 'application/json' });
    const edges = behaviour.copies ? firstEdges(answer.data) : null;
    if (!edges) return void res.end(JSON.stringify(answer));
    await writeCopies(res, answer, edges, behaviour.copies!);
  }
}

const FLOOD_MARK = '\u0000copies\u0000';

/** The first non-empty `edges` list of an answer. */
function firstEdges(data: unknown): Json[] | null {
  let found: Json[] | null = null;
  everyObject(data, (object) => {
    if (!found && Array.isArray(object.edges) && object.edges.length > 0)
      found = object.edges as Json[];
  });
  return found;
}

/**
 * The answer with `edges` holding `copies` copies of its first edge, each with an id of its own,
 * written a thousand at a time as the reader takes them: the flood costs the hostile partner,
 * which runs in the gateway's process in the tests, no more than the reader reads.
 */
async function writeCopies(res: ServerResponse, answer: Json, edges: Json[], copies: number) {
  const template = JSON.stringify(edges[0]);
  const id = /"id":"([^"]+)"/.exec(template)?.[1] ?? '';
  edges.splice(0, edges.length, FLOOD_MARK as unknown as Json);
  const [head, tail] = JSON.stringify(answer).split(JSON.stringify(FLOOD_MARK)) as [string, string];
  const uniqueId = (i: number) => `${id.slice(0, -12)}${i.toString(16).padStart(12, '0')}`;
  if (!res.write(head)) await drained(res);
  for (let i = 0; i < copies && !res.destroyed; i += 1_000) {
    const batch = Array.from({ length: Math.min(1_000, copies - i) }, (_, j) =>
      template.replaceAll(id, uniqueId(i + j)),
    );
    if (!res.write(`${i === 0 ? '' : ','}${batch.join(',')}`)) await drained(res);
  }
  if (!res.destroyed) res.end(tail);
}

function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/** The root fields an operation selects (`_service`, `_entities`, `spaces`…). */
function rootFieldsOf(query: string): string[] {
  const operation = parse(query).definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  return (operation?.selectionSet.selections ?? []).flatMap((s) =>
    s.kind === Kind.FIELD ? [s.name.value] : [],
  );
}

/** An answer that starts as a partner's would and never ends, until the reader hangs up. */
function endless(res: ServerResponse, how: 'trickle' | 'flood') {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.write('{"data": {"spaces": {"edges": [');
  if (how === 'trickle') {
    const timer = setInterval(() => res.write(' '), 1_000);
    res.once('close', () => clearInterval(timer));
    return;
  }
  const chunk = Buffer.alloc(1024 * 1024, ' ');
  const more = () => {
    while (!res.destroyed && res.write(chunk));
    if (!res.destroyed) res.once('drain', more);
  };
  res.once('close', () => res.removeAllListeners('drain'));
  more();
}

/**
 * Applies `visit` to every object of an answer, depth first (children before their parent), and
 * answers the answer: the rewrites of a relaying hostile partner are written with it.
 */
export function everyObject(value: unknown, visit: (object: Json) => void): unknown {
  if (Array.isArray(value)) for (const item of value) everyObject(item, visit);
  else if (value && typeof value === 'object') {
    for (const child of Object.values(value)) everyObject(child, visit);
    visit(value as Json);
  }
  return value;
}

function answerFor(query: string, behaviour: Extract<Behaviour, { kind: 'spaces' }>): string {
  const data: Json = {};
  const operation = parse(query).definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  )!;
  for (const root of operation.selectionSet.selections) {
    if (root.kind !== Kind.FIELD) continue;
    data[root.alias?.value ?? root.name.value] = connection(root, behaviour);
  }
  return JSON.stringify({ data, ...(behaviour.errors ? { errors: behaviour.errors } : {}) });
}

function sortKey(space: HostileSpace): CursorKey {
  return [foldText(String(space.name)), space.id.split(':')[2] ?? ''];
}

/** A connection in the shape of the fetch's selection (every alias), from the hostile spaces. */
function connection(
  root: import('graphql').FieldNode,
  behaviour: Extract<Behaviour, { kind: 'spaces' }>,
): Json {
  const out: Json = {};
  for (const selection of root.selectionSet?.selections ?? []) {
    if (selection.kind !== Kind.FIELD) continue;
    const key = selection.alias?.value ?? selection.name.value;
    switch (selection.name.value) {
      case 'totalCount':
        out[key] = behaviour.totalCount ?? behaviour.spaces.length;
        break;
      case 'pageInfo':
        out[key] = Object.fromEntries(
          (selection.selectionSet?.selections ?? []).flatMap((s) =>
            s.kind === Kind.FIELD
              ? [[s.alias?.value ?? s.name.value, s.name.value.startsWith('has') ? false : null]]
              : [],
          ),
        );
        break;
      case 'edges':
        out[key] = behaviour.spaces.map((space) => {
          const edge: Json = {};
          for (const s of selection.selectionSet?.selections ?? []) {
            if (s.kind !== Kind.FIELD) continue;
            const edgeKey = s.alias?.value ?? s.name.value;
            if (s.name.value === 'cursor')
              edge[edgeKey] = space.cursor ?? encodeCursor(sortKey(space));
            if (s.name.value === 'node') edge[edgeKey] = node(s, space);
          }
          return edge;
        });
    }
  }
  return out;
}

function node(selection: import('graphql').FieldNode, space: HostileSpace): Json {
  const values: Json = {
    __typename: 'Space',
    id: space.id,
    partnerSlug: space.partnerSlug,
    name: space.name,
    website: space.website ?? null,
    description: space.description ?? null,
    status: space.status ?? 'OPEN',
    distanceKm: null,
  };
  return Object.fromEntries(
    (selection.selectionSet?.selections ?? []).flatMap((s) =>
      s.kind === Kind.FIELD ? [[s.alias?.value ?? s.name.value, values[s.name.value] ?? null]] : [],
    ),
  );
}
