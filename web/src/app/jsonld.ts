/** schema.org JSON-LD of the space and event pages (Place, Event), in a data block of the head. */
import type { EventPageQuery, SpacePageQuery } from '../__generated__/graphql.js';
import { schemaOrgOpeningHours } from './hours.js';
import { pageDocument } from './page-context.js';
import { spacePath, eventPath } from '../paths.js';

type SpaceData = NonNullable<SpacePageQuery['space']>;
type EventData = NonNullable<EventPageQuery['event']>;

interface PlaceLike {
  name: string;
  address: { street?: string | null; postalCode: string; commune: string };
  location: { lat: number; lon: number };
}

function place(space: PlaceLike, url: string) {
  return {
    '@type': 'Place',
    name: space.name,
    url,
    address: {
      '@type': 'PostalAddress',
      ...(space.address.street ? { streetAddress: space.address.street } : {}),
      postalCode: space.address.postalCode,
      addressLocality: space.address.commune,
      addressCountry: 'FR',
    },
    geo: { '@type': 'GeoCoordinates', latitude: space.location.lat, longitude: space.location.lon },
  };
}

export function placeJsonLd(space: SpaceData, origin: string) {
  const hours = space.openingHours ? schemaOrgOpeningHours(space.openingHours) : null;
  return {
    '@context': 'https://schema.org',
    ...place(space, `${origin}${spacePath(space.id)}`),
    ...(space.description ? { description: space.description } : {}),
    ...(hours?.length ? { openingHours: hours } : {}),
    ...(space.contact.email ? { email: space.contact.email } : {}),
    ...(space.contact.phone ? { telephone: space.contact.phone } : {}),
    ...(space.website ? { sameAs: space.website } : {}),
    hasMap: osmLink(space.location),
    ...(space.desks !== null && space.desks !== undefined
      ? { maximumAttendeeCapacity: space.desks }
      : {}),
  };
}

export function eventJsonLd(event: EventData, origin: string) {
  const seats = event.seatsLeft;
  return {
    '@context': 'https://schema.org',
    '@type': 'Event',
    name: event.title,
    url: `${origin}${eventPath(event.id)}`,
    ...(event.description ? { description: event.description } : {}),
    startDate: event.startsAt,
    endDate: event.endsAt,
    eventStatus:
      event.status === 'CANCELLED'
        ? 'https://schema.org/EventCancelled'
        : 'https://schema.org/EventScheduled',
    eventAttendanceMode: 'https://schema.org/OfflineEventAttendanceMode',
    inLanguage: 'fr',
    location: place(event.space, `${origin}${spacePath(event.space.id)}`),
    ...(event.space.partner
      ? { organizer: { '@type': 'Organization', name: event.space.partner.name } }
      : {}),
    ...(event.capacity !== null && event.capacity !== undefined
      ? { maximumAttendeeCapacity: event.capacity }
      : {}),
    ...(seats !== null && seats !== undefined ? { remainingAttendeeCapacity: seats } : {}),
    offers: {
      '@type': 'Offer',
      price: (event.price?.amountCents ?? 0) / 100,
      priceCurrency: event.price?.currency ?? 'EUR',
      availability: seats === 0 ? 'https://schema.org/SoldOut' : 'https://schema.org/InStock',
      url: `${origin}${eventPath(event.id)}`,
    },
  };
}

export function osmLink(location: { lat: number; lon: number }): string {
  return `https://www.openstreetmap.org/?mlat=${location.lat}&mlon=${location.lon}#map=17/${location.lat}/${location.lon}`;
}

/** Puts the page's JSON-LD in the head, replacing the previous page's; null removes it. */
export function setJsonLd(data: object | null): void {
  const document = pageDocument();
  document.getElementById('jsonld')?.remove();
  if (!data) return;
  const script = document.createElement('script');
  script.type = 'application/ld+json';
  script.id = 'jsonld';
  script.textContent = JSON.stringify(data).replace(/</g, '\\u003c');
  document.head.appendChild(script);
}
