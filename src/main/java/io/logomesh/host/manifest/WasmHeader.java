package io.logomesh.host.manifest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * The install-time check of a {@code webassembly} plugin's {@code main}: a WebAssembly binary
 * module starts with {@code \0asm} and version 1. The full validation (and the check of its
 * imports) happens in the runtime at activation, see {@code runtime-images/wasm/ABI.md}.
 */
final class WasmHeader {

    private static final byte[] HEADER = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};

    private WasmHeader() {
    }

    /** Why {@code file} is not a WebAssembly binary module, or {@code null} when its header is right. */
    static String problem(Path file, String name) {
        byte[] head;
        try (InputStream in = Files.newInputStream(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            head = in.readNBytes(HEADER.length);
        } catch (IOException e) {
            return "file '" + name + "' cannot be read";
        }
        if (head.length >= 4 && Arrays.equals(Arrays.copyOf(head, 4), Arrays.copyOf(HEADER, 4))) {
            return Arrays.equals(head, HEADER) ? null
                    : "file '" + name + "' is a WebAssembly module of an unsupported version (this host runs version 1)";
        }
        return "file '" + name + "' is not a WebAssembly binary module (it does not start with \\0asm); "
                + "compile text (.wat) to binary first";
    }
}
