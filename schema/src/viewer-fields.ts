/**
 * What a partner's answer depends on the viewer for, in the partner contract
 * (`space.graphql`), as `Type.field` coordinates: the gateway sends a partner the signed viewer
 * only with a mutation or with a query that selects one of these. Everything else a partner
 * answers alike to every viewer. `subgraphs/space/test/viewer-fields.test.ts` asks every field
 * of the contract as several viewers of a seeded partner and fails when a field outside this
 * list answers differently.
 */
export const VIEWER_DEPENDENT_FIELDS: ReadonlySet<string> = new Set([
  // Which members a viewer sees: all of them for the partner's front desk, else the directory.
  'Query.members',
  'Query.member',
  'Space.members',
  // The front desk sees every registration, a person their own.
  'Event.registrations',
  // A member's private data.
  'Member.email',
  'Member.phone',
  'Member.skills',
  'Member.memberships',
  'Member.registrations',
  'Member.visits',
  'Member.isCheckedIn',
  'Member.directorySkills',
  'Member.person',
  // What a person of the network holds at a partner: theirs, the front desk's, coordinators'.
  'Person.memberships',
  'Person.registrations',
  'Person.visits',
  // A person's choice of messages (contract 1.2.0): theirs alone.
  'Person.eventMessagePreferences',
  // Bookings: the person's own, the partner's front desk's, coordinators'.
  'Query.booking',
  'Space.bookings',
  'Person.bookings',
  // The partner's figures (contract 1.1.0): its managers' and coordinators'.
  'Query.visitsByWeek',
  'Query.occupancyByHour',
  'Query.eventAttendance',
  'Query.directoryOptIns',
  // Who is at a space right now: the front desk's.
  'Space.presentVisits',
  // The partner's undelivered mails: its managers' and coordinators'.
  'Partner.outboxDeadLetters',
]);

/**
 * The entity types whose resolution from a key (`_entities`) depends on the viewer: a member
 * outside the directory, or a booking, resolves to null for those who may not see them. (A `Person` resolves
 * alike for everyone; what varies, its records at a partner, is listed field by field above.)
 */
export const VIEWER_DEPENDENT_ENTITIES: ReadonlySet<string> = new Set(['Member', 'Booking']);
