import { readSdl } from '@tiers-lieux/schema';
import { parse } from 'graphql';

/** The partner contract, `schema/space.graphql`, the same file codegen and composition read. */
export const typeDefs = parse(readSdl('space'));
