package io.logomesh.host.plugin;

import io.logomesh.host.manifest.BundleTooLargeException;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Reads an upload into memory, refusing it as soon as it passes the size cap (whatever its content). */
final class UploadBuffer {

    private UploadBuffer() {
    }

    static InputStream read(InputStream upload, long maxBytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[64 * 1024];
        long total = 0;
        try {
            int n;
            while ((n = upload.read(buf)) != -1) {
                total += n;
                if (total > maxBytes) {
                    throw new BundleTooLargeException("bundle is larger than the cap of " + maxBytes + " bytes");
                }
                out.write(buf, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the upload", e);
        }
        return new ByteArrayInputStream(out.toByteArray());
    }
}
