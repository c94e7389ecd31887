import { existsSync } from 'node:fs';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { readSdl, sdlPath, type SubgraphName } from './sdl.js';

export interface SubgraphDefinition {
  name: string;
  url: string;
  sdl: string;
}

export class CompositionError extends Error {
  constructor(readonly messages: string[]) {
    super(`Composition failed:\n${messages.map((m) => `  - ${m}`).join('\n')}`);
    this.name = 'CompositionError';
  }
}

/** Composes subgraph SDLs into a supergraph SDL, or throws with every composer message. */
export function composeOrThrow(subgraphs: readonly SubgraphDefinition[]): string {
  const result = composeServices(
    subgraphs.map(({ name, url, sdl }) => ({ name, url, typeDefs: parse(sdl) })),
  );
  if (result.errors) throw new CompositionError(result.errors.map((e) => e.message));
  return result.supergraphSdl;
}

/** The URLs the committed supergraph names; the gateway routes by its own registry anyway. */
export const DEFAULT_ROUTING_URLS: Record<SubgraphName, string> = {
  space: 'http://127.0.0.1:4101/',
  network: 'http://127.0.0.1:4100/',
};

/** The network's subgraphs whose contract exists, as the committed supergraph composes them. */
export function networkSubgraphs(): SubgraphDefinition[] {
  return (['space', 'network'] as const)
    .filter((name) => existsSync(sdlPath(name)))
    .map((name) => ({ name, url: DEFAULT_ROUTING_URLS[name], sdl: readSdl(name) }));
}
