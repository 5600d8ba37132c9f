package io.logomesh.host.manifest;

import io.logomesh.host.PluginHostException;

/**
 * A plugin bundle archive is unsafe or malformed: not a gzip-compressed tar, an entry escaping
 * the target folder, a link, a device node, a duplicate entry. The message names the entry.
 */
public class BundleInvalidException extends PluginHostException {

    public BundleInvalidException(String message) {
        super(message);
    }

    public BundleInvalidException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public String code() {
        return "bundle_invalid";
    }
}
