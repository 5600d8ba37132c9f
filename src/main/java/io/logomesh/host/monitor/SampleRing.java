package io.logomesh.host.monitor;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/** The samples of one plugin within a time window, oldest first; older ones fall off. Thread-safe. */
public final class SampleRing {

    private static final int MAX_SAMPLES = 20_000;

    private final Duration window;
    private final ArrayDeque<UsageSample> samples = new ArrayDeque<>();

    public SampleRing(Duration window) {
        this.window = window;
    }

    public synchronized void add(UsageSample sample) {
        samples.addLast(sample);
        Instant oldest = sample.at().minus(window);
        while (!samples.isEmpty() && (samples.peekFirst().at().isBefore(oldest) || samples.size() > MAX_SAMPLES)) {
            samples.removeFirst();
        }
    }

    /** The samples of the last {@code seconds} seconds before {@code now}, oldest first. */
    public synchronized List<UsageSample> since(Instant from) {
        List<UsageSample> out = new ArrayList<>();
        for (UsageSample s : samples) {
            if (!s.at().isBefore(from)) {
                out.add(s);
            }
        }
        return out;
    }

    public synchronized UsageSample latest() {
        return samples.peekLast();
    }

    public synchronized int size() {
        return samples.size();
    }
}
