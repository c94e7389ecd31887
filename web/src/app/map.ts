/**
 * The map of the directory's results (Leaflet), loaded only when the visitor shows it. The list
 * stays the primary way through the results: the map repeats it, numbered in the same order,
 * and works without its tiles (markers and popups need none). The tile URL is the server's
 * (`MAP_TILE_URL`), given in the page's `data-tuiles`.
 */
import L from './leaflet-global.js';
import 'leaflet.markercluster';

/** Beyond this many markers, nearby ones gather into clusters. */
const CLUSTER_FROM = 30;

export interface MapPoint {
  id: string;
  number: number;
  label: string;
  lat: number;
  lon: number;
  popup: () => HTMLElement;
}

interface ResultsMap {
  show(points: MapPoint[]): void;
}

const maps = new WeakMap<HTMLElement, ResultsMap>();

let stylesheet: Promise<void> | null = null;
/** The map's styles (map.css, its own bundle), linked once. */
function loadStylesheet(): Promise<void> {
  stylesheet ??= new Promise((resolve, reject) => {
    const link = document.createElement('link');
    link.rel = 'stylesheet';
    link.href = document.documentElement.dataset.carteCss ?? '';
    link.onload = () => resolve();
    link.onerror = () => reject(new Error('map stylesheet'));
    document.head.appendChild(link);
  });
  return stylesheet;
}

export async function resultsMap(container: HTMLElement): Promise<ResultsMap> {
  const existing = maps.get(container);
  if (existing) return existing;
  await loadStylesheet();
  const canvas = document.createElement('div');
  canvas.className = 'carte-fond';
  container.replaceChildren(canvas);
  const map = L.map(canvas, {
    zoomControl: false,
    attributionControl: true,
    scrollWheelZoom: false,
  }).setView([45.5, 3.5], 5);
  L.control.zoom({ zoomInTitle: 'Zoomer', zoomOutTitle: 'Dézoomer' }).addTo(map);
  map.attributionControl.setPrefix(false);
  const tiles = document.documentElement.dataset.tuiles;
  if (tiles)
    L.tileLayer(tiles, {
      maxZoom: 18,
      attribution:
        '© contributeurs d’<a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>',
    }).addTo(map);
  let layer: L.LayerGroup | null = null;
  const results: ResultsMap = {
    show(points) {
      layer?.remove();
      layer =
        points.length > CLUSTER_FROM
          ? L.markerClusterGroup({ showCoverageOnHover: false })
          : L.layerGroup();
      for (const point of points) {
        const marker = L.marker([point.lat, point.lon], {
          title: point.label,
          alt: point.label,
          icon: L.divIcon({
            className: 'repere',
            html: `<span data-lieu="${point.id.replace(/"/g, '&quot;')}">${point.number}</span>`,
            iconSize: [28, 28],
            iconAnchor: [14, 14],
            popupAnchor: [0, -12],
          }),
        });
        marker.bindPopup(() => point.popup(), { maxWidth: 320, minWidth: 240 });
        layer.addLayer(marker);
      }
      layer.addTo(map);
      if (points.length > 0)
        map.fitBounds(L.latLngBounds(points.map((p) => [p.lat, p.lon])), {
          padding: [30, 30],
          maxZoom: 12,
        });
      map.invalidateSize();
    },
  };
  maps.set(container, results);
  return results;
}
