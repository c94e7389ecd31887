import { startOurGateway } from '../gateways.js';
import { startNetwork } from '../network.js';
import { operations } from '../operations.js';
import type { Report } from '../report.js';
import { startReplay } from '../replay.js';
import { REPLAY_DELAY_MS } from '../report.js';
import type { BenchSection } from './context.js';

/**
 * Section 4: the calendar through our gateway over 1 to 64 partners, each a real subgraph in
 * this process, then each replaced by a stand-in that answers from afar.
 */
export const fanoutSection: BenchSection = {
  runs: (options) => options.fanout.length * 2,
  async measure(context) {
    const { options, run } = context;
    const calendar = operations(
      { spaceIds: [], passCodes: [], redemptions: [] },
      context.now,
      context.runTag,
    ).calendar;
    const fanout: Report['fanout'] = [];
    for (const partners of options.fanout) {
      console.error(`generating the calendar's data over ${partners} partners`);
      const network = await startNetwork(context.databases, {
        size: { ...options.size, partners, members: 0, passes: 0 },
        seed: options.seed,
        now: context.now,
        viewerPublicKey: context.viewerKeys.publicKey,
        withNetwork: false,
      });
      context.onClose(network.close);
      const config = context.gatewayConfig(
        network,
        await context.supergraph(`fanout-${partners}`, network),
      );
      const label = `${partners} partner${partners > 1 ? 's' : ''}`;
      const { profileDir } = context;
      const ours = await startOurGateway(`ours-fanout-${partners}`, config, { profileDir });
      context.onClose(() => ours.child.stop());
      const result = await run(`${label} · ${calendar.title}`, ours.url, calendar, options.latency);
      await ours.child.stop();
      const replays = await Promise.all(
        network.partners.map((p) => startReplay(p.url, REPLAY_DELAY_MS)),
      );
      context.onClose(async () => void (await Promise.all(replays.map((r) => r.close()))));
      const far = await startOurGateway(
        `ours-fanout-far-${partners}`,
        { ...config, partners: config.partners.map((p, i) => ({ ...p, url: replays[i]!.url })) },
        { profileDir },
      );
      context.onClose(() => far.child.stop());
      const replayed = await run(
        `${label} far away · ${calendar.title}`,
        far.url,
        calendar,
        options.latency,
      );
      fanout.push({ partners, result, replayed });
      await far.child.stop();
      await Promise.all(replays.map((r) => r.close()));
      await network.close();
    }
    return { fanout };
  },
};
