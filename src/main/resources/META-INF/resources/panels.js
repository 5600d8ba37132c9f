// The read-mostly panels: host summary (GET /system), alerts with acknowledge, the audit tail.
// Each one shows "not available" when its endpoint answers 404 (a host without that feature).
import { isAbort } from './api.js';
import { byId, el, formatTime, say } from './dom.js';

/** GET /system → one line: host version, engine, plugins by state. */
export async function renderSystem(api) {
    const line = byId('system');
    try {
        const s = await api.get('/system');
        const states = Object.entries(s.plugins?.byState ?? {}).filter(([, v]) => v > 0).map(([k, v]) => `${v} ${k.toLowerCase()}`).join(', ');
        const engine = s.engine?.available === false ? 'engine unavailable'
            : `Docker ${s.engine?.version ?? '?'} (cgroup v${s.engine?.cgroupVersion ?? '?'})`;
        const cells = Object.entries(s.prewarm ?? {}).filter(([, p]) => p.size > 0)
            .map(([runtime, p]) => `${runtime} ${p.ready}/${p.size}`).join(', ');
        line.textContent = `host ${s.host?.version ?? ''} · ${engine} · ${s.plugins?.total ?? 0} plugins${states ? ` (${states})` : ''}`
            + (cells ? ` · cells ${cells}` : '');
        line.className = 'system';
    } catch (e) {
        if (isAbort(e)) {
            return;
        }
        line.textContent = e.notAvailable ? 'system info not available' : `system: ${e.message}`;
        line.className = e.notAvailable ? 'system not-available' : 'system error';
    }
}

/** GET /alerts?acknowledged=false → a list with an Acknowledge button per alert. */
export async function renderAlerts(api, onError) {
    const status = byId('alerts-status');
    const list = byId('alerts-list');
    let alerts;
    try {
        alerts = await api.get('/alerts?acknowledged=false');
    } catch (e) {
        if (isAbort(e)) {
            return;
        }
        list.replaceChildren();
        say(status, e.notAvailable ? 'alerts not available on this host' : e.message,
            e.notAvailable ? 'not-available' : 'error');
        return;
    }
    say(status, alerts.length === 0 ? 'No open alerts.' : `${alerts.length} open`);
    list.replaceChildren(...alerts.map((a) => el('li', { class: `alert ${a.severity}`, testid: `alert-${a.id}` },
        el('span', { class: `badge ${a.severity}` }, a.severity),
        el('strong', {}, a.pluginId), ' ', a.type, ': ', a.message, ' ',
        el('time', { datetime: a.timestamp }, formatTime(a.timestamp)), ' ',
        el('button', {
            type: 'button', testid: `ack-${a.id}`, 'aria-label': `Acknowledge ${a.type} alert of ${a.pluginId}`,
            onclick: async (event) => {
                event.target.disabled = true;
                try {
                    await api.post(`/plugins/${encodeURIComponent(a.pluginId)}/alerts/${encodeURIComponent(a.id)}/ack`);
                    await renderAlerts(api, onError);
                } catch (e) {
                    event.target.disabled = false;
                    onError(e);
                }
            },
        }, 'Acknowledge'))));
}

/** GET /audit?limit=50 (newest last) → a table, newest first. */
export async function renderAudit(api) {
    const status = byId('audit-status');
    const body = byId('audit-body');
    let records;
    try {
        records = await api.get('/audit?limit=50');
    } catch (e) {
        if (isAbort(e)) {
            return;
        }
        body.replaceChildren();
        say(status, e.notAvailable ? 'audit trail not available on this host' : e.message,
            e.notAvailable ? 'not-available' : 'error');
        return;
    }
    say(status, records.length === 0 ? 'No records yet.' : `${records.length} most recent records`);
    body.replaceChildren(...records.slice().reverse().map((r) => el('tr', {
        testid: 'audit-row', 'data-plugin': r.pluginId ?? '', 'data-type': r.type, 'data-outcome': r.outcome,
    },
    el('td', {}, r.seq), el('td', {}, el('time', { datetime: r.timestamp }, formatTime(r.timestamp))),
    el('td', {}, r.type), el('td', {}, r.pluginId ?? '—'), el('td', {}, r.actor), el('td', {}, r.outcome),
    el('td', { class: 'details' }, summarize(r.details)))));
}

function summarize(details) {
    if (!details || Object.keys(details).length === 0) {
        return '';
    }
    const text = JSON.stringify(details);
    return text.length > 160 ? text.slice(0, 157) + '…' : text;
}
