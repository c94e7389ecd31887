/**
 * What the bench uses from the other workspace packages and their dependencies, in one place.
 * The packages are dependencies of the bench (`bench/package.json`), and PGlite and Apollo
 * Server are at the same version ranges as in the subgraphs, so pnpm resolves the one copy
 * drizzle and the subgraphs use.
 */
export { issueDevToken } from '@tiers-lieux/gateway/auth';
export { SEEDED_PEOPLE, seededPersonId } from '@tiers-lieux/schema/seed-people';
export { listBounds, operationCost, type ListBound } from '@tiers-lieux/gateway/cost';
export { DEFAULT_LIMITS } from '@tiers-lieux/gateway/limits';
export type { PartnerEntry } from '@tiers-lieux/gateway/registry';

export {
  ANONYMOUS,
  formatId,
  parisDate,
  readSdl,
  signViewerSync,
  startOfParisDay,
  supergraphPath,
  generateViewerKeys,
  VIEWER_HEADER,
  type BoundRequest,
} from '@tiers-lieux/schema';
export { composeOrThrow } from '@tiers-lieux/schema/compose';
export {
  createMetricsRegistry,
  createOutboxDispatcher,
  databaseTelemetry,
  type OutboxDispatcher,
  outboxMetricsOf,
  type Registry,
  rowsOf,
  type RunningTracing,
  serveMetrics,
  SMALL_PGLITE_SETTINGS,
  smtpTransport,
  startMailCatcher,
  startTracing,
  type StatementObserver,
  type SubgraphServer,
  type Tracer,
} from '@tiers-lieux/subgraph-shell';
export {
  openMigratedCopy,
  openScratchDatabase,
  spanMillis,
  spanTree,
  startOtlpReceiver,
  type OtlpReceiver,
  type ReceivedSpan,
} from '@tiers-lieux/subgraph-shell/testing';

export { spaceDatabase } from '@tiers-lieux/space-subgraph/db';
export type { Db as SpaceDb } from '@tiers-lieux/space-subgraph/db';
export * as spaceTables from '@tiers-lieux/space-subgraph/tables';
export { derivedColumns as spaceDerivedColumns } from '@tiers-lieux/space-subgraph/spaces';
export { searchTextOf as eventSearchText } from '@tiers-lieux/space-subgraph/events';
export { derivedColumns as memberDerivedColumns } from '@tiers-lieux/space-subgraph/members';
export { createServer as createSpaceServer } from '@tiers-lieux/space-subgraph/server';

export { networkDatabase } from '@tiers-lieux/network-subgraph/db';
export type { Db as NetworkDb } from '@tiers-lieux/network-subgraph/db';
export * as networkTables from '@tiers-lieux/network-subgraph/tables';
export {
  checkCharacter,
  CODE_ALPHABET,
  CODE_LENGTH,
  formatPassCode,
} from '@tiers-lieux/network-subgraph/pass-codes';
export { entriesFor } from '@tiers-lieux/network-subgraph/passes';
export { entryValue } from '@tiers-lieux/network-subgraph/settlement';
export { createServer as createNetworkServer } from '@tiers-lieux/network-subgraph/server';

export { CALENDAR, DIRECTORY, PASS, SPACE_PAGE } from '@tiers-lieux/web/operations';
export { NETWORK_PASSES, PASS_SALES } from '@tiers-lieux/web/console-operations';

export { startStandaloneServer } from '@apollo/server/standalone';
