// LogoMesh dashboard: log in with the API token (kept in sessionStorage only), then plugins with
// controls, install, actions, live usage charts, alerts and the audit tail. No framework.
import { Api, isAbort } from './api.js';
import { byId, el, say } from './dom.js';
import { renderRequests, renderTokens, wireTokenForm } from './operations.js';
import { renderAlerts, renderAudit, renderSystem } from './panels.js';
import { MAX_STREAMS, UsageFeed } from './usage.js';
import { clearSettings, initSettings, renderSettingsTargets } from './settings.js';

const TOKEN_KEY = 'logomesh.apiToken';
const PLUGINS_EVERY_MS = 3000;
const PANELS_EVERY_MS = 5000;

let api = null;
let timers = [];
const rows = new Map();   // plugin id → { row, signature }
const feeds = new Map();  // plugin id → UsageFeed of an ACTIVE plugin

// ---- log in / log out -------------------------------------------------------------------------

byId('login-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const token = byId('token').value.trim();
    const candidate = new Api(token, null);
    try {
        await candidate.get('/plugins');
    } catch (e) {
        byId('login-error').textContent = e.message;
        return;
    }
    sessionStorage.setItem(TOKEN_KEY, token);
    byId('token').value = '';
    start(token);
});

byId('logout').addEventListener('click', () => logout(''));

function start(token) {
    api = new Api(token, (e) => logout(`Logged out: ${e.message}`));
    byId('login-error').textContent = '';
    byId('login').hidden = true;
    byId('app').hidden = false;
    byId('logout').hidden = false;
    refreshPlugins();
    refreshPanels();
    timers = [setInterval(refreshPlugins, PLUGINS_EVERY_MS), setInterval(refreshPanels, PANELS_EVERY_MS)];
}

function logout(reason) {
    sessionStorage.removeItem(TOKEN_KEY);
    api?.close();
    timers.forEach(clearInterval);
    timers = [];
    feeds.forEach((feed) => feed.stop());
    feeds.clear();
    rows.clear();
    api = null;
    byId('plugins-body').replaceChildren();
    byId('audit-body').replaceChildren();
    byId('alerts-list').replaceChildren();
    byId('requests-list').replaceChildren();
    byId('tokens-list').replaceChildren();
    byId('token-created').textContent = '';
    byId('action-plugin').replaceChildren();
    byId('action-result').textContent = '';
    clearSettings();
    for (const id of ['system', 'plugins-status', 'install-status', 'alerts-status', 'audit-status', 'requests-status',
        'tokens-status']) {
        byId(id).textContent = '';
    }
    byId('banner').hidden = true;
    byId('app').hidden = true;
    byId('logout').hidden = true;
    byId('login').hidden = false;
    byId('login-error').textContent = reason;
    byId('token').focus();
}

initSettings(() => api, () => refreshPlugins());

// ---- errors -----------------------------------------------------------------------------------

function showError(e) {
    if (isAbort(e)) {
        return;
    }
    byId('banner-text').textContent = e.describe ? e.describe() : String(e.message ?? e);
    byId('banner').hidden = false;
}

byId('banner-close').addEventListener('click', () => {
    byId('banner').hidden = true;
});

// ---- plugins ----------------------------------------------------------------------------------

async function refreshPlugins() {
    if (!api) {
        return;
    }
    let plugins;
    try {
        plugins = await api.get('/plugins');
    } catch (e) {
        if (!isAbort(e)) {
            say(byId('plugins-status'), e.message, 'error');
        }
        return;
    }
    if (!api) {
        return;
    }
    plugins.sort((a, b) => a.id.localeCompare(b.id));
    say(byId('plugins-status'), plugins.length === 0 ? 'No plugin installed.' : `${plugins.length} installed`);
    renderPluginRows(plugins);
    renderActionTargets(plugins);
    renderSettingsTargets(plugins);
    syncFeeds(plugins);
}

function renderPluginRows(plugins) {
    const body = byId('plugins-body');
    const seen = new Set();
    plugins.forEach((p, index) => {
        seen.add(p.id);
        const signature = [p.state, p.version, p.failureReason, p.name, p.runtime, restartText(p)].join('|');
        let entry = rows.get(p.id);
        if (!entry || entry.signature !== signature) {
            const row = pluginRow(p);
            if (entry) {
                entry.row.replaceWith(row);
            }
            entry = { row, signature };
            rows.set(p.id, entry);
        }
        if (body.children[index] !== entry.row) {
            body.insertBefore(entry.row, body.children[index] ?? null);
        }
    });
    for (const [id, entry] of rows) {
        if (!seen.has(id)) {
            entry.row.remove();
            rows.delete(id);
        }
    }
}

/** The restart policy, the restarts counted in the crash-loop window and the next try (docs/restarts.md). */
function restartText(p) {
    const r = p.restart;
    if (!r || (r.policy !== 'never' && r.count === 0 && !r.nextAttemptAt)) {
        return '';
    }
    if (r.policy === 'never') {
        return p.state === 'FAILED' ? 'restart policy: never' : '';
    }
    const next = r.nextAttemptAt ? `, next try ${new Date(r.nextAttemptAt).toLocaleTimeString()}` : '';
    return `restarts ${r.count}/${r.maxRestarts}${next}`;
}

