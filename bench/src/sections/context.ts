import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabases, type Databases } from '../databases.js';
import { startOurGateway, type OurGatewayConfig, type RunningGateway } from '../gateways.js';
import { measure, Progress, type LoadResult, type LoadSettings } from '../load.js';
import { startNetwork, type RunningNetwork } from '../network.js';
import { operations, type Operation, type OperationName } from '../operations.js';
import type { BenchOptions, Section } from '../options.js';
import { summariseProfiles } from '../profile.js';
import type { Report } from '../report.js';
import {
  composeOrThrow,
  generateViewerKeys,
  issueDevToken,
  readSdl,
  SEEDED_PEOPLE,
} from '../workspace.js';

/**
 * A bench section: the runs it makes, measured over the shared context, and the parts of the
 * report they fill. Sections run in the order of `SECTIONS` (options.ts).
 */
export interface BenchSection {
  /** How many measured runs it makes, for the progress line's total. */
  runs(options: BenchOptions): number;
  measure(context: BenchContext): Promise<Partial<Report>>;
}

/** The network the gateway, direct and compare sections load, generated once for all three. */
export interface MainNetwork {
  network: RunningNetwork;
  supergraphPath: string;
  /** The operations over its samples: the first partner's spaces, cross-partner passes. */
  operations: Record<OperationName, Operation>;
  generationSeconds: number;
}

export interface BenchContext {
  options: BenchOptions;
  now: Date;
  /** Makes this run's idempotency keys its own. */
  runTag: string;
  viewerKeys: { signingKey: string; publicKey: string };
  /** A coordinator's bearer token, for redemptions through our gateway. */
  coordinator: Record<string, string>;
  databases: Databases;
  /** Where our gateways write their CPU profiles (`--profile`). */
  profileDir: string | undefined;
  /** One measured run; its errors are the bench's problems. */
  run(
    label: string,
    url: string,
    operation: Operation,
    settings: LoadSettings,
    headers?: Record<string, string>,
    onMeasure?: () => void,
  ): Promise<LoadResult>;
  /** A problem the bench reports (and the smoke run fails on). */
  fail(problem: string): void;
  /** Run at the end of the bench, also when it fails, latest first. */
  onClose(close: () => Promise<void>): void;
  /** Our gateway's configuration over a running network and its supergraph. */
  gatewayConfig(network: RunningNetwork, supergraphPath: string): OurGatewayConfig;
  /** Composes the supergraph of a running network into the bench's folder; gives its path. */
  supergraph(name: string, network: RunningNetwork): Promise<string>;
  main: Shared<MainNetwork>;
  /** Our gateway over the main network, for the gateway and direct sections. */
  ourMainGateway: Shared<RunningGateway>;
}

/**
 * What several sections use: started by the first that asks for it, stopped as soon as no
 * section still to run needs it (the generated network is large; the fan-out needs the room).
 */
export class Shared<T> {
  private value: Promise<T> | null = null;

  constructor(
    private readonly neededBy: readonly Section[],
    private readonly start: () => Promise<T>,
    private readonly stop: (value: T) => Promise<void>,
  ) {}

  get(): Promise<T> {
    return (this.value ??= this.start());
  }

  async releaseUnlessNeeded(remaining: ReadonlySet<Section>): Promise<void> {
    if (!this.value || this.neededBy.some((s) => remaining.has(s))) return;
    const value = await this.value;
    this.value = null;
    await this.stop(value);
  }
}

/**
 * The operations over a generated network's samples: the first partner's spaces, the passes
 * that span partners (those of the first partner when none does).
 */
export function networkOperations(
  network: RunningNetwork,
  now: Date,
  runTag: string,
): Record<OperationName, Operation> {
  const passes = network.network!.passes;
  return operations(
    {
      spaceIds: network.partners[0]!.spaceIds.slice(0, SAMPLES),
      passCodes: (passes.crossPartner.length ? passes.crossPartner : passes.firstPartnerOnly).slice(
        0,
        SAMPLES,
      ),
      redemptions: passes.forRedemptions,
    },
    now,
    runTag,
  );
}

const AUDIENCE = 'tiers-lieux-network';
/** Space ids and pass codes each rotating operation goes through. */
export const SAMPLES = 32;

/**
 * The context every section measures in; `close()` stops whatever the sections started and
 * removes the bench's folder (or prints where the CPU profiles are).
 */
