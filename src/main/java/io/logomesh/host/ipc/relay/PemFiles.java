package io.logomesh.host.ipc.relay;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/**
 * PEM files of keys and certificates, written whole or not at all (a temporary file with its final mode from
 * the start, then an atomic rename), and folders only their owner can enter. BouncyCastle is used for the
 * encoding only; it is never registered as a JCA provider (the JDK's SunEC does the cryptography).
 */
final class PemFiles {

    static final Set<PosixFilePermission> FOLDER_MODE = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> SECRET_MODE = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> PUBLIC_MODE = PosixFilePermissions.fromString("rw-r--r--");
    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private PemFiles() {
    }

    /** Creates {@code dir} if missing and sets it to 0700; refuses a symbolic link or a file. */
    static void privateFolder(Path dir) throws IOException {
        if (Files.isSymbolicLink(dir)) {
            throw new RelayCredentialException("credential folder is a symbolic link: " + dir);
        }
        Files.createDirectories(dir);
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new RelayCredentialException("credential folder is not a directory: " + dir);
        }
        Files.setPosixFilePermissions(dir, FOLDER_MODE);
    }

    /** Refuses a secret file that is a symbolic link or that group or others may use (as ssh does). */
    static void checkSecret(Path file) throws IOException {
        if (Files.isSymbolicLink(file)) {
            throw new RelayCredentialException("key file is a symbolic link: " + file);
        }
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
        if (mode.stream().anyMatch(OTHERS::contains)) {
            throw new RelayCredentialException("key file " + file + " is open to other users ("
                    + PosixFilePermissions.toString(mode) + "); it must be rw-------");
        }
    }

    static void writeKey(Path file, PrivateKey key) throws IOException {
        write(file, SECRET_MODE, List.of(new JcaPKCS8Generator(key, null)));
    }

    static void writeCertificates(Path file, Set<PosixFilePermission> mode, List<X509Certificate> certificates)
            throws IOException {
        write(file, mode, List.copyOf(certificates));
    }

    /** Reads a PKCS#8 ({@code PRIVATE KEY}) or SEC1 ({@code EC PRIVATE KEY}) unencrypted key. */
    static PrivateKey readKey(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
                PEMParser parser = new PEMParser(reader)) {
            Object object = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (object instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            if (object instanceof PEMKeyPair pair) {
                return converter.getKeyPair(pair).getPrivate();
            }
            throw new RelayCredentialException("no unencrypted private key in " + file);
        }
    }

    /** Reads every certificate in {@code file}, in order; at least one. */
    static List<X509Certificate> readCertificates(Path file) throws IOException {
        List<X509Certificate> certificates = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
                PEMParser parser = new PEMParser(reader)) {
            JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
            for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
                if (!(object instanceof X509CertificateHolder holder)) {
                    throw new RelayCredentialException("something other than a certificate in " + file);
                }
                certificates.add(converter.getCertificate(holder));
            }
        } catch (CertificateException e) {
            throw new RelayCredentialException("unreadable certificate in " + file, e);
        }
        if (certificates.isEmpty()) {
            throw new RelayCredentialException("no certificate in " + file);
        }
        return certificates;
    }

    private static void write(Path file, Set<PosixFilePermission> mode, List<Object> objects) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            for (Object object : objects) {
                writer.writeObject(object);
            }
        }
        Path dir = file.toAbsolutePath().getParent();
        Path temporary = Files.createTempFile(dir, "." + file.getFileName(), ".tmp",
                PosixFilePermissions.asFileAttribute(mode));
        try {
            try (Writer out = Files.newBufferedWriter(temporary, StandardCharsets.US_ASCII)) {
                out.write(text.toString());
            }
            Files.setPosixFilePermissions(temporary, mode); // the umask may have narrowed a public file's mode
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
