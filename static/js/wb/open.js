// Open a page that needs the caller's rights (the joint-meeting brief, a photo) in a new tab by
// a click, without putting the long-lived token in a URL (issue 15 item 5, docs/security.md).
//
// API
//   import { openLink } from '/static/js/wb/open.js';
//   button.onclick = () => openLink('/api/v1/cross-boundary/511400/brief?from=…&to=…');
// The tab is opened during the click (so no popup blocker stops it), then sent to a single-use
// short-lived link from POST /api/v1/download-links. A server without that route: the page is
// fetched with the bearer header and shown from a Blob.
import { api, getToken } from '../api.js';
import { toast } from '../state.js';
import { wt } from './text.js';

async function viaBlob(path) {
  const token = getToken();
  const res = await fetch(path, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  if (!res.ok) throw new Error((await res.json().catch(() => ({}))).detail || res.statusText);
  return URL.createObjectURL(await res.blob());
}

export async function openLink(path) {
  const tab = window.open('', '_blank');
  try {
    let url;
    try {
      url = (await api('/api/v1/download-links', { method: 'POST', json: { path } })).url;
    } catch (err) {
      if (err.status !== 404 && err.status !== 405) throw err;
      url = await viaBlob(path);
    }
    if (tab) { tab.opener = null; tab.location.href = url; } else location.assign(url);
  } catch (err) {
    tab?.close();
    toast(wt('error', { msg: err.message }));
  }
}
