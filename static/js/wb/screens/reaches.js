// Workbench screen (issue 15's SCREENS): 河段管理 of issue 18 (cut, appoint, end reaches).
export { render, SCREEN } from '../../reaches/screen.js';
