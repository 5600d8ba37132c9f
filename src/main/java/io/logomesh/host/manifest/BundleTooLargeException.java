package io.logomesh.host.manifest;

import io.logomesh.host.PluginHostException;

/** A plugin bundle exceeds one of its {@link BundleLimits} (compressed size, extracted size, entries). */
public class BundleTooLargeException extends PluginHostException {

    public BundleTooLargeException(String message) {
        super(message);
    }

    @Override
    public String code() {
        return "bundle_too_large";
    }
}
