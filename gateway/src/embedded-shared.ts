import type { networkDatabase } from '@tiers-lieux/network-subgraph/db';
import type { spaceDatabase } from '@tiers-lieux/space-subgraph/db';
import {
  dumpNewCluster,
  once,
  readTemplate,
  SMALL_PGLITE_SETTINGS,
  startTelemetry,
  telemetryConfig,
  telemetryEnv,
  type RunningTelemetry,
} from '@tiers-lieux/subgraph-shell';
import { z } from 'zod';

/** What the services of both threads of the embedded network are started with. */

// LOG_LEVEL and OTEL_* as in production, each service under its own name; METRICS_PORT serves
// the gateway's metrics (the subgraphs' registries would clash on one port).
// Request lines are for production: here only warnings, unless LOG_LEVEL says otherwise.
const telemetrySettings = telemetryConfig(
  z.object(telemetryEnv()).parse({ LOG_LEVEL: 'warn', ...process.env }),
);

/** Starts a service's telemetry; `stopAll` stops every one this thread started. */
export function embeddedTelemetry() {
  const started: RunningTelemetry[] = [];
  return {
    async of(service: string) {
      const telemetry = await startTelemetry(
        {
          ...telemetrySettings,
          metrics: service === 'gateway' ? telemetrySettings.metrics : null,
          serviceName: undefined,
        },
        service,
      );
      started.push(telemetry);
      return telemetry;
    },
    stopAll: () => Promise.all(started.map((t) => t.stop())),
  };
}

/**
 * A new folder is filled from its service's migrated cluster rather than each database running
 * initdb (seconds apiece) and its migrations: one initdb (`emptyCluster`, which the two threads
 * share: the worker makes it, the main thread asks it for it), the service's migrations applied once,
 * kept in the temp folder (`migratedTemplateFile`, named after the migrations and PGlite's
 * version; the tests share them), so that the next new folder costs neither. Small settings
 * keep five databases from taking a gigabyte.
 */
export function pgliteOf(
  database: typeof networkDatabase | typeof spaceDatabase,
  emptyCluster: () => Promise<Blob> = once(() => dumpNewCluster()),
) {
  return {
    pgliteTemplate: once(async () =>
      readTemplate(await database.migratedTemplateFile(emptyCluster)),
    ),
    pgliteSettings: SMALL_PGLITE_SETTINGS,
  };
}
