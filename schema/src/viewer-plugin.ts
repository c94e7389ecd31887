import type { Viewer } from './viewer.js';
import {
  SeenViewerTokens,
  VIEWER_HEADER,
  verifyViewer,
  type BoundRequest,
  type ViewerTokenLedger,
} from './viewer-header.js';

export interface ViewerBindingOptions<TContext> {
  /** The gateway's public viewer key (PEM); without it every HTTP request is anonymous. */
  publicKey: string | null | undefined;
  /** The audience the gateway signs for this subgraph (`network`, `partner:<slug>`). */
  audience: string;
  /**
   * The request context for a viewer. The context function builds it for the anonymous
   * visitor, since the viewer is known only once the body is; the plugin then builds it again
   * for the verified viewer, so that nothing derived from the viewer (loaders, "now") was
   * computed for another one.
   */
  contextFor: (viewer: Viewer) => TContext;
  /** Where accepted headers are recorded; one in-memory ledger per plugin by default. */
  seen?: ViewerTokenLedger;
  clockToleranceSeconds?: number;
}

/** What the plugin reads of Apollo Server's `GraphQLRequestContext`. */
interface RequestStart<TContext> {
  request: BoundRequest & {
    http?: { headers: { get(name: string): string | undefined } } | undefined;
  };
  contextValue: TContext;
}

/**
 * An Apollo Server plugin that gives an HTTP request its viewer from the signed viewer header:
 * checked when the request starts, before it is parsed or executed, against the document,
 * operation name and variables the subgraph actually received, and against the headers already
 * used. The context function should build the context for `ANONYMOUS`; whatever it holds, an HTTP
 * request ends up with the header's viewer or the anonymous one. Operations run in-process
 * (`executeOperation` without `http`) keep the viewer of the context they were given.
 *
 * ```ts
 * const binding = viewerBindingPlugin({ publicKey, audience, contextFor: (viewer) => createContext({ db, viewer }) });
 * new ApolloServer({ schema, plugins: [binding] });
 * startStandaloneServer(server, { context: async () => createContext({ db, viewer: ANONYMOUS }) });
 * ```
 */
export function viewerBindingPlugin<TContext extends { viewer: Viewer }>(
  options: ViewerBindingOptions<TContext>,
) {
  const seen = options.seen ?? new SeenViewerTokens();
  return {
    async requestDidStart({ request, contextValue }: RequestStart<TContext>): Promise<void> {
      if (!request.http) return;
      const viewer = await verifyViewer(
        request.http.headers.get(VIEWER_HEADER),
        options.publicKey,
        {
          audience: options.audience,
          request,
          seen,
          ...(options.clockToleranceSeconds === undefined
            ? {}
            : { clockToleranceSeconds: options.clockToleranceSeconds }),
        },
      );
      if (viewer.kind === 'anonymous' && contextValue.viewer.kind === 'anonymous') return;
      Object.assign(contextValue, options.contextFor(viewer));
    },
  };
}
