import { RemoteGraphQLDataSource, type GraphQLDataSource } from '@apollo/gateway';
import { ANONYMOUS } from '@tiers-lieux/schema';
import { errorCodeOf } from '@tiers-lieux/subgraph-shell';
import { GraphQLError } from 'graphql';
import { routerError } from './errors.js';
import { InflightDeduplication } from './inflight.js';
import type { FetchInProgress, FetchObserver } from './telemetry.js';
import type { ViewerHeaders } from './viewer-headers.js';

/**
 * The fetch of the subgraphs other than the partners': with a time budget, and answering a
 * GraphQL error response sent with HTTP 400 (a variable the subgraph refuses) as the GraphQL
 * response it is. RemoteGraphQLDataSource would turn any non-2xx into an internal error.
 */
function subgraphFetcher(timeoutMs: number) {
  return async (input: string, init: RequestInit): Promise<Response> => {
    const response = await fetch(input, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    if (response.status !== 400) return response;
    const text = await response.text();
    try {
      const body = JSON.parse(text) as { errors?: unknown };
      if (Array.isArray(body.errors))
        return new Response(text, { status: 200, headers: response.headers });
    } catch {
      // not a GraphQL response: let the data source report the HTTP error
    }
    return new Response(text, { status: response.status, headers: response.headers });
  };
}

/**
 * What fetches each subgraph of the supergraph, as Apollo Gateway's `buildService`: the
 * partner router for the subgraph every partner serves, an HTTP data source that signs the
 * viewer for the others; each shares identical fetches in flight unless told not to.
 */
export function subgraphSources(options: {
  partnerSubgraph: string;
  partnerRouter: GraphQLDataSource;
  /** Routing URLs that replace the supergraph's, by subgraph name. */
  subgraphUrls: Record<string, string>;
  timeoutMs: number;
  viewerHeaders: ViewerHeaders;
  inflightDeduplication: boolean;
  /** Told of each fetch (its duration, outcome, trace context and request id) and each shared one. */
  observer?: FetchObserver;
  /** Called with the URL each subgraph is fetched at. */
  routedTo: (name: string, url: string) => void;
  /** Why a subgraph's fetch failed, for the operators. */
  log?: (message: string) => void;
}) {
  const { observer } = options;
  const shared = (name: string, source: GraphQLDataSource): GraphQLDataSource =>
    options.inflightDeduplication
      ? new InflightDeduplication(
          source,
          (context) => JSON.stringify(context.viewer ?? ANONYMOUS),
          observer ? (context) => observer.shared(name, context) : undefined,
        )
      : source;
  return ({ name, url }: { name: string; url?: string }): GraphQLDataSource => {
    if (name === options.partnerSubgraph) return shared(name, options.partnerRouter);
    const target = options.subgraphUrls[name] ?? url;
    if (target) options.routedTo(name, target);
    const fetches = new WeakMap<object, FetchInProgress>();
    const remote = new RemoteGraphQLDataSource({
      url: target,
      fetcher: subgraphFetcher(options.timeoutMs) as never,
      willSendRequest: async ({ request, context }) => {
        const headers = {
          ...fetches.get(request)?.headers,
          ...(await options.viewerHeaders(name, context as Record<string, unknown>, request)),
        };
        for (const [key, value] of Object.entries(headers)) request.http?.headers.set(key, value);
      },
    });
    const source = coded(name, remote, options.timeoutMs, options.log ?? (() => {}));
    return shared(name, observer ? observed(name, source, observer, fetches) : source);
  };
}

/**
 * A subgraph's data source whose failed fetch is a coded error response, never a throw: Apollo
 * Gateway puts whatever a data source throws among the answer's errors as it is, and an aborted
 * fetch throws the DOMException of `AbortSignal.timeout`, whose `message` has only a getter
 * (a plugin that rewrote messages failed on it, and the answer became an internal error).
 * A fetch past its time budget is `SUBGRAPH_TIMEOUT`, any other failure `SUBGRAPH_UNAVAILABLE`;
 * the subgraph's own GraphQL errors (an HTTP error status) pass as they are.
 */
function coded(
  name: string,
  source: GraphQLDataSource,
  timeoutMs: number,
  log: (message: string) => void,
): GraphQLDataSource {
  return {
    async process(options) {
      try {
        return await source.process(options);
      } catch (error) {
        if (error instanceof GraphQLError) throw error;
        const kind = error instanceof Error || error instanceof DOMException ? error.name : 'error';
        if (kind === 'TimeoutError') {
          return {
            errors: [
              routerError(
                'SUBGRAPH_TIMEOUT',
                `The ${name} subgraph did not answer within ${timeoutMs} ms`,
              ),
            ],
          };
        }
        log(
          `subgraph ${name}: ${kind}: ${error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error)}`,
        );
        return {
          errors: [routerError('SUBGRAPH_UNAVAILABLE', `The ${name} subgraph is unavailable`)],
        };
      }
    },
  };
}

/** A data source whose every fetch is timed, traced and logged with the request it serves. */
function observed(
  name: string,
  source: GraphQLDataSource,
  observer: FetchObserver,
  fetches: WeakMap<object, FetchInProgress>,
): GraphQLDataSource {
  return {
    async process(options) {
      const fetch = observer.fetch(name, null, options.context as Record<string, unknown>);
      fetches.set(options.request, fetch);
      try {
        const response = await source.process(options);
        const failed = response.errors?.find((e) => e.extensions?.code !== undefined);
        fetch.end(failed && !response.data ? errorCodeOf(failed.extensions?.code) : 'ok');
        return response;
      } catch (error) {
        fetch.end('SUBGRAPH_UNAVAILABLE');
        throw error;
      }
    },
  };
}
