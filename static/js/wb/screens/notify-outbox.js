// Workbench screen (issue 15's SCREENS): the notifications outbox screen of issue 21.
export { renderOutbox as render } from '../../notifications.js';
