import { setTimeout as sleep } from 'node:timers/promises';
import { startOurGateway } from '../gateways.js';
import { startNetwork } from '../network.js';
import {
  spanTree,
  startOtlpReceiver,
  startTracing,
  type ReceivedSpan,
  type RunningTracing,
} from '../workspace.js';
import { networkOperations, type BenchSection } from './context.js';

export interface TraceReport {
  /** The operation traced, as the gateway names its span. */
  name: string;
  /** The span tree, a line per span: indented by depth, name, service, duration. */
  lines: string[];
  spans: number;
  services: string[];
}

/** A small network: the tree shows every partner fetch, and each has a few. */
export const TRACE_SIZE = { partners: 3, spaces: 24, events: 300, members: 200, passes: 40 };
const SPANS_TIMEOUT_MS = 20_000;
/** The gateway's exporter sends its batch every second. */
const QUIET_MS = 1_500;

/**
 * Section 9: one trace of a directory request. An OTLP/HTTP receiver in the bench's process
 * (the tests' own, `startOtlpReceiver`), a small generated network whose subgraphs export their
 * spans to it, our gateway in its own process exporting there too; one directory request warms
 * the path up, a second one is traced, and its span tree is printed.
 */
export const traceSection: BenchSection = {
  runs: () => 0,
  async measure(context) {
    const receiver = await startOtlpReceiver();
    context.onClose(receiver.close);
    const tracings: RunningTracing[] = [];
    const network = await startNetwork(context.databases, {
      size: TRACE_SIZE,
      seed: context.options.seed,
      now: context.now,
      viewerPublicKey: context.viewerKeys.publicKey,
      withNetwork: true,
      telemetry: async (service) => {
        const tracing = await startTracing(service, { endpoint: receiver.url });
        tracings.push(tracing);
        return { tracer: tracing.tracer };
      },
    });
    context.onClose(network.close);
    const supergraphPath = await context.supergraph('trace', network);
    const gateway = await startOurGateway('ours, traced', {
      ...context.gatewayConfig(network, supergraphPath),
      telemetry: { otlpEndpoint: receiver.url },
    });
    context.onClose(() => gateway.child.stop());
    const directory = networkOperations(network, context.now, `${context.runTag}t`).directory;
    const ask = async () => {
      const answer = await fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: directory.body(),
      }).then((r) => r.text());
      if (!directory.verify(answer))
        context.fail(`trace: the directory failed: ${answer.slice(0, 300)}`);
    };
    await ask();
    const before = Date.now();
    await ask();
    // The request's trace: the gateway's last root span, and every span under it once the
    // exporters have sent them (the subgraphs' flushed here, the gateway's batch awaited).
    for (const tracing of tracings) await tracing.shutdown();
    const rootOf = () =>
      receiver.spans
        .filter(
          (s) =>
            s.service === 'gateway' &&
            !s.parentSpanId &&
            Number(s.startTimeUnixNano / 1_000_000n) >= before - 1,
        )
        .at(-1);
    let root: ReceivedSpan | undefined;
    let seen = -1;
    const deadline = Date.now() + SPANS_TIMEOUT_MS;
    while (Date.now() < deadline) {
      await sleep(QUIET_MS);
      root = rootOf();
      if (root && receiver.spans.length === seen) break;
      seen = receiver.spans.length;
    }
    await gateway.child.stop();
    await network.close();
    if (!root) {
      context.fail(`trace: no span of the directory request reached the receiver`);
      return { trace: null };
    }
    const spans = receiver.spans.filter((s) => s.traceId === root.traceId);
    const lines = spanTree(spans, root, { durations: true });
    if (lines.length !== spans.length)
      context.fail(`trace: ${spans.length - lines.length} spans of the trace hang from no parent`);
    if (!spans.some((s) => s.service.startsWith('partner:')))
      context.fail('trace: no partner span under the gateway’s');
    console.error(lines.join('\n'));
    return {
      trace: {
        name: root.name,
        lines,
        spans: spans.length,
        services: [...new Set(spans.map((s) => s.service))].sort(),
      },
    };
  },
};
