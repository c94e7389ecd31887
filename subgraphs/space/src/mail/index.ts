export { registrationChores } from './chores.js';
export { createOwe, LINK_PURPOSES, MESSAGE_KINDS } from './owe.js';
export { DEVELOPMENT_MAIL_SETTINGS, type MailSettings } from './settings.js';
