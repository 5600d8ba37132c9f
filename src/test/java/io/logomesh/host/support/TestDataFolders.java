package io.logomesh.host.support;

import io.logomesh.host.config.DataFolder;
import io.logomesh.host.config.HostConfig;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.Optional;

/** A {@link DataFolder} in a test's temporary folder. */
public final class TestDataFolders {

    private TestDataFolders() {
    }

    public static DataFolder at(Path dir) {
        return new DataFolder(config(dir, Optional.empty()));
    }

    /** A HostConfig with only the data folder, IPC folder and API token set (anything else throws). */
    public static HostConfig config(Path dir, Optional<String> apiToken) {
        HostConfig.Ipc ipc = (HostConfig.Ipc) Proxy.newProxyInstance(HostConfig.class.getClassLoader(),
                new Class<?>[]{HostConfig.Ipc.class}, (p, m, a) -> m.getName().equals("dir") ? Optional.empty() : null);
        return (HostConfig) Proxy.newProxyInstance(HostConfig.class.getClassLoader(),
                new Class<?>[]{HostConfig.class}, (p, m, a) -> switch (m.getName()) {
                    case "dataDir" -> dir.toString();
                    case "apiToken" -> apiToken;
                    case "ipc" -> ipc;
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }
}
