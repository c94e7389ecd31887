import {
  ANONYMOUS,
  signViewer,
  VIEWER_HEADER,
  type BoundRequest,
  type Viewer,
} from '@tiers-lieux/schema';

/**
 * The headers that tell the subgraph `audience` who the request's viewer is, as that subgraph
 * may see it (`viewerForAudience`: a partner gets only its own roles), bound to the one request
 * they travel with.
 */
export type ViewerHeaders = (
  audience: string,
  context: Record<string, unknown>,
  request: BoundRequest,
  /** A person's verified email to tell this audience with this request only (`SignViewerOptions.email`). */
  email?: string,
) => Promise<Record<string, string>>;

/**
 * The viewer header, signed with the gateway's key; none when the gateway has no key, nor for
 * the anonymous visitor: a subgraph takes a request without the header as anonymous, so
 * signing that would cost the gateway a signature and the subgraph a verification for nothing.
 */
export function viewerHeadersSignedWith(
  key: string | null,
  lifetimeSeconds?: number | undefined,
): ViewerHeaders {
  return async (audience, context, request, email): Promise<Record<string, string>> => {
    const viewer = (context.viewer as Viewer | undefined) ?? ANONYMOUS;
    if (!key || viewer.kind === 'anonymous') return {};
    const requestId = typeof context.requestId === 'string' ? context.requestId : undefined;
    return {
      [VIEWER_HEADER]: await signViewer(viewer, key, {
        audience,
        request,
        ...(email && viewer.kind === 'person' ? { email } : {}),
        ...(requestId ? { requestId } : {}),
        ...(lifetimeSeconds ? { ttlSeconds: lifetimeSeconds } : {}),
      }),
    };
  };
}
