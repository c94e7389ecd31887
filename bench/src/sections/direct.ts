import type { OperationName } from '../operations.js';
import {
  SEEDED_PEOPLE,
  seededPersonId,
  signViewerSync,
  VIEWER_HEADER,
  type BoundRequest,
} from '../workspace.js';
import type { BenchSection } from './context.js';

/** Section 2: what the gateway adds to a call its owner could answer alone, at one connection. */
export const directSection: BenchSection = {
  runs: () => 4,
  async measure({ main, ourMainGateway, run, options, coordinator, viewerKeys }) {
    const { network, operations, generationSeconds } = await main.get();
    const ours = await ourMainGateway.get();
    const first = network.partners[0]!;
    // A subgraph trusts a viewer header for the one request it was signed for, once: each
    // direct redemption carries its own, signed as the gateway signs one, for its body.
    const asCoordinator = (body: string) => ({
      [VIEWER_HEADER]: signViewerSync(
        {
          kind: 'person',
          personId: seededPersonId(SEEDED_PEOPLE.find((p) => p.coordinator)!.email),
          coordinator: true,
          manages: [],
          staffs: [],
        },
        viewerKeys.signingKey,
        {
          audience: 'network',
          request: JSON.parse(body) as BoundRequest,
        },
      ),
    });
    const calls: {
      name: OperationName;
      owner: string;
      url: string;
      headersFor?: (body: string) => Record<string, string>;
      via: Record<string, string>;
    }[] = [
      {
        name: 'spaceSite',
        owner: `partner ${first.slug}`,
        url: first.url,
        via: {},
      },
      {
        name: 'redemption',
        owner: 'network',
        url: network.network!.url,
        headersFor: asCoordinator,
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
          call.headersFor ? { ...operation, headersFor: call.headersFor } : operation,
          options.latency,
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
