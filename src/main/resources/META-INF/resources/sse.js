// A text/event-stream parser (https://html.spec.whatwg.org/multipage/server-sent-events.html#parsing-an-event-stream):
// feed it decoded chunks; it calls onEvent(name, data) per complete event. Comments and ids are ignored.

export class SseParser {
    constructor(onEvent) {
        this.onEvent = onEvent;
        this.buffer = '';
        this.name = '';
        this.data = [];
    }

    push(chunk) {
        this.buffer += chunk;
        let end;
        while ((end = this.buffer.search(/\r\n|\r|\n/)) >= 0) {
            const line = this.buffer.slice(0, end);
            const eol = this.buffer.startsWith('\r\n', end) ? 2 : 1;
            if (eol === 1 && this.buffer[end] === '\r' && end + 1 === this.buffer.length) {
                return; // a lone CR at the chunk's end may be the first half of CRLF
            }
            this.buffer = this.buffer.slice(end + eol);
            this.line(line);
        }
    }

    line(line) {
        if (line === '') {
            if (this.data.length > 0) {
                this.onEvent(this.name || 'message', this.data.join('\n'));
            }
            this.name = '';
            this.data = [];
            return;
        }
        if (line.startsWith(':')) {
            return;
        }
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        let value = colon < 0 ? '' : line.slice(colon + 1);
        if (value.startsWith(' ')) {
            value = value.slice(1);
        }
        if (field === 'event') {
            this.name = value;
        } else if (field === 'data') {
            this.data.push(value);
        }
    }
}
