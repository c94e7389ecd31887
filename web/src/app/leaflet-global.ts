/** Leaflet as the global `L`, which leaflet.markercluster extends when it loads (map.ts imports this first). */
import L from 'leaflet';

(window as unknown as { L: typeof L }).L = L;

export default L;
