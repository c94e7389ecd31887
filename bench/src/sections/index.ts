import type { Section } from '../options.js';
import { compareSection } from './compare.js';
import { costSection } from './cost.js';
import type { BenchSection } from './context.js';
import { directSection } from './direct.js';
import { embeddedSection } from './embedded.js';
import { fanoutSection } from './fanout.js';
import { gatewaySection } from './gateway.js';
import { outboxSection } from './outbox.js';
import { metricsSection } from './metrics.js';
import { statementsSection } from './statements.js';
import { telemetrySection } from './telemetry.js';
import { traceSection } from './trace.js';

export type { BenchContext, BenchSection } from './context.js';

/** Every section by its `--only` name; they run in the order of `SECTIONS`. */
export const BENCH_SECTIONS: Record<Section, BenchSection> = {
  gateway: gatewaySection,
  direct: directSection,
  compare: compareSection,
  fanout: fanoutSection,
  statements: statementsSection,
  embedded: embeddedSection,
  cost: costSection,
  telemetry: telemetrySection,
  outbox: outboxSection,
  metrics: metricsSection,
  trace: traceSection,
};
