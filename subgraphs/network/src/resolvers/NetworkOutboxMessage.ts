import type { NetworkOutboxMessageResolvers } from '../__generated__/resolvers-types.js';

export const NetworkOutboxMessage: NetworkOutboxMessageResolvers = {
  id: (message) => `network:outbox-message:${message.id}`,
  subject: (message) => message.content.subject,
};
