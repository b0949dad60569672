// monitor.twilio.com/v1: the account's Alerts (records/alerts.ts), newest first, with Twilio's
// LogLevel / StartDate / EndDate filters; a fetch shows the request and response behind one.
import { invalid, notFound } from '../errors.js';
import { pageV1 } from '../paging.js';
import { alertListView, alertView } from '../records/alerts.js';
import { dateParam, expireMap } from '../records/window.js';
import type { Router } from '../router.js';
import type { TwinState } from '../state.js';
import { ok } from './respond.js';

const LOG_LEVELS = ['error', 'warning', 'notice', 'debug'];

export function registerMonitor(router: Router, state: TwinState): void {
  router.add('monitor', 'GET', '/v1/Alerts', (req) => {
    const level = req.query.get('LogLevel');
    if (level !== undefined && !LOG_LEVELS.includes(level)) throw invalid(`LogLevel must be one of ${LOG_LEVELS.join(', ')}`);
    const from = dateParam(req.query, 'StartDate');
    const to = dateParam(req.query, 'EndDate', true);
    const alerts = [...expireMap(state.alerts, state.now().getTime()).values()]
      .filter((a) => state.readable(a.atMs) && (level === undefined || a.json.log_level === level) && (from === undefined || a.atMs >= from) && (to === undefined || a.atMs <= to))
      .reverse();
    return ok(pageV1(req, 'alerts', alerts.map(alertListView)));
  });
  router.add('monitor', 'GET', '/v1/Alerts/{Sid}', (req) => {
    const alert = expireMap(state.alerts, state.now().getTime()).get(req.params.Sid ?? '');
    if (!alert || !state.readable(alert.atMs)) throw notFound(req.path);
    return ok(alertView(alert));
  });
}
