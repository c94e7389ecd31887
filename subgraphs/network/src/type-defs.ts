import { readSdl } from '@tiers-lieux/schema';
import { parse } from 'graphql';

/** The network contract, `schema/network.graphql`, the same file codegen and composition read. */
export const typeDefs = parse(readSdl('network'));
