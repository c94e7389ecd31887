/** The web page's addresses of spaces and events; ids keep their readable `partner:kind:uuid` form. */
const segment = (id: string) => encodeURIComponent(id).replace(/%3A/gi, ':');

export const spacePath = (id: string) => `/lieux/${segment(id)}`;
export const eventPath = (id: string) => `/evenements/${segment(id)}`;
export const spaceFeedPath = (id: string) => `/calendar/spaces/${segment(id)}.ics`;
export const eventFilePath = (id: string) => `/calendar/events/${segment(id)}.ics`;
