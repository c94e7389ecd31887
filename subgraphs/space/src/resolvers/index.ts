import { DateScalar, DateTime } from '@tiers-lieux/schema';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { Booking } from './Booking.js';
import { Event } from './Event.js';
import { EventSeries } from './EventSeries.js';
import { Member } from './Member.js';
import { Membership } from './Membership.js';
import { Mutation } from './Mutation.js';
import { Offer } from './Offer.js';
import { OutboxMessage } from './OutboxMessage.js';
import { Partner } from './Partner.js';
import { Person } from './Person.js';
import { Query } from './Query.js';
import { Registration } from './Registration.js';
import { Resource } from './Resource.js';
import { Space } from './Space.js';
import { Visit } from './Visit.js';

export const resolvers: Resolvers = {
  DateTime,
  Date: DateScalar,
  Query,
  Mutation,
  Partner,
  Space,
  Event,
  EventSeries,
  Member,
  Membership,
  Registration,
  Visit,
  Offer,
  Person,
  OutboxMessage,
  Resource,
  Booking,
};
