import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startOurGateway, type RunningGateway } from '../gateways.js';
import { combine, type LoadResult } from '../load.js';
import type { OperationName } from '../operations.js';
import type { BenchSection } from './context.js';

/** The operations measured with telemetry off and on: a scatter, a calendar, a lookup. */
const TELEMETRY_OPERATIONS: OperationName[] = ['directory', 'calendar', 'spacePage'];

/** An OTLP/HTTP receiver that reads and drops what it is sent, counting the bytes. */
async function startTraceSink() {
  let bytes = 0;
  const server = createServer((req, res) => {
    req.on('data', (chunk: Buffer) => void (bytes += chunk.length));
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    bytes: () => bytes,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * Section 7: our gateway over the main network with its telemetry off (errors only) and on
 * (a JSON line per request, every metric, every span exported to a receiver), side by side.
 */
export const telemetrySection: BenchSection = {
  runs: () => TELEMETRY_OPERATIONS.length * 4,
  async measure(context) {
    const { options, run } = context;
    const { network, supergraphPath, operations } = await context.main.get();
    const sink = await startTraceSink();
    context.onClose(sink.close);
    const config = context.gatewayConfig(network, supergraphPath);
    const off = await startOurGateway('ours, telemetry off', config);
    context.onClose(() => off.child.stop());
    const on = await startOurGateway('ours, telemetry on', {
      ...config,
      telemetry: { otlpEndpoint: sink.url },
    });
    context.onClose(() => on.child.stop());
    // In turn and back (off on on off), half the time each, so a slow moment falls on both.
    const half = { ...options.load, duration: options.load.duration / 2 };
    const telemetry: { operation: OperationName; off: LoadResult; on: LoadResult }[] = [];
    for (const name of TELEMETRY_OPERATIONS) {
      const results = new Map<RunningGateway, LoadResult[]>([
        [off, []],
        [on, []],
      ]);
      for (const gateway of [off, on, on, off]) {
        results
          .get(gateway)!
          .push(
            await run(
              `${gateway.name} · ${operations[name].title}`,
              gateway.url,
              operations[name],
              half,
            ),
          );
      }
      telemetry.push({
        operation: name,
        off: combine(results.get(off)!),
        on: combine(results.get(on)!),
      });
    }
    if (sink.bytes() === 0) context.fail('telemetry: the gateway exported no spans');
    await on.child.stop();
    await off.child.stop();
    return { telemetry, telemetryExportedBytes: sink.bytes() };
  },
};
