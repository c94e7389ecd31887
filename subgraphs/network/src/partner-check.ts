import { checkPartner, readSdl, type PartnerCheckOutcome } from '@tiers-lieux/schema';
import { parse } from 'graphql';

/** The partner contract every partner's subgraph must serve, parsed once. */
const PARTNER_CONTRACT = parse(readSdl('space'));

/** How long a partner's subgraph has to answer the network's check, by default. */
export const DEFAULT_PARTNER_CHECK_TIMEOUT_MS = 5_000;

/** Checks that a subgraph URL answers and serves the partner contract; never throws. */
export type PartnerChecker = (url: string) => Promise<PartnerCheckOutcome>;

export function partnerChecker(timeoutMs = DEFAULT_PARTNER_CHECK_TIMEOUT_MS): PartnerChecker {
  return (url) => checkPartner(url, PARTNER_CONTRACT, { timeoutMs });
}
