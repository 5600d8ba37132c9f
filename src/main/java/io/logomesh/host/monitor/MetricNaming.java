package io.logomesh.host.monitor;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.lang.management.ManagementFactory;
import java.util.Set;

/**
 * Keeps the whole {@code /q/metrics} exposition (the libraries' series, not only the host's) in line with
 * Prometheus' naming guide and its text format, so {@code promtool check metrics} has nothing to say:
 * <ul>
 *   <li>every series has help text (libraries register some without; the name stands in) and no {@code "}
 *       in it (the registry escapes it as {@code \"}, which the text format does not allow);</li>
 *   <li>{@code process_cpu_time_ns} (nanoseconds, not a base unit) is replaced by the conventional
 *       {@code process_cpu_seconds_total};</li>
 *   <li>{@code system_cpu_count}, a gauge whose {@code _count} suffix reads as a summary's, is
 *       {@code system_cpu_cores};</li>
 *   <li>{@code http_server_connections_seconds}, Vert.x's long-task timer of open connections, is left out: its
 *       {@code _active_count} / {@code _duration_sum} series are written without a family of their own.</li>
 * </ul>
 */
@Singleton
public class MetricNaming {

    private static final Set<String> LEFT_OUT = Set.of("process.cpu.time", "http.server.connections");

    /** The filter Quarkus applies to the registry before any meter is registered. */
    @Produces
    @Singleton
    MeterFilter prometheusNaming() {
        return new MeterFilter() {
            @Override
            public MeterFilterReply accept(Meter.Id id) {
                return LEFT_OUT.contains(id.getName()) ? MeterFilterReply.DENY : MeterFilterReply.NEUTRAL;
            }

            @Override
            public Meter.Id map(Meter.Id id) {
                String name = "system.cpu.count".equals(id.getName()) ? "system.cpu.cores" : id.getName();
                String description = id.getDescription();
                if (description == null || description.isBlank()) {
                    description = name.replace('.', ' ');
                }
                description = description.replace('"', '\'');
                if (name.equals(id.getName()) && description.equals(id.getDescription())) {
                    return id;
                }
                return new Meter.Id(name, Tags.of(id.getTagsAsIterable()), id.getBaseUnit(), description, id.getType());
            }
        };
    }

    /** Registers {@code process_cpu_seconds_total} in place of the nanosecond counter left out above. */
    void processCpu(@Observes StartupEvent start, MeterRegistry registry) {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                && os.getProcessCpuTime() >= 0) {
            FunctionCounter.builder("process.cpu", os, b -> b.getProcessCpuTime() / 1e9).baseUnit("seconds")
                    .description("CPU time used by the host's JVM process").register(registry);
        }
    }
}
