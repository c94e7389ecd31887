import {
  startApolloGateway,
  startHiveGateway,
  startOurGateway,
  type RunningGateway,
} from '../gateways.js';
import { combine, type LoadResult, type LoadSettings } from '../load.js';
import { operations, type Operation, type OperationName } from '../operations.js';
import { SAMPLES, type BenchSection } from './context.js';

/** The operations every gateway serves alike, on one partner. */
const SHARED_OPERATIONS: OperationName[] = [
  'directory',
  'nearMe',
  'calendar',
  'spacePage',
  'passLookup',
  'mixed',
];

function rotateBy<T>(items: T[], by: number): T[] {
  return items.map((_, i) => items[(i + by) % items.length]!);
}

/**
 * Section 3: our gateway (sharing in-flight fetches, and not), Hive Gateway (its default
 * runtime, and Hive Router's Rust query planner) and Apollo Gateway
 * side by side on one partner, then the single-partner lookup's latency through each.
 */
export const compareSection: BenchSection = {
  runs: (options) =>
    options.compareOperations
      ? options.compareOperations.length * 10
      : SHARED_OPERATIONS.length * 10 + 10,
  async measure(context) {
    const { options, run } = context;
    const { network, supergraphPath, generationSeconds } = await context.main.get();
    const first = network.partners[0]!;
    const local = operations(
      {
        spaceIds: first.spaceIds.slice(0, SAMPLES),
        passCodes: network.network!.passes.firstPartnerOnly.slice(0, SAMPLES),
        redemptions: network.network!.passes.forRedemptions,
      },
      context.now,
      `${context.runTag}c`,
    );
    const config = context.gatewayConfig(network, supergraphPath);
    const gateways: RunningGateway[] = [];
    const stopAll = async () => {
      for (const g of gateways) await g.child.stop();
    };
    context.onClose(stopAll);
    const onePartner = { ...config, partners: config.partners.slice(0, 1) };
    // Started one after the other: five processes loading at once on a busy machine made one
    // miss its ready timeout. When one fails, those that started are still stopped (onClose).
    const starts = [
      () => startOurGateway('ours', onePartner, { profileDir: context.profileDir }),
      () => startOurGateway('ours, sharing off', { ...onePartner, inflightDeduplication: false }),
      () => startHiveGateway(supergraphPath),
      () => startHiveGateway(supergraphPath, { routerRuntime: true }),
      () => startApolloGateway(supergraphPath),
    ];
    for (const start of starts) gateways.push(await start());
    const [ours, unshared, hive, hiveRouter, apollo] = gateways as [
      RunningGateway,
      RunningGateway,
      RunningGateway,
      RunningGateway,
      RunningGateway,
    ];
    // Each gateway runs twice for half the time, in turn and back (A B C D E E D C B A), so
    // that a slow moment of the machine falls on all of them alike.
    const half = { ...options.load, duration: options.load.duration / 2 };
    const inTurn = async (
      targets: { name: string; url: string }[],
      operation: Operation,
      settings: LoadSettings,
    ) => {
      const runs = new Map<{ name: string; url: string }, LoadResult[]>(
        targets.map((t) => [t, []]),
      );
      for (const t of [...targets, ...[...targets].reverse()]) {
        runs.get(t)!.push(await run(`${t.name} · ${operation.title}`, t.url, operation, settings));
      }
      return (t: { name: string; url: string }) => combine(runs.get(t)!);
    };
    const compare = [];
    for (const [i, name] of (options.compareOperations ?? SHARED_OPERATIONS).entries()) {
      const result = await inTurn(rotateBy(gateways, i), local[name], half);
      compare.push({
        operation: name,
        ours: result(ours),
        oursUnshared: result(unshared),
        hive: result(hive),
        hiveRouter: result(hiveRouter),
        apollo: result(apollo),
      });
    }
    if (options.compareOperations) {
      await stopAll();
      return { generationSeconds, compare, compareLatency: null };
    }
    // The single-partner lookup's own latency through each gateway, against the direct call.
    const direct = { name: 'direct', url: first.url };
    const lookups = await inTurn([direct, ours, hive, hiveRouter, apollo], local.spaceSite, {
      ...options.latency,
      duration: options.latency.duration / 2,
    });
    const compareLatency = {
      operation: 'spaceSite' as const,
      direct: lookups(direct),
      ours: lookups(ours),
      hive: lookups(hive),
      hiveRouter: lookups(hiveRouter),
      apollo: lookups(apollo),
    };
    await stopAll();
    return { generationSeconds, compare, compareLatency };
  },
};
