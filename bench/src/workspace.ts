/**
 * What the bench uses from the other workspace packages and their dependencies.
 * `bench/package.json` lists only its own dependencies (autocannon, Hive Gateway), so the
 * network's code is imported from its sources and the libraries from the packages that
 * depend on them; every such path is here, in one place. Listing the workspace packages as
 * dependencies of the bench would turn these into plain package imports.
 */
export { issueToken } from '../../gateway/src/auth.js';
export type { PartnerEntry } from '../../gateway/src/registry.js';

export {
  ANONYMOUS,
  formatId,
  parisDate,
  readSdl,
  signViewer,
  startOfParisDay,
  supergraphPath,
  viewerSecretKey,
  VIEWER_HEADER,
} from '../../schema/src/index.js';
export { composeOrThrow } from '../../schema/src/compose.js';
export { createScratchDatabase } from '../../schema/src/testkit/databases.js';

export { createDb as createSpaceDb } from '../../subgraphs/space/src/db/client.js';
export type { CreateDbOptions, Db as SpaceDb } from '../../subgraphs/space/src/db/client.js';
export * as spaceTables from '../../subgraphs/space/src/db/schema.js';
export { derivedColumns as spaceDerivedColumns } from '../../subgraphs/space/src/data/spaces.js';
export { searchTextOf as eventSearchText } from '../../subgraphs/space/src/data/events.js';
export { derivedColumns as memberDerivedColumns } from '../../subgraphs/space/src/data/members.js';
export { createServer as createSpaceServer } from '../../subgraphs/space/src/server.js';

export { createDb as createNetworkDb } from '../../subgraphs/network/src/db/client.js';
export type { Db as NetworkDb } from '../../subgraphs/network/src/db/client.js';
export * as networkTables from '../../subgraphs/network/src/db/schema.js';
export {
  checkCharacter,
  CODE_ALPHABET,
  CODE_LENGTH,
  formatPassCode,
} from '../../subgraphs/network/src/code.js';
export { entriesFor } from '../../subgraphs/network/src/data/passes.js';
export { entryValue } from '../../subgraphs/network/src/data/settlement.js';
export { createServer as createNetworkServer } from '../../subgraphs/network/src/server.js';

export { CALENDAR, DIRECTORY, PASS, SPACE_PAGE } from '../../web/src/graphql/operations.js';

export { PGlite } from '../../subgraphs/space/node_modules/@electric-sql/pglite/dist/index.js';
export { startStandaloneServer } from '../../subgraphs/space/node_modules/@apollo/server/dist/esm/standalone/index.js';
