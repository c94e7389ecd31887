import { readFileSync } from 'node:fs';
// The libraries come from the gateway package's dependencies (see ../workspace.ts).
import {
  ApolloGateway,
  RemoteGraphQLDataSource,
} from '../../../gateway/node_modules/@apollo/gateway/dist/index.js';
import { ApolloServer } from '../../../gateway/node_modules/@apollo/server/dist/esm/index.js';
import { startStandaloneServer } from '../../../gateway/node_modules/@apollo/server/dist/esm/standalone/index.js';

/**
 * A plain Apollo Gateway, as its documentation sets one up: ApolloServer over ApolloGateway,
 * a RemoteGraphQLDataSource per subgraph of the supergraph (SUPERGRAPH_PATH), the standalone
 * HTTP server. Prints `LISTENING <graphql url>` when it listens.
 */
process.env.APOLLO_TELEMETRY_DISABLED = '1';

const gateway = new ApolloGateway({
  supergraphSdl: readFileSync(process.env.SUPERGRAPH_PATH ?? '', 'utf8'),
  buildService: ({ url }) => new RemoteGraphQLDataSource({ url }),
});
const server = new ApolloServer({ gateway });
const { url } = await startStandaloneServer(server, { listen: { host: '127.0.0.1', port: 0 } });
console.log(`LISTENING ${url}`);

process.once('SIGTERM', async () => {
  await server.stop();
  process.exit(0);
});
