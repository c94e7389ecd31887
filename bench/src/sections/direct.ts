import type { OperationName } from '../operations.js';
import { signViewer, VIEWER_HEADER } from '../workspace.js';
import type { BenchSection } from './context.js';

/** Section 2: what the gateway adds to a call its owner could answer alone, at one connection. */
export const directSection: BenchSection = {
  runs: () => 4,
  async measure({ main, ourMainGateway, run, options, coordinator, viewerKeys }) {
    const { network, operations, generationSeconds } = await main.get();
    const ours = await ourMainGateway.get();
    const first = network.partners[0]!;
    const signed = await signViewer({ kind: 'coordinator' }, viewerKeys.signingKey, {
      audience: 'network',
      ttlSeconds: 3 * 3600,
    });
    const calls: {
      name: OperationName;
      owner: string;
      url: string;
      headers: Record<string, string>;
      via: Record<string, string>;
    }[] = [
      {
        name: 'spaceSite',
        owner: `partner ${first.slug}`,
        url: first.url,
        headers: {},
        via: {},
      },
      {
        name: 'redemption',
        owner: 'network',
        url: network.network!.url,
        headers: { [VIEWER_HEADER]: signed },
        via: coordinator,
      },
    ];
    const direct = [];
    for (const call of calls) {
      const operation = operations[call.name];
      direct.push({
        operation: call.name,
        owner: call.owner,
        direct: await run(
          `direct · ${operation.title}`,
          call.url,
          operation,
          options.latency,
          call.headers,
        ),
        gateway: await run(
          `gateway · ${operation.title}`,
          ours.url,
          operation,
          options.latency,
          call.via,
        ),
      });
    }
    return { generationSeconds, direct };
  },
};
