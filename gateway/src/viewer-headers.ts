import { ANONYMOUS, signViewer, VIEWER_HEADER, type Viewer } from '@tiers-lieux/schema';

/** The headers that tell the subgraph `audience` who the request's viewer is. */
export type ViewerHeaders = (
  audience: string,
  context: Record<string, unknown>,
) => Promise<Record<string, string>>;

/** The viewer header, signed with the gateway's key; none when the gateway has no key. */
export function viewerHeadersSignedWith(key: string | null): ViewerHeaders {
  return async (audience, context): Promise<Record<string, string>> => {
    if (!key) return {};
    const viewer = (context.viewer as Viewer | undefined) ?? ANONYMOUS;
    const requestId = typeof context.requestId === 'string' ? context.requestId : undefined;
    return {
      [VIEWER_HEADER]: await signViewer(viewer, key, {
        audience,
        ...(requestId ? { requestId } : {}),
      }),
    };
  };
}
