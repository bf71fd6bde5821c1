// The Leaflet map: basemap from the server's settings (none by default, so it works offline),
// panes that keep boundaries under rivers under problems, and the city's extent.
import { state } from './state.js';

const L = window.L;

export function createMap(config) {
  const map = L.map('map', {
    zoomControl: true,
    preferCanvas: false, // SVG paths: crisp lines, and each feature is its own element.
    attributionControl: true,
    minZoom: 6,
    maxZoom: 17,
  });
  map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
  for (const [name, z] of [['areas', 300], ['rivers', 350], ['segments', 400], ['coverage', 420], ['tracks', 450], ['problems', 600], ['crossings', 620]]) {
    map.createPane(name).style.zIndex = String(z);
  }
  for (const layer of config.tile_layers || []) {
    L.tileLayer(layer.url, {
      attribution: layer.attribution,
      subdomains: layer.subdomains || 'abc',
      maxZoom: layer.max_zoom || 18,
    }).addTo(map);
  }
  if (config.bounds) map.fitBounds(config.bounds, { padding: [8, 8] });
  else map.setView([29.45, 103.75], 8);
  L.control.scale({ imperial: false }).addTo(map);
  state.map = map;
  // Tests and the browser console reach the map here (read-only use).
  window.riverchiefMap = map;
  return map;
}

/** Geometry detail band for a zoom: the server simplifies to about a pixel at that zoom. */
export function zoomBand(zoom) {
  if (zoom < 9) return 8;
  if (zoom < 11) return 10;
  if (zoom < 13) return 12;
  return 14;
}
