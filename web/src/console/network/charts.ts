/**
 * Chart.js with only what the statistics page draws (bars and lines), in its own chunk: the
 * library is loaded by that page alone.
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';

Chart.register(
  BarController,
  BarElement,
  CategoryScale,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Legend,
  Tooltip,
);
// No clicks: a legend that hides a series on click is an action the keyboard cannot reach (the
// canvas takes no focus); the values are in the table beside each chart. Hovering still shows them.
Chart.defaults.events = ['mousemove', 'mouseout', 'touchstart', 'touchmove'];

export { Chart };
