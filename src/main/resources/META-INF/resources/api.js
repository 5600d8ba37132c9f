// The REST client of the dashboard: bearer token on every call, JSON errors turned into ApiError.
import { SseParser } from './sse.js';

const BASE = 'api/v1';

/** A failed call: the API's own {error, message} (and bundle violations), or a network failure. */
export class ApiError extends Error {
    constructor(status, code, message, violations = []) {
        super(message);
        this.status = status;
        this.code = code;
        this.violations = violations;
    }

    /** The endpoint does not exist on this host (e.g. a feature not deployed): show "not available". */
    get notAvailable() {
        return this.status === 404;
    }

    /** The message plus every violation of a rejected bundle, for display. */
    describe() {
        const details = this.violations.map((v) => `${v.path}: ${v.message}`);
        return [this.message, ...details].join('\n');
    }
}

/** Whether a failure only means the call was cancelled (logout, a closed chart): nothing to show. */
export function isAbort(e) {
    return e?.name === 'AbortError';
}

function aborted() {
    return new DOMException('the session ended', 'AbortError');
}

export class Api {
    /**
     * @param token          the bearer token
     * @param onUnauthorized called when the host answers 401 (token revoked or wrong)
     */
    constructor(token, onUnauthorized) {
        this.token = token;
        this.onUnauthorized = onUnauthorized;
        this.session = new AbortController();
    }

    /** Ends the session: every call in flight is cancelled and no later answer is delivered. */
    close() {
        this.session.abort();
    }

    get(path, signal) {
        return this.request('GET', path, { signal });
    }

    post(path, json) {
        return this.request('POST', path, { json });
    }

    delete(path) {
        return this.request('DELETE', path, {});
    }

    put(path, json) {
        return this.request('PUT', path, { json });
    }

    /** Upgrades plugin `id` in place with a tar.gz bundle of the same id. */
    upgrade(id, file) {
        return this.request('PUT', `/plugins/${encodeURIComponent(id)}`, { body: file, contentType: 'application/gzip' });
    }

    /** Uploads a tar.gz bundle as application/gzip. */
    install(file) {
        return this.request('POST', '/plugins', { body: file, contentType: 'application/gzip' });
    }

    async request(method, path, { json, body, contentType, signal }) {
        const headers = { Authorization: `Bearer ${this.token}`, Accept: 'application/json' };
        if (json !== undefined) {
            headers['Content-Type'] = 'application/json';
            body = JSON.stringify(json);
        } else if (contentType) {
            headers['Content-Type'] = contentType;
        }
        const response = await this.send(`${BASE}${path}`, { method, headers, body, signal });
        if (response.status === 204) {
            return null;
        }
        const text = await response.text();
        if (this.session.signal.aborted) {
            throw aborted();
        }
        return text ? JSON.parse(text) : null;
    }

    /**
     * Reads a text/event-stream with fetch (EventSource cannot send the Authorization header) and calls
     * onEvent(name, data) per event until the stream ends, the host closes it or signal aborts.
     */
    async stream(path, onEvent, signal) {
        const headers = { Authorization: `Bearer ${this.token}`, Accept: 'text/event-stream' };
        const response = await this.send(`${BASE}${path}`, { method: 'GET', headers, signal });
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        const parser = new SseParser(onEvent);
        try {
            for (;;) {
                const { value, done } = await reader.read();
                if (done) {
                    return;
                }
                parser.push(value);
            }
        } finally {
            reader.releaseLock();
        }
    }

    async send(url, init) {
        const signals = [this.session.signal, init.signal].filter(Boolean);
        let response;
        try {
            response = await fetch(url, { ...init, signal: AbortSignal.any(signals) });
            if (this.session.signal.aborted) {
                throw aborted();
            }
        } catch (e) {
            if (e.name === 'AbortError') {
                throw e;
            }
            throw new ApiError(0, 'network', `the host does not answer (${e.message})`);
        }
        if (response.ok) {
            return response;
        }
        const failure = await errorOf(response);
        if (response.status === 401 && this.onUnauthorized) {
            this.onUnauthorized(failure);
        }
        throw failure;
    }
}

async function errorOf(response) {
    const text = await response.text().catch(() => '');
    try {
        const body = JSON.parse(text);
        if (body && typeof body.message === 'string') {
            return new ApiError(response.status, body.error || 'error', body.message, body.errors || []);
        }
    } catch {
        // not JSON: fall through to the status line
    }
    return new ApiError(response.status, 'http_' + response.status,
        `${response.status} ${response.statusText || 'error'}`.trim());
}
