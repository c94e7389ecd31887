import { DateScalar, DateTime } from '@tiers-lieux/schema';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { Member } from './Member.js';
import { Mutation } from './Mutation.js';
import { NetworkOutboxMessage } from './NetworkOutboxMessage.js';
import { Partner } from './Partner.js';
import { Pass } from './Pass.js';
import { Booking, PassBooking } from './PassBooking.js';
import { Person } from './Person.js';
import { PassProduct } from './PassProduct.js';
import { PassSalesBucket } from './PassSalesBucket.js';
import { Query } from './Query.js';
import { Redemption } from './Redemption.js';
import { RoleGrant } from './RoleGrant.js';
import { Settlement, SettlementLine } from './Settlement.js';
import { Space } from './Space.js';

export const resolvers: Resolvers = {
  DateTime,
  Date: DateScalar,
  Query,
  Mutation,
  NetworkOutboxMessage,
  Partner,
  PassProduct,
  Pass,
  PassSalesBucket,
  Redemption,
  Settlement,
  SettlementLine,
  Space,
  Member,
  Person,
  RoleGrant,
  PassBooking,
  Booking,
};