export async function openContext(
  options: BenchOptions,
  progress: Progress,
): Promise<{
  context: BenchContext;
  failures: string[];
  release(remaining: ReadonlySet<Section>): Promise<void>;
  close(): Promise<void>;
}> {
  const now = new Date();
  const runTag = now.getTime().toString(36);
  const viewerKeys = generateViewerKeys();
  const authSecret = randomBytes(32).toString('hex');
  const coordinator = {
    authorization: `Bearer ${await issueDevToken({ email: SEEDED_PEOPLE.find((p) => p.coordinator)!.email }, authSecret, { audience: AUDIENCE, expiresIn: '3h' })}`,
  };
  const tmp = await mkdtemp(join(tmpdir(), 'tiers-lieux-bench-'));
  const profileDir = options.profile ? join(tmp, 'profiles') : undefined;
  if (profileDir) await mkdir(profileDir);
  const failures: string[] = [];
  const closers: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const close of closers.reverse()) {
      await close().catch((error: unknown) => console.error(`while closing: ${String(error)}`));
    }
    if (profileDir) {
      for (const line of await summariseProfiles(profileDir).catch(() => [])) console.error(line);
      console.error(`CPU profiles of our gateway: ${profileDir}`);
    } else {
      await rm(tmp, { recursive: true, force: true });
    }
  };

  let databases: Databases;
  try {
    databases = await openDatabases(options.databaseUrl);
  } catch (error) {
    await close();
    throw error;
  }

  const gatewayConfig = (network: RunningNetwork, supergraphPath: string): OurGatewayConfig => ({
    supergraphPath,
    partners: network.partners.map((p) => ({ slug: p.slug, url: p.url, status: 'ACTIVE' })),
    networkUrl: network.network?.url ?? null,
    viewerSigningKey: viewerKeys.signingKey,
    authSecret,
    audience: AUDIENCE,
    inflightDeduplication: true,
  });
  const supergraph = async (name: string, network: RunningNetwork) => {
    const path = join(tmp, `${name}.graphql`);
    await writeFile(
      path,
      composeOrThrow([
        { name: 'space', url: network.partners[0]!.url, sdl: readSdl('space') },
        ...(network.network
          ? [{ name: 'network', url: network.network.url, sdl: readSdl('network') }]
          : []),
      ]),
    );
    return path;
  };

  const main = new Shared<MainNetwork>(
    ['gateway', 'direct', 'compare', 'cost', 'telemetry'],
    async () => {
      const { size } = options;
      console.error(
        `generating ${size.partners} partners, ${size.spaces} spaces, ${size.events} events, ${size.members} members, ${size.passes} passes (seed ${options.seed}) on ${databases.engine}`,
      );
      const generating = performance.now();
      const network = await startNetwork(databases, {
        size,
        seed: options.seed,
        now,
        viewerPublicKey: viewerKeys.publicKey,
        withNetwork: true,
      });
      closers.push(network.close);
      const generationSeconds = (performance.now() - generating) / 1000;
      return {
        network,
        generationSeconds,
        supergraphPath: await supergraph('supergraph', network),
        operations: networkOperations(network, now, runTag),
      };
    },
    (main) => main.network.close(),
  );
  const ourMainGateway = new Shared<RunningGateway>(
    ['gateway', 'direct'],
    async () => {
      const { network, supergraphPath } = await main.get();
      const ours = await startOurGateway('ours', gatewayConfig(network, supergraphPath), {
        profileDir,
      });
      closers.push(() => ours.child.stop());
      return ours;
    },
    (ours) => ours.child.stop(),
  );

  const context: BenchContext = {
    options,
    now,
    runTag,
    viewerKeys,
    coordinator,
    databases,
    profileDir,
    run: async (label, url, operation, settings, headers = {}, onMeasure) => {
      const result = await measure({
        label,
        url,
        operation,
        headers,
        settings,
        progress,
        onMeasure,
      });
      if (result.errors > 0)
        failures.push(`${label}: ${result.errors} errors (${result.firstError})`);
      return result;
    },
    fail: (problem) => void failures.push(problem),
    onClose: (close) => void closers.push(close),
    gatewayConfig,
    supergraph,
    main,
    ourMainGateway,
  };
  return {
    context,
    failures,
    // Our gateway before the network it loads.
    release: async (remaining) => {
      await ourMainGateway.releaseUnlessNeeded(remaining);
      await main.releaseUnlessNeeded(remaining);
    },
    close,
  };
}
