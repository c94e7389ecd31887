import { GATEWAY_VIEWER } from '@tiers-lieux/schema';
import { z } from 'zod';
import type { RegistrySource } from './registry.js';
import type { ViewerHeaders } from './viewer-headers.js';

const RegistryAnswer = z.object({
  data: z.object({
    partners: z.array(
      z.object({
        slug: z.string(),
        status: z.enum(['ACTIVE', 'SUSPENDED']),
        subgraphUrl: z.string().url().nullable(),
      }),
    ),
  }),
});

/**
 * The partners the network subgraph registers, read as the gateway itself (whose business the
 * partners' subgraph URLs are); a partner without a subgraph URL is not routed to.
 */
export function networkRegistry(options: {
  /** The network subgraph's URL, known once the supergraph is loaded. */
  url: () => string | undefined;
  viewerHeaders: ViewerHeaders;
  timeoutMs: number;
}): RegistrySource {
  return async () => {
    const url = options.url();
    if (!url) throw new Error('the supergraph has no network subgraph to read the registry from');
    const request = { query: '{ partners { slug status subgraphUrl } }' };
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(await options.viewerHeaders('network', { viewer: GATEWAY_VIEWER }, request)),
      },
      body: JSON.stringify(request),
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    const answer = RegistryAnswer.safeParse(await response.json());
    if (!answer.success)
      throw new Error(
        `the network subgraph answered an unexpected registry (HTTP ${response.status})`,
      );
    return answer.data.data.partners.flatMap((p) =>
      p.subgraphUrl ? [{ slug: p.slug, url: p.subgraphUrl, status: p.status }] : [],
    );
  };
}
