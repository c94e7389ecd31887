export { registrationChores } from './chores.js';
export { createOwe, LINK_PURPOSES, OPTIONAL_MESSAGES } from './owe.js';
export { DEVELOPMENT_MAIL_SETTINGS, type MailSettings } from './settings.js';
