// Tiny DOM helpers. Text from the host (plugin names, messages, audit details) is untrusted:
// it only ever goes into textContent, never into innerHTML.

/** Creates an element; attrs: `testid` → data-testid, `on*` functions → listeners, others → attributes. */
export function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs)) {
        if (value == null || value === false) {
            continue;
        }
        if (key === 'testid') {
            node.dataset.testid = value;
        } else if (key.startsWith('on') && typeof value === 'function') {
            node.addEventListener(key.slice(2), value);
        } else {
            node.setAttribute(key, value === true ? '' : String(value));
        }
    }
    for (const child of children.flat()) {
        if (child != null) {
            node.append(child instanceof Node ? child : String(child));
        }
    }
    return node;
}

export function byId(id) {
    return document.getElementById(id);
}

/** Sets a status line's text and kind (``, `error`, `not-available`). */
export function say(node, text, kind = '') {
    node.textContent = text;
    node.className = `status ${kind}`.trim();
}

export function formatTime(iso) {
    const date = new Date(iso);
    return Number.isNaN(date.getTime()) ? String(iso ?? '') : date.toLocaleTimeString();
}
