package io.logomesh.host.prewarm;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class UidSlotsTest {

    @Test
    void shouldHandOutEachUidOnceUntilReleased() {
        UidSlots slots = new UidSlots(60000, 2);
        int a = slots.acquire().getAsInt();
        int b = slots.acquire().getAsInt();
        assertThat(a).isNotEqualTo(b);
        assertThat(slots.acquire()).isEmpty();
        slots.release(a);
        assertThat(slots.acquire()).hasValue(a);
        assertThat(slots.inUse()).isEqualTo(2);
    }
}
