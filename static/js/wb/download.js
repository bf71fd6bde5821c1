// Downloads that work from a click (issue 15 item 5): the brief, XLSX, GPX, GeoPackage and raw
// uploads need the caller's rights, but a click or a new tab sends no bearer header. So the page
// asks POST /api/v1/download-links for a single-use link to the path (bound to this account,
// valid once, for about 60 s) and follows it; the bearer token itself never goes into a URL
// (docs/security.md "Downloads from a click").
//
// API
//   import { download, openPage, linkTo } from '/static/js/wb/download.js';
//   (wb/open.js openLink() does what openPage does, with a toast on failure)
//   await download('/api/v1/compliance?year=2026&format=xlsx', 'compliance-2026.xlsx');
//   openPage('/api/v1/cross-boundary/511400/brief')   // call from the click: opens a new tab
//   await linkTo(path) -> { url, expires_at }          // the single-use link itself
import { api } from '../api.js';

/** A single-use link to ``path`` (a GET path under /api/v1/, with its query). */
export async function linkTo(path) {
  return api('/api/v1/download-links', { method: 'POST', json: { path } });
}

/** Save the file at ``path`` as ``filename`` (the server's name when omitted). */
export async function download(path, filename) {
  const { url } = await linkTo(path);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename || '';
  a.rel = 'noopener';
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  return url;
}

/** Open the page at ``path`` (the brief) in a new tab. The tab is opened at once, inside the
 * click, so no popup blocker stops it; it goes to the link when the link is there. Without a
 * tab (blocked anyway) this tab navigates. */
export async function openPage(path) {
  const tab = window.open('about:blank', '_blank');
  try {
    const { url } = await linkTo(path);
    if (tab) {
      tab.opener = null;
      tab.location.replace(url);
    } else {
      window.location.assign(url);
    }
    return url;
  } catch (err) {
    if (tab) tab.close();
    throw err;
  }
}

