package io.logomesh.host.prewarm;

import java.util.BitSet;
import java.util.OptionalInt;

/** Cell uids: {@code base .. base+range-1}, each held by one live cell (or the plugin running in it) at a time. */
final class UidSlots {

    private final int base;
    private final int range;
    private final BitSet used;
    private int next;

    UidSlots(int base, int range) {
        if (base < 1 || range < 1) {
            throw new IllegalArgumentException("cell uids need a positive base and range");
        }
        this.base = base;
        this.range = range;
        this.used = new BitSet(range);
    }

    /** A free uid (the next after the last one handed out, so a uid is reused as late as possible). */
    synchronized OptionalInt acquire() {
        for (int i = 0; i < range; i++) {
            int slot = (next + i) % range;
            if (!used.get(slot)) {
                used.set(slot);
                next = (slot + 1) % range;
                return OptionalInt.of(base + slot);
            }
        }
        return OptionalInt.empty();
    }

    synchronized void release(int uid) {
        int slot = uid - base;
        if (slot >= 0 && slot < range) {
            used.clear(slot);
        }
    }

    synchronized int inUse() {
        return used.cardinality();
    }
}
