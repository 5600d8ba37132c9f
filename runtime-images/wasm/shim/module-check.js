'use strict';
// Checks a plugin's .wasm before it is instantiated (ABI.md, "Loading"): it must be a valid
// module, import only what this host provides, and its linear memory gets a maximum no larger
// than the plugin's cap (rewritten into the binary's memory section, so memory.grow past the
// cap returns -1 inside the module).

const PAGE = 64 * 1024;
const MEMORY_SECTION = 5;

class CheckError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

/** Compiles `bytes`; an invalid module is `load_failed` with the compiler's message. */
function compile(bytes, name) {
  if (bytes.length < 8 || bytes.readUInt32BE(0) !== 0x0061736d) {
    throw new CheckError('load_failed', `${name} is not a WebAssembly module (no \\0asm header)`);
  }
  try {
    return new WebAssembly.Module(bytes);
  } catch (err) {
    throw new CheckError('load_failed', `${name} is not a valid WebAssembly module: ${err.message}`);
  }
}

/**
 * Every import must be a function the host provides: `provided` maps a module name to the set
 * of names it offers. The first one that is not is named in the error.
 */
function checkImports(module, provided) {
  for (const imp of WebAssembly.Module.imports(module)) {
    const names = provided[imp.module];
    if (imp.kind !== 'function' || !names || !names.has(imp.name)) {
      const what = imp.kind === 'function' ? '' : ` (a ${imp.kind})`;
      throw new CheckError('load_failed',
        `module imports ${imp.module}.${imp.name}${what} which this host does not provide`);
    }
  }
}

function readLeb(bytes, pos) {
  let result = 0;
  let shift = 0;
  for (;;) {
    if (pos >= bytes.length) throw new CheckError('load_failed', 'truncated LEB128 number in the module');
    const b = bytes[pos++];
    result += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if ((b & 0x80) === 0) return { value: result, pos };
    if (shift > 35) throw new CheckError('load_failed', 'LEB128 number too long in the module');
  }
}

function writeLeb(value) {
  const out = [];
  let v = value;
  do {
    let b = v % 128;
    v = Math.floor(v / 128);
    if (v > 0) b |= 0x80;
    out.push(b);
  } while (v > 0);
  return Buffer.from(out);
}

/**
 * Returns the module bytes with every defined memory's maximum set to at most `capPages`.
 * A memory whose declared maximum or minimum exceeds the cap is refused (`load_failed`);
 * one without a maximum gets the cap as its maximum. 64-bit and shared memories are refused.
 */
function capMemory(bytes, capPages) {
  const out = [bytes.subarray(0, 8)];
  let pos = 8;
  while (pos < bytes.length) {
    const id = bytes[pos];
    const size = readLeb(bytes, pos + 1);
    const start = size.pos;
    const end = start + size.value;
    if (id !== MEMORY_SECTION) {
      out.push(bytes.subarray(pos, end));
      pos = end;
      continue;
    }
    const count = readLeb(bytes, start);
    let p = count.pos;
    const body = [writeLeb(count.value)];
    for (let i = 0; i < count.value; i++) {
      const flags = bytes[p++];
      if (flags & 0x04) throw new CheckError('load_failed', 'module declares a 64-bit memory, which this host does not run');
      if (flags & 0x02) throw new CheckError('load_failed', 'module declares a shared memory, which this host does not run');
      const min = readLeb(bytes, p);
      p = min.pos;
      let max = null;
      if (flags & 0x01) {
        max = readLeb(bytes, p);
        p = max.pos;
      }
      if (min.value > capPages) {
        throw new CheckError('load_failed', `module needs ${mib(min.value)} of linear memory at start, above its cap of ${mib(capPages)}`);
      }
      if (max !== null && max.value > capPages) {
        throw new CheckError('load_failed', `module declares a memory maximum of ${mib(max.value)}, above its cap of ${mib(capPages)} (from maxMemoryMB)`);
      }
      body.push(Buffer.from([0x01]), writeLeb(min.value), writeLeb(max === null ? capPages : max.value));
    }
    const content = Buffer.concat(body);
    out.push(Buffer.from([MEMORY_SECTION]), writeLeb(content.length), content);
    pos = end;
  }
  return Buffer.concat(out);
}

function mib(pages) {
  const n = (pages * PAGE) / (1024 * 1024);
  return `${Number.isInteger(n) ? n : n.toFixed(2)} MiB`;
}

module.exports = { CheckError, compile, checkImports, capMemory, PAGE };
