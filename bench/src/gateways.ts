import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, startProcess, type Child } from './processes.js';
import type { PartnerEntry } from './workspace.js';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A gateway serving GraphQL in its own process. */
export interface RunningGateway {
  name: string;
  url: string;
  child: Child;
  /** Its `/metrics`, when it serves them (our gateway with telemetry). */
  metricsUrl?: string | undefined;
}

export interface OurGatewayConfig {
  supergraphPath: string;
  partners: PartnerEntry[];
  networkUrl: string | null;
  /** The key our gateway signs the viewer header with (PEM). */
  viewerSigningKey: string;
  authSecret: string;
  audience: string;
  /** Whether identical queries in flight share their subgraph fetches (the default). */
  inflightDeduplication: boolean;
  /**
   * Logs (every request line, written to /dev/null), metrics (a registry served on a port of
   * its own) and traces (exported to `otlpEndpoint`, when given); only errors are logged
   * without it.
   */
  telemetry?: { otlpEndpoint?: string | undefined } | undefined;
  /** How long it waits for a partner's answer (the gateway's default, 2 s, without it). */
  partnerTimeoutMs?: number | undefined;
}

const READY_TIMEOUT_MS = 120_000;
const listening = (line: string) => (line.startsWith('LISTENING ') ? line.slice(10).trim() : null);

/** Our gateway (createGateway, as gateway/src/main.ts builds it), optionally CPU-profiled. */
export async function startOurGateway(
  name: string,
  config: OurGatewayConfig,
  options: { profileDir?: string | undefined } = {},
): Promise<RunningGateway> {
  // Node's own file names, in a folder per gateway: a fixed name would be written by each of
  // the process's threads in turn, and tsx's module loader thread would leave its profile last.
  const profile = options.profileDir
    ? [
        '--cpu-prof',
        `--cpu-prof-dir=${join(options.profileDir, `${name.replace(/\W+/g, '-')}-${Date.now()}`)}`,
      ]
    : [];
  const { child, found, output } = await startProcess({
    command: process.execPath,
    args: [
      ...profile,
      '--conditions=source',
      '--import',
      'tsx',
      join(REPO_ROOT, 'bench/src/gateways/ours.ts'),
    ],
    cwd: REPO_ROOT,
    env: { BENCH_GATEWAY: JSON.stringify(config) },
    ready: listening,
    timeoutMs: READY_TIMEOUT_MS,
  });
  const metricsUrl = /^METRICS (\S+)/m.exec(output())?.[1];
  return { name, url: found!, child, metricsUrl };
}

/** A plain @apollo/gateway behind Apollo Server's standalone HTTP server. */
export async function startApolloGateway(supergraphPath: string): Promise<RunningGateway> {
  const { child, found } = await startProcess({
    command: process.execPath,
    args: [
      '--conditions=source',
      '--import',
      'tsx',
      join(REPO_ROOT, 'bench/src/gateways/apollo.ts'),
    ],
    cwd: REPO_ROOT,
    env: { SUPERGRAPH_PATH: supergraphPath },
    ready: listening,
    timeoutMs: READY_TIMEOUT_MS,
  });
  return { name: 'Apollo Gateway', url: found!, child };
}

/**
 * Hive Gateway from its CLI, default configuration, serving the supergraph file; with
 * `routerRuntime`, on Hive Router's Rust query planner (`--hive-router-runtime`, which loads
 * `@graphql-hive/router-runtime`). The CLI falls back to its default runtime with a warning
 * when that package does not load: that fails the start instead, so that the column measures
 * what it says.
 */
export async function startHiveGateway(
  supergraphPath: string,
  options: { routerRuntime?: boolean } = {},
): Promise<RunningGateway> {
  const port = await freePort();
  const { child, output } = await startProcess({
    command: join(REPO_ROOT, 'bench/node_modules/.bin/hive-gateway'),
    args: [
      'supergraph',
      supergraphPath,
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      ...(options.routerRuntime ? ['--hive-router-runtime'] : []),
    ],
    cwd: REPO_ROOT,
    ready: (line) => (/Listening on/.test(line) ? true : null),
    timeoutMs: READY_TIMEOUT_MS,
  });
  if (options.routerRuntime && !/Using Hive Router Runtime/.test(output())) {
    await child.stop();
    throw new Error(`Hive Gateway did not take --hive-router-runtime:\n${output()}`);
  }
  if (/Could not load the @graphql-hive\/router-runtime/.test(output())) {
    await child.stop();
    throw new Error(`Hive Gateway could not load @graphql-hive/router-runtime:\n${output()}`);
  }
  return {
    name: options.routerRuntime ? 'Hive Gateway, Rust planner' : 'Hive Gateway',
    url: `http://127.0.0.1:${port}/graphql`,
    child,
  };
}
