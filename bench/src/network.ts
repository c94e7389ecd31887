import type { BaseContext } from '@apollo/server';
import type { Databases, StatementCounter } from './databases.js';
import {
  generateNetwork,
  generatePartner,
  type GeneratedPasses,
  type NetworkSize,
} from './generate.js';
import { PARTNER_SLUGS } from './places.js';
import { Random } from './random.js';
import {
  createNetworkServer,
  createSpaceServer,
  databaseTelemetry,
  outboxMetricsOf,
  serveMetrics,
  startStandaloneServer,
  type SpaceDb,
  type Registry,
  type StatementObserver,
  type SubgraphServer,
  type Tracer,
} from './workspace.js';

export interface RunningPartner {
  slug: string;
  url: string;
  spaceIds: string[];
  /** Public ids of some of its members. */
  memberIds: string[];
  db: SpaceDb;
  /** Statements sent by this partner's subgraph (and counted in the network's too). */
  counter: StatementCounter;
  /** Its `/metrics`, in a network started with metrics. */
  metricsUrl?: string | undefined;
}

/**
 * A counter of one database that adds what it counts to `parent` as well; resetting it leaves
 * the parent's count alone.
 */
function childCounter(parent: StatementCounter): StatementCounter {
  let own = 0;
  return {
    get statements() {
      return own;
    },
    set statements(value: number) {
      parent.statements += Math.max(0, value - own);
      own = value;
    },
  };
}

/** What a subgraph of a network with telemetry records into, by service name. */
export interface ServiceTelemetry {
  metrics?: Registry | undefined;
  tracer?: Tracer | undefined;
}

/** A generated network's subgraphs, each serving HTTP on a loopback port of this process. */
export interface RunningNetwork {
  partners: RunningPartner[];
  /** The network subgraph, when the network has one. */
  network: { url: string; passes: GeneratedPasses; metricsUrl?: string | undefined } | null;
  /** Statements sent by every subgraph of the network since it started. */
  counter: StatementCounter;
  close(): Promise<void>;
}

export function partnerSlug(index: number): string {
  return PARTNER_SLUGS[index] ?? `tiers-lieu-${String(index + 1).padStart(2, '0')}`;
}

const LOOPBACK = { host: '127.0.0.1', port: 0 };

function observer(telemetry: ServiceTelemetry | undefined): StatementObserver | undefined {
  return telemetry ? (databaseTelemetry(telemetry).statements ?? undefined) : undefined;
}

/**
 * Serves a subgraph on a loopback port: with Apollo's standalone server, or with telemetry as
 * deployed, its metrics on a port of their own. What it started goes to `closers`.
 */
async function serve<Context extends BaseContext>(
  subgraph: SubgraphServer<Context>,
  telemetry: ServiceTelemetry | undefined,
  closers: (() => Promise<void>)[],
): Promise<{ url: string; metricsUrl?: string | undefined }> {
  if (!telemetry) {
    const { server, context } = subgraph;
    const { url } = await startStandaloneServer(server, {
      listen: LOOPBACK,
      context,
    });
    closers.push(() => server.stop());
    return { url };
  }
  const listener = await subgraph.listen(LOOPBACK);
  closers.push(() => listener.stop());
  if (!telemetry.metrics) return { url: listener.url };
  const metrics = await serveMetrics(telemetry.metrics, LOOPBACK);
  closers.push(metrics.close);
  return { url: listener.url, metricsUrl: metrics.url };
}

/**
 * Generates a network of `size.partners` partners holding `size` in total, on `databases`, and
 * starts its subgraphs: each partner's space subgraph, then (with `withNetwork`) the network
 * subgraph whose registry names them. Everything started is closed by `close()`, also when
 * starting fails half-way.
 */
export async function startNetwork(
  databases: Databases,
  params: {
    size: NetworkSize;
    seed: number;
    now: Date;
    viewerPublicKey: string;
    withNetwork: boolean;
    /** The outbox dispatcher each partner's subgraph wakes after a mutation; none by default. */
    partnerOutbox?: (db: SpaceDb, slug: string) => { wake(): void };
    /**
     * Each service's metrics registry (served on a port of its own) and tracer, by its name
     * (`partner:<slug>`, `network`): the subgraphs then serve HTTP as deployed
     * (`SubgraphServer.listen`: request spans and metrics) instead of Apollo's standalone server.
     */
    telemetry?: ((service: string) => Promise<ServiceTelemetry>) | undefined;
  },
): Promise<RunningNetwork> {
  const { size, now, viewerPublicKey } = params;
  const random = new Random(params.seed);
  const counter: StatementCounter = { statements: 0 };
  const closers: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const closer of closers.reverse()) await closer();
    closers.length = 0;
  };
  const instances = size.partners + (params.withNetwork ? 1 : 0);
  try {
    const partners: (RunningPartner & Awaited<ReturnType<typeof generatePartner>>)[] = [];
    for (let index = 0; index < size.partners; index++) {
      const slug = partnerSlug(index);
      const telemetry = await params.telemetry?.(`partner:${slug}`);
      const partnerCounter = childCounter(counter);
      const handle = await databases.openSpace(partnerCounter, instances, observer(telemetry));
      closers.push(handle.close);
      // As deployed (`runService`): the registry reads the outbox's backlog at each scrape.
      if (telemetry?.metrics) outboxMetricsOf(telemetry.metrics, handle.db);
      const generated = await generatePartner(handle.db, { slug, index, size, random, now });
      const served = await serve(
        createSpaceServer({
          db: handle.db,
          partner: slug,
          viewerPublicKey,
          outbox: params.partnerOutbox?.(handle.db, slug),
          ...telemetry,
        }),
        telemetry,
        closers,
      );
      partners.push({ ...generated, ...served, db: handle.db, counter: partnerCounter });
    }
    let network: RunningNetwork['network'] = null;
    if (params.withNetwork) {
      const telemetry = await params.telemetry?.('network');
      const handle = await databases.openNetwork(counter, instances, observer(telemetry));
      closers.push(handle.close);
      if (telemetry?.metrics) outboxMetricsOf(telemetry.metrics, handle.db);
      const passes = await generateNetwork(handle.db, {
        partners,
        passes: size.passes,
        random,
        now,
      });
      const served = await serve(
        createNetworkServer({ db: handle.db, viewerPublicKey, ...telemetry }),
        telemetry,
        closers,
      );
      network = { ...served, passes };
    }
    return {
      partners: partners.map(({ slug, url, spaceIds, memberIds, db, counter, metricsUrl }) => ({
        slug,
        url,
        spaceIds,
        memberIds,
        db,
        counter,
        metricsUrl,
      })),
      network,
      counter,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
