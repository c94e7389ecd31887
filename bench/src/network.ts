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
  startStandaloneServer,
  type SpaceDb,
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

/** A generated network's subgraphs, each serving HTTP on a loopback port of this process. */
export interface RunningNetwork {
  partners: RunningPartner[];
  /** The network subgraph, when the network has one. */
  network: { url: string; passes: GeneratedPasses } | null;
  /** Statements sent by every subgraph of the network since it started. */
  counter: StatementCounter;
  close(): Promise<void>;
}

export function partnerSlug(index: number): string {
  return PARTNER_SLUGS[index] ?? `tiers-lieu-${String(index + 1).padStart(2, '0')}`;
}

const LOOPBACK = { host: '127.0.0.1', port: 0 };

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
      const partnerCounter = childCounter(counter);
      const handle = await databases.openSpace(partnerCounter, instances);
      closers.push(handle.close);
      const generated = await generatePartner(handle.db, { slug, index, size, random, now });
      const { server, context } = createSpaceServer({
        db: handle.db,
        partner: slug,
        viewerPublicKey,
        outbox: params.partnerOutbox?.(handle.db, slug),
      });
      const { url } = await startStandaloneServer(server, { listen: LOOPBACK, context });
      closers.push(() => server.stop());
      partners.push({ ...generated, url, db: handle.db, counter: partnerCounter });
    }
    let network: RunningNetwork['network'] = null;
    if (params.withNetwork) {
      const handle = await databases.openNetwork(counter, instances);
      closers.push(handle.close);
      const passes = await generateNetwork(handle.db, {
        partners,
        passes: size.passes,
        random,
        now,
      });
      const { server, context } = createNetworkServer({ db: handle.db, viewerPublicKey });
      const { url } = await startStandaloneServer(server, { listen: LOOPBACK, context });
      closers.push(() => server.stop());
      network = { url, passes };
    }
    return {
      partners: partners.map(({ slug, url, spaceIds, memberIds, db, counter }) => ({
        slug,
        url,
        spaceIds,
        memberIds,
        db,
        counter,
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
