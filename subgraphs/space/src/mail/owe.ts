import { formatId } from '@tiers-lieux/schema';
import { enqueueMails, signLinkToken, type OwedMail } from '@tiers-lieux/subgraph-shell';
import { and, eq, inArray } from 'drizzle-orm';
import { getMessageChoice, getPersonMessageChoice, personSubject } from '../data/preferences.js';
import type { EventMessageKind } from '../__generated__/resolvers-types.js';
import type { Tx } from '../db/client.js';
import {
  events,
  members,
  registrations,
  spaces,
  type EventRow,
  type RegistrationRow,
  type SpaceRow,
} from '../db/schema.js';
import { eventIcs } from './ics.js';
import type { Notice, Owe } from './notice.js';
import type { MailSettings } from './settings.js';
import { composeMail, parisDate, type MailParts } from './templates.js';

/**
 * The messages a person may turn off, by their kind in the contract (`EventMessageKind`) and
 * in the preferences table and links; every other one is owed whatever they chose.
 */
export const MESSAGE_KINDS = { REMINDER: 'reminder' } as const satisfies Record<
  EventMessageKind,
  string
>;

/** The purposes of the links' tokens. */
export const LINK_PURPOSES = {
  confirm: 'confirm-registration',
  cancel: 'cancel-registration',
  unsubscribe: 'unsubscribe',
} as const;

/** Who gets the mails of a registration, and under which preference subject. */
interface Addressee {
  email: string;
  name: string;
  /** `person:<uuid>`, `member:<uuid>` (a member not linked to a person) or `email:<address>`. */
  subject: string;
  /** The person of the network it is, when this partner knows. */
  personUuid: string | null;
}

interface Facts {
  registration: RegistrationRow;
  event: EventRow;
  space: SpaceRow;
  to: Addressee;
}

/**
 * Turns what a change owes into French mails in the outbox, in the change's transaction:
 * reads what the mail says (event, space, addressee) through the same transaction, so the
 * mail tells the state that commits.
 */
