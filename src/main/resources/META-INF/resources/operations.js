// Operator tasks: run-time permission requests (approve, deny) and API tokens (create, shown once; revoke).
// A token whose role may not (viewer: decisions; below admin: tokens) sees the refusal in the panel's status.
import { isAbort } from './api.js';
import { byId, el, formatTime, say } from './dom.js';

/** GET /permission-requests?status=pending → a list with Approve / Deny per request. */
export async function renderRequests(api, onError) {
    const status = byId('requests-status');
    const list = byId('requests-list');
    let requests;
    try {
        requests = await api.get('/permission-requests?status=pending');
    } catch (e) {
        if (isAbort(e)) {
            return;
        }
        list.replaceChildren();
        say(status, e.notAvailable ? 'permission requests not available on this host' : e.message,
            e.notAvailable ? 'not-available' : 'error');
        return;
    }
    say(status, requests.length === 0 ? 'No pending requests.' : `${requests.length} pending`);
    const decide = (r, verb) => async (event) => {
        event.target.disabled = true;
        try {
            await api.post(`/permission-requests/${encodeURIComponent(r.id)}/${verb}`);
            await renderRequests(api, onError);
        } catch (e) {
            event.target.disabled = false;
            onError(e);
        }
    };
    list.replaceChildren(...requests.map((r) => el('li', { testid: `request-${r.id}` },
        el('strong', {}, r.pluginId), ' asks for ', el('code', {}, r.permission), ' ',
        el('time', { datetime: r.requestedAt }, formatTime(r.requestedAt)), ' ',
        el('button', { type: 'button', testid: `approve-${r.id}`, onclick: decide(r, 'approve'),
            'aria-label': `Approve ${r.permission} for ${r.pluginId}` }, 'Approve'), ' ',
        el('button', { type: 'button', testid: `deny-${r.id}`, onclick: decide(r, 'deny'),
            'aria-label': `Deny ${r.permission} for ${r.pluginId}` }, 'Deny'))));
}

/** GET /tokens → a list with Revoke per token (admin only); the create form shows a new token once. */
export async function renderTokens(api, onError) {
    const status = byId('tokens-status');
    const list = byId('tokens-list');
    let tokens;
    try {
        tokens = await api.get('/tokens');
    } catch (e) {
        if (isAbort(e)) {
            return;
        }
        list.replaceChildren();
        say(status, e.status === 403 ? 'token management needs an admin token' : e.message,
            e.status === 403 ? 'not-available' : 'error');
        return;
    }
    say(status, `${tokens.length} tokens`);
    list.replaceChildren(...tokens.map((t) => el('li', { testid: `token-${t.id}` },
        el('code', {}, t.id), ' ', el('strong', {}, t.role), ' ', t.name ?? '',
        t.plugins ? ` (${t.plugins.join(', ')})` : '', ' ',
        t.initial ? '' : el('button', {
            type: 'button', testid: `revoke-${t.id}`, 'aria-label': `Revoke token ${t.id}`,
            onclick: async (event) => {
                event.target.disabled = true;
                try {
                    await api.delete(`/tokens/${encodeURIComponent(t.id)}`);
                    await renderTokens(api, onError);
                } catch (e) {
                    event.target.disabled = false;
                    onError(e);
                }
            },
        }, 'Revoke'))));
}

/** The create-token form: role, name, caller plugins; the answer's token is shown once. */
export function wireTokenForm(getApi, onError) {
    byId('token-form').addEventListener('submit', async (event) => {
        event.preventDefault();
        const api = getApi();
        if (!api) {
            return;
        }
        const plugins = byId('token-plugins').value.split(',').map((p) => p.trim()).filter(Boolean);
        const body = { role: byId('token-role').value, name: byId('token-name').value || null,
            plugins: plugins.length ? plugins : null };
        const out = byId('token-created');
        try {
            const issued = await api.post('/tokens', body);
            out.textContent = `${issued.token} — shown once, store it now (${issued.info.id})`;
            await renderTokens(api, onError);
        } catch (e) {
            out.textContent = '';
            onError(e);
        }
    });
}
