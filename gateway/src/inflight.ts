import type { GraphQLDataSource, GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { Kind, type DocumentNode, type OperationDefinitionNode } from 'graphql';

type Options = GraphQLDataSourceProcessOptions<Record<string, unknown>>;

interface Shared {
  response: Promise<GatewayGraphQLResponse>;
  /** Requests waiting for it that have not taken their answer yet. */
  waiting: number;
}

/**
 * Shares one subgraph fetch between the identical queries that are in flight at the same
 * time: same subgraph, same fetch document, same variables, same viewer. When a page of the
 * directory is asked by many visitors at once, the subgraphs run it once. Nothing is kept once
 * the answer has arrived (this is not a cache), mutations and fetches of a mutation's plan are
 * never shared, and each request gets its own copy of the answer, since the gateway merges
 * fetch results into its response in place.
 */
export class InflightDeduplication implements GraphQLDataSource<Record<string, unknown>> {
  private readonly inflight = new Map<string, Shared>();

  constructor(
    private readonly source: GraphQLDataSource<Record<string, unknown>>,
    /** Who asks, as a string: requests of different viewers never share a fetch. */
    private readonly identity: (context: Record<string, unknown>) => string,
    /** Told of each request that takes its answer from a fetch already in flight. */
    private readonly onShared?: (context: Record<string, unknown>) => void,
  ) {}

  async process(options: Options): Promise<GatewayGraphQLResponse> {
    const key = this.keyOf(options);
    if (key === null) return this.source.process(options);
    let shared = this.inflight.get(key);
    if (!shared) {
      const response = this.source.process(options);
      shared = { response, waiting: 0 };
      this.inflight.set(key, shared);
      const forget = () => this.inflight.delete(key);
      response.then(forget, forget);
    } else {
      this.onShared?.(options.context);
    }
    shared.waiting++;
    try {
      const response = await shared.response;
      // The last one to take the answer keeps the original; the others take copies.
      return shared.waiting > 1 ? copy(response) : response;
    } finally {
      shared.waiting--;
    }
  }

  private keyOf(options: Options): string | null {
    if (!('incomingRequestContext' in options)) return null;
    const { query, variables } = options.request;
    if (!query || options.incomingRequestContext.operation?.operation !== 'query') return null;
    if (fetchOperation(query, options.document) !== 'query') return null;
    return JSON.stringify([query, variables ?? null, this.identity(options.context)]);
  }
}

/** The operation type of a subgraph fetch, from its parsed document when the gateway gives it. */
function fetchOperation(query: string, document: DocumentNode | undefined): string | null {
  const definition = document?.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  if (definition) return definition.operation;
  return /^\s*(query\b|\{)/.test(query) ? 'query' : null;
}

/** A copy of an answer; the HTTP response it may carry is shared (nobody reads its body again). */
function copy(response: GatewayGraphQLResponse): GatewayGraphQLResponse {
  const { http, ...rest } = response as GatewayGraphQLResponse & { http?: unknown };
  return {
    ...structuredClone(rest),
    ...(http === undefined ? {} : { http }),
  } as GatewayGraphQLResponse;
}
