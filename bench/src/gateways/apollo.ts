import { readFileSync } from 'node:fs';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';

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
