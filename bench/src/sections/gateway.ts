import type { OperationName } from '../operations.js';
import type { BenchSection } from './context.js';

/** The operations measured under load through our gateway, with the statements each costs. */
export const MAIN_OPERATIONS: OperationName[] = [
  'directory',
  'nearMe',
  'calendar',
  'spacePage',
  'passLookup',
  'redemption',
];

/** Section 1: each operation under load through our gateway over the generated network. */
export const gatewaySection: BenchSection = {
  runs: () => MAIN_OPERATIONS.length,
  async measure({ main, ourMainGateway, run, options, coordinator }) {
    const { network, operations, generationSeconds } = await main.get();
    const ours = await ourMainGateway.get();
    const gateway = [];
    for (const name of MAIN_OPERATIONS) {
      const operation = operations[name];
      const result = await run(
        `gateway · ${operation.title}`,
        ours.url,
        operation,
        options.load,
        name === 'redemption' ? coordinator : {},
        () => void (network.counter.statements = 0),
      );
      gateway.push({
        operation: name,
        result,
        statements: result.requests ? network.counter.statements / result.requests : Number.NaN,
      });
    }
    return { generationSeconds, gateway };
  },
};
