package io.logomesh.host.support;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** How the ITs start the packaged service as a process of its own. */
public final class PackagedHost {

    private PackagedHost() {
    }

    /**
     * {@code java [the coverage agent] -jar target/quarkus-app/quarkus-run.jar}: the jar failsafe names
     * ({@code host.jar}) with its JVM arguments ({@code host.jvm.args}, the coverage agent, so the host process
     * counts too).
     */
    public static List<String> command() {
        String jar = System.getProperty("host.jar", "target/quarkus-app/quarkus-run.jar");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()));
        String jvmArgs = System.getProperty("host.jvm.args", "");
        if (!jvmArgs.isBlank() && !jvmArgs.startsWith("${")) {
            command.add(jvmArgs);
        }
        command.addAll(List.of("-jar", jar));
        return command;
    }
}
