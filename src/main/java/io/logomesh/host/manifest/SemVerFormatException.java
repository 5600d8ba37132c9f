package io.logomesh.host.manifest;

import io.logomesh.host.PluginHostException;

/** A string is not a valid semantic version or semver range. */
public class SemVerFormatException extends PluginHostException {

    public SemVerFormatException(String message) {
        super(message);
    }

    @Override
    public String code() {
        return "semver_invalid";
    }
}
