// Workbench screen 水质断面 (issue 20), ready for the SCREENS list of static/js/wb/screens.js:
//   { id: 'water-quality', label: 'nav.water_quality', permission: 'sections.read',
//     capability: 'sections', module: './screens/water-quality.js' }
// The screen itself lives with the other water-quality modules.
export { render } from '../../water-quality/screen.js';
