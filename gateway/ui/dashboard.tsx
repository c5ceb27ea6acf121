import { createRoot } from 'react-dom/client';
import { App } from './dashboard/app';
import './dashboard.css';

/**
 * The Task Force dashboard. Public: it sends no token and runs only registered operations
 * (schema/operations/dashboard-*.graphql, compiled in by ui/build.ts). Each ministry's figures come
 * in their own request (or their own nullable alias), so a ministry that is down or stale is shown as
 * such while the rest renders. Modules of one concern each, in dashboard/: shapes and data (fetching),
 * state (the URL), figures and indicators (numbers, suppression), charts, and one file per view.
 */

const root = document.getElementById('root');
if (!root) throw new Error('dashboard.html must contain <div id="root">');
createRoot(root).render(<App />);