function pluginRow(p) {
    const id = p.id;
    const running = ['ACTIVE', 'STARTING', 'STOPPING', 'RESTARTING'].includes(p.state);
    return el('tr', { testid: `plugin-row-${id}`, 'data-state': p.state },
        el('th', { scope: 'row' }, el('span', { class: 'plugin-name' }, p.name ?? id), el('br'),
            el('code', {}, id)),
        el('td', {}, p.version),
        el('td', {}, p.runtime),
        el('td', {}, el('span', { class: `badge state-${String(p.state).toLowerCase()}`, testid: `state-${id}` }, p.state)),
        el('td', { testid: `failure-${id}`, class: 'failure' }, p.failureReason ?? '',
            el('br'), el('small', { testid: `restart-${id}` }, restartText(p))),
        el('td', {}, el('div', { class: 'controls' },
            control('Activate', id, running, () => api.post(`/plugins/${encodeURIComponent(id)}/activate`)),
            control('Deactivate', id, p.state !== 'ACTIVE' && p.state !== 'RESTARTING', () => api.post(`/plugins/${encodeURIComponent(id)}/deactivate`)),
            control('Uninstall', id, false, async () => {
                if (window.confirm(`Uninstall ${id}? Its container and files are removed.`)) {
                    await api.delete(`/plugins/${encodeURIComponent(id)}`);
                }
            }))));
}

function control(label, id, disabled, call) {
    return el('button', {
        type: 'button', disabled, testid: `${label.toLowerCase()}-${id}`, 'aria-label': `${label} ${id}`,
        onclick: async (event) => {
            const button = event.currentTarget;
            button.disabled = true;
            button.setAttribute('aria-busy', 'true');
            try {
                await call();
            } catch (e) {
                showError(e);
            } finally {
                button.removeAttribute('aria-busy');
                button.disabled = false;
                await refreshPlugins();
            }
        },
    }, label);
}

function syncFeeds(plugins) {
    const active = new Set(plugins.filter((p) => p.state === 'ACTIVE').map((p) => p.id));
    for (const [id, feed] of feeds) {
        if (!active.has(id)) {
            feed.stop();
            feeds.delete(id);
        }
    }
    for (const id of active) {
        if (!feeds.has(id)) {
            const streaming = [...feeds.values()].filter((feed) => feed.live).length;
            feeds.set(id, new UsageFeed(api, byId('usage-cards'), id, streaming < MAX_STREAMS));
        }
    }
    byId('usage-empty').hidden = active.size > 0;
}

// ---- install ----------------------------------------------------------------------------------

byId('install-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const file = byId('install-file').files[0];
    const status = byId('install-status');
    if (!file) {
        say(status, 'choose a .tar.gz bundle first', 'error');
        return;
    }
    say(status, `installing ${file.name}…`);
    try {
        const installed = await api.install(file);
        say(status, `installed ${installed.id} ${installed.version}`);
        event.target.reset();
        await refreshPlugins();
    } catch (e) {
        if (!isAbort(e)) {
            say(status, e.describe(), 'error');
        }
    }
});

// ---- actions ----------------------------------------------------------------------------------

function renderActionTargets(plugins) {
    const select = byId('action-plugin');
    const chosen = select.value;
    const ids = plugins.map((p) => p.id);
    if ([...select.options].map((o) => o.value).join() === ids.join()) {
        return;
    }
    select.replaceChildren(...ids.map((id) => el('option', { value: id }, id)));
    if (ids.includes(chosen)) {
        select.value = chosen;
    }
}

byId('action-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const out = byId('action-result');
    const id = byId('action-plugin').value;
    const type = byId('action-type').value.trim();
    let payload;
    try {
        const text = byId('action-payload').value.trim();
        payload = text === '' ? null : JSON.parse(text);
    } catch (e) {
        out.className = 'result error';
        out.textContent = `payload is not valid JSON: ${e.message}`;
        return;
    }
    out.className = 'result';
    out.textContent = `running ${type} on ${id}…`;
    try {
        const result = await api.post(`/plugins/${encodeURIComponent(id)}/actions`, { type, payload });
        out.className = result.success ? 'result ok' : 'result error';
        out.textContent = JSON.stringify(result, null, 2);
    } catch (e) {
        if (!isAbort(e)) {
            out.className = 'result error';
            out.textContent = `${e.code}: ${e.describe()}`;
        }
    }
    refreshPanels();
});

// ---- panels -----------------------------------------------------------------------------------

async function refreshPanels() {
    if (!api) {
        return;
    }
    await Promise.all([renderSystem(api), renderAlerts(api, showError), renderAudit(api),
        renderRequests(api, showError), renderTokens(api, showError)]);
}

wireTokenForm(() => api, showError);

// ---- start ------------------------------------------------------------------------------------

const saved = sessionStorage.getItem(TOKEN_KEY);
if (saved) {
    start(saved);
} else {
    byId('token').focus();
}
