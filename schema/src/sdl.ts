import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The subgraph contracts of the network, by subgraph name. */
export type SubgraphName = 'space' | 'network';

/** Absolute path of a subgraph's SDL file. */
export function sdlPath(name: SubgraphName): string {
  return fileURLToPath(new URL(`../${name}.graphql`, import.meta.url));
}

/** The SDL text of a subgraph's contract. */
export function readSdl(name: SubgraphName): string {
  return readFileSync(sdlPath(name), 'utf8');
}

/** Absolute path of the committed supergraph, `schema/supergraph.graphql`. */
export function supergraphPath(): string {
  return fileURLToPath(new URL('../supergraph.graphql', import.meta.url));
}