export function createOwe(settings: MailSettings, partner: string): Owe {
  const link = (path: string, purpose: string, subject: string) =>
    `${settings.publicUrl}/${path}/${encodeURIComponent(subject)}/${signLinkToken(settings.linkSecret, purpose, subject)}`;
  const registrationLinks = (registration: RegistrationRow) => {
    const id = formatId(partner, 'registration', registration.id);
    return {
      confirm: link('inscription/confirmer', LINK_PURPOSES.confirm, id),
      cancel: link('inscription/annuler', LINK_PURPOSES.cancel, id),
    };
  };
  const unsubscribeLink = (subject: string, kind: string) =>
    `${settings.publicUrl}/desabonnement/${partner}/${signLinkToken(settings.linkSecret, LINK_PURPOSES.unsubscribe, `${subject} ${kind}`)}`;
  const eventUrl = (event: EventRow) =>
    `${settings.publicUrl}/#/evenements/${encodeURIComponent(formatId(partner, 'event', event.id))}`;

  async function factsOf(tx: Tx, registrationIds: string[]): Promise<Facts[]> {
    if (registrationIds.length === 0) return [];
    const rows = await tx
      .select({ registration: registrations, event: events, space: spaces, member: members })
      .from(registrations)
      .innerJoin(events, eq(events.id, registrations.eventId))
      .innerJoin(spaces, eq(spaces.id, events.spaceId))
      .leftJoin(members, eq(members.id, registrations.memberId))
      .where(inArray(registrations.id, registrationIds))
      .orderBy(registrations.arrival);
    // A member's mails go to their member record's address; a person registered as themselves
    // gets them at the verified address the gateway told with the registration, if it did. A
    // person's preferences are theirs at this partner (`person:<uuid>`), whichever way they
    // registered.
    return rows.flatMap(({ registration, event, space, member }) => {
      const person = member?.personId ?? registration.personId;
      const to = member
        ? {
            email: member.email,
            name: member.displayName,
            subject: person ? personSubject(person) : `member:${member.id}`,
            personUuid: person,
          }
        : registration.personId && registration.personEmail
          ? {
              email: registration.personEmail,
              name: registration.personName ?? registration.personEmail,
              subject: personSubject(registration.personId),
              personUuid: registration.personId,
            }
          : registration.guestEmail
            ? {
                email: registration.guestEmail,
                name: registration.guestName ?? registration.guestEmail,
                subject: `email:${registration.guestEmail.toLowerCase()}`,
                personUuid: null,
              }
            : null;
      return to ? [{ registration, event, space, to }] : [];
    });
  }

  async function liveRegistrationIds(tx: Tx, eventId: string): Promise<string[]> {
    const rows = await tx
      .select({ id: registrations.id })
      .from(registrations)
      .where(
        and(
          eq(registrations.eventId, eventId),
          inArray(registrations.status, ['CONFIRMED', 'WAITING', 'PENDING']),
        ),
      );
    return rows.map((r) => r.id);
  }

  async function unsubscribed(tx: Tx, to: Addressee, kind: string): Promise<boolean> {
    const choice = to.personUuid
      ? await getPersonMessageChoice(tx, { personUuid: to.personUuid, kind })
      : await getMessageChoice(tx, { subject: to.subject, kind });
    return choice?.subscribed === false;
  }

  const base = (facts: Facts): Pick<MailParts, 'networkName' | 'name' | 'event'> => ({
    networkName: settings.networkName,
    name: facts.to.name,
    event: {
      title: facts.event.title,
      startsAt: facts.event.startsAt,
      spaceName: facts.space.name,
      commune: facts.space.commune,
    },
  });

  const ics = (facts: Facts) => ({
    filename: 'evenement.ics',
    contentType: 'text/calendar; charset=utf-8; method=PUBLISH',
    content: eventIcs({
      uid: `${formatId(partner, 'event', facts.event.id)}@${settings.domain}`,
      title: facts.event.title,
      description: facts.event.description,
      location: `${facts.space.name}, ${facts.space.commune}`,
      startsAt: facts.event.startsAt,
      endsAt: facts.event.endsAt,
      url: eventUrl(facts.event),
      cancelled: facts.event.status === 'CANCELLED',
    }),
  });

  /** Where a registration stands, said to its holder. */
  function standing(facts: Facts): { paragraphs: string[]; actions: MailParts['actions'] } {
    const links = registrationLinks(facts.registration);
    const { status, holdUntil } = facts.registration;
    const cancel = { label: 'Annuler mon inscription', url: links.cancel };
    if (status === 'CONFIRMED')
      return {
        paragraphs: ['Votre inscription est confirmée : une place vous attend.'],
        actions: [cancel],
      };
    if (status === 'PENDING')
      return {
        paragraphs: [
          `Une place vous est réservée jusqu'au ${parisDate(holdUntil!)}. Elle ne vous est acquise qu'une fois votre inscription confirmée par le lien ci-dessous ; sans confirmation, elle passera à la personne suivante.`,
        ],
        actions: [{ label: 'Confirmer mon inscription', url: links.confirm }, cancel],
      };
    if (holdUntil)
      return {
        paragraphs: [
          "L'événement est complet. Confirmez votre adresse par le lien ci-dessous pour prendre place sur la liste d'attente ; si une place se libère, un mail vous le dira.",
          `Sans confirmation avant le ${parisDate(holdUntil)}, la demande sera oubliée.`,
        ],
        actions: [
          { label: "Confirmer ma place sur la liste d'attente", url: links.confirm },
          cancel,
        ],
      };
    return {
      paragraphs: [
        "Vous êtes sur la liste d'attente ; si une place se libère, un mail vous le dira.",
      ],
      actions: [cancel],
    };
  }

  async function mailsFor(tx: Tx, notice: Notice): Promise<OwedMail[]> {
    switch (notice.kind) {
      case 'registration-to-confirm':
      case 'registration-exists': {
        const [facts] = await factsOf(tx, [notice.registrationId]);
        if (!facts) return [];
        const { paragraphs, actions } = standing(facts);
        const already =
          notice.kind === 'registration-exists'
            ? [
                'Une inscription à cette adresse existait déjà pour cet événement ; voici où elle en est.',
              ]
            : [];
        return [
          {
            kind: notice.kind,
            to: facts.to.email,
            content: composeMail({
              ...base(facts),
              subject:
                facts.registration.status === 'CONFIRMED'
                  ? 'Votre inscription'
                  : 'Confirmez votre inscription',
              paragraphs: [...already, ...paragraphs],
              actions,
            }),
          },
        ];
      }
      case 'guest-limit': {
        const [row] = await tx
          .select({ event: events, space: spaces })
          .from(events)
          .innerJoin(spaces, eq(spaces.id, events.spaceId))
          .where(eq(events.id, notice.eventId));
        if (!row) return [];
        return [
          {
            kind: notice.kind,
            to: notice.email,
            content: composeMail({
              networkName: settings.networkName,
              name: notice.name,
              event: {
                title: row.event.title,
                startsAt: row.event.startsAt,
                spaceName: row.space.name,
                commune: row.space.commune,
              },
              subject: 'Inscription non enregistrée',
              paragraphs: [
                "Cette adresse tient déjà le nombre maximal d'inscriptions confirmées aux prochains événements de ce lieu : cette nouvelle inscription n'a pas été enregistrée.",
                "Annulez l'une des autres (par le lien de son mail) pour vous inscrire à celui-ci, ou adressez-vous au lieu.",
              ],
            }),
          },
        ];
      }
      case 'registration-confirmed': {
        const [facts] = await factsOf(tx, [notice.registrationId]);
        if (!facts) return [];
        return [
          {
            kind: notice.kind,
            to: facts.to.email,
            content: composeMail({
              ...base(facts),
              subject: 'Inscription confirmée',
              paragraphs: [
                "Votre inscription est confirmée : une place vous attend. L'événement est joint à ce mail pour votre agenda.",
                "Si vous ne pouvez plus venir, annulez : votre place ira à la personne suivante de la liste d'attente.",
              ],
              actions: [
                {
                  label: 'Annuler mon inscription',
                  url: registrationLinks(facts.registration).cancel,
                },
              ],
              attachments: [ics(facts)],
            }),
          },
        ];
      }
      case 'promoted': {
        const [facts] = await factsOf(tx, [notice.registrationId]);
        if (!facts) return [];
        const links = registrationLinks(facts.registration);
        return [
          {
            kind: notice.kind,
            to: facts.to.email,
            content: composeMail({
              ...base(facts),
              subject: "Une place s'est libérée",
              paragraphs: [
                `Une place s'est libérée et elle est pour vous : confirmez-la avant le ${parisDate(facts.registration.holdUntil!)}. Passé ce délai, elle sera proposée à la personne suivante de la liste d'attente.`,
              ],
              actions: [
                { label: 'Confirmer ma place', url: links.confirm },
                { label: 'Je ne viendrai pas', url: links.cancel },
              ],
            }),
          },
        ];
      }
      case 'event-changed':
      case 'event-cancelled': {
        const all = await factsOf(tx, await liveRegistrationIds(tx, notice.eventId));
        const cancelled = notice.kind === 'event-cancelled';
        return all.map((facts) => ({
          kind: notice.kind,
          to: facts.to.email,
          content: composeMail({
            ...base(facts),
            subject: cancelled ? 'Événement annulé' : 'Événement modifié',
            paragraphs: cancelled
              ? [
                  "Cet événement est annulé. Nous sommes désolés ; votre inscription n'a plus d'objet.",
                ]
              : [
                  `Cet événement a changé. Il aura lieu à ${facts.space.name} (${facts.space.commune}), du ${parisDate(facts.event.startsAt)} au ${parisDate(facts.event.endsAt)}.`,
                  "L'événement à jour est joint à ce mail pour votre agenda.",
                ],
            actions: cancelled
              ? []
              : [
                  {
                    label: 'Annuler mon inscription',
                    url: registrationLinks(facts.registration).cancel,
                  },
                ],
            attachments: [ics(facts)],
          }),
        }));
      }
      case 'reminder': {
        const [facts] = await factsOf(tx, [notice.registrationId]);
        if (!facts || (await unsubscribed(tx, facts.to, 'reminder'))) return [];
        return [
          {
            kind: notice.kind,
            to: facts.to.email,
            content: composeMail({
              ...base(facts),
              subject: "Rappel : c'est demain",
              paragraphs: ['Un petit rappel : vous êtes inscrit·e, une place vous attend.'],
              actions: [
                {
                  label: 'Annuler mon inscription',
                  url: registrationLinks(facts.registration).cancel,
                },
              ],
              unsubscribeUrl: unsubscribeLink(facts.to.subject, 'reminder'),
            }),
          },
        ];
      }
    }
  }

  return async (tx, notice) => {
    await enqueueMails(tx, await mailsFor(tx, notice), { domain: settings.domain });
  };
}
