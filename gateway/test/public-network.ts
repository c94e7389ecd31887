import { readFileSync } from 'node:fs';
import { startStandaloneServer } from '@apollo/server/standalone';
import { createDb as createNetworkDb } from '@tiers-lieux/network-subgraph/db';
import { seedNetwork } from '@tiers-lieux/network-subgraph/seed';
import { createServer as createNetworkServer } from '@tiers-lieux/network-subgraph/server';
import { supergraphPath } from '@tiers-lieux/schema';
import { seedPartner } from '@tiers-lieux/space-subgraph/seed';
import type { HttpRoute } from '../src/http.js';
import { startGateway, startPartner, VIEWER_SECRET, type RunningPartner } from './harness.js';

/**
 * Some partners of the seeded network (the articles' places, events, passes) behind a gateway
 * that serves extra routes, on loopback ports: what the public face's tests walk through. The
 * network subgraph knows all four seeded partners; only the listed ones run.
 */
export async function startPublicNetwork(options: { partners: string[]; routes: HttpRoute[] }) {
  const now = new Date();
  const network = await createNetworkDb({});
  await network.migrate();
  await seedNetwork(network.db, now);
  const { server, context } = createNetworkServer({
    db: network.db,
    viewerSecret: VIEWER_SECRET,
    log: () => {},
  });
  const { url: networkUrl } = await startStandaloneServer(server, {
    listen: { host: '127.0.0.1', port: 0 },
    context,
  });
  const partners = new Map<string, RunningPartner>();
  for (const slug of options.partners) {
    const partner = await startPartner(slug);
    await seedPartner(partner.db, slug, now);
    partners.set(slug, partner);
  }
  const gateway = await startGateway({
    supergraphSdl: readFileSync(supergraphPath(), 'utf8'),
    subgraphUrls: { network: networkUrl },
    partners: [...partners.values()].map((p) => ({ slug: p.slug, url: p.url, status: 'ACTIVE' })),
    routes: options.routes,
  });
  const stopped = new Set<string>();
  return {
    gateway,
    /** `http://127.0.0.1:<port>`, where the routes are served. */
    baseUrl: gateway.url!,
    partners,
    /** Stops a partner's subgraph: the gateway finds it down. */
    async stopPartner(slug: string) {
      stopped.add(slug);
      await partners.get(slug)!.close();
    },
    async stop() {
      await gateway.stop();
      await server.stop();
      await network.close();
      for (const [slug, partner] of partners) if (!stopped.has(slug)) await partner.close();
    },
  };
}

export type PublicNetwork = Awaited<ReturnType<typeof startPublicNetwork>>;
