// Workbench screen (issue 15's SCREENS): the notifications channels screen of issue 21.
export { renderChannels as render } from '../../notifications.js';
