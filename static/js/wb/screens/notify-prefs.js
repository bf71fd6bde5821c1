// Workbench screen (issue 15's SCREENS): the notifications prefs screen of issue 21.
export { renderPrefs as render } from '../../notifications.js';
