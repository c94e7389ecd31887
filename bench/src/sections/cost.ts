import { readFile } from 'node:fs/promises';
import { measureCost, renderCost } from '../cost.js';
import { startOurGateway } from '../gateways.js';
import type { BenchSection } from './context.js';

/**
 * Section 6: the price of a query. Our gateway over the generated network, alone in its
 * process, faced with the attack query and the worst queries its limits accept.
 */
export const costSection: BenchSection = {
  runs: () => 0,
  async measure({ main, gatewayConfig, onClose }) {
    const { network, supergraphPath } = await main.get();
    const ours = await startOurGateway('cost', gatewayConfig(network, supergraphPath));
    onClose(() => ours.child.stop());
    try {
      const cost = await measureCost({
        url: ours.url,
        gateway: ours.child,
        supergraphSdl: await readFile(supergraphPath, 'utf8'),
        log: (message) => console.error(message),
      });
      console.error(renderCost(cost));
      return { cost };
    } finally {
      await ours.child.stop();
    }
  },
};
