import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { encodeCursor, foldText, type CursorKey } from '@tiers-lieux/schema';
import { parse, Kind, type OperationDefinitionNode } from 'graphql';

type Json = Record<string, unknown>;

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
 * What the hostile partner answers to a fetch: `spaces` (the directory, with every alias the
 * gateway selects, built from `spaces`), or a raw body, status and headers.
 */
export type Behaviour =
  | { kind: 'spaces'; spaces: HostileSpace[]; totalCount?: unknown; errors?: Json[] }
  | { kind: 'raw'; status?: number; headers?: Record<string, string>; body?: string };

/**
 * A real HTTP server on a loopback port that speaks GraphQL as a partner subgraph does and
 * misbehaves on demand: it lies about ids, sends what the contract forbids, floods, redirects,
 * injects errors. It reads the fetch the gateway sends and answers every alias of it, so the
 * gateway's own routing fields get the lies too.
 */
export class HostilePartner {
  /** Renders the answer to the last fetch seen for `behaviour`, ahead of time. */
  render(behaviour: Extract<Behaviour, { kind: 'spaces' }>): string {
    return answerFor(this.requests.at(-1)!.query, behaviour);
  }

  behaviour: Behaviour = { kind: 'spaces', spaces: [] };
  requests: { query: string; variables: Json }[] = [];
  url = '';
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();

  constructor(readonly slug: string) {
    // The gateway may hang up mid-answer (a redirect it refuses, a size cap): that is no failure here.
    this.server = createServer((req, res) => {
      req.on('error', () => {});
      res.on('error', () => {});
      void this.answer(req, res).catch(() => res.destroy());
    });
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
    return this.url;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async answer(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const request = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as {
      query: string;
      variables?: Json;
    };
    this.requests.push({ query: request.query, variables: request.variables ?? {} });
    const behaviour = this.behaviour;
    if (behaviour.kind === 'raw') {
      res.writeHead(behaviour.status ?? 200, {
        'content-type': 'application/json',
        ...behaviour.headers,
      });
      return void res.end(behaviour.body ?? '');
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(answerFor(request.query, behaviour));
  }
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
