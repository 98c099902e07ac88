package io.certflow.devstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Random secrets of the local stack (the TSIG key, the key-encryption key), made once and kept in a
 * file readable by the owner only, so that a restarted stack still reads what it stored.
 */
final class SecretFiles {

    private static final SecureRandom RANDOM = new SecureRandom();

    private SecretFiles() {
    }

    /** The base64 of 32 random bytes kept in {@code file}, created on first use. */
    static String readOrCreate(Path file) {
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(file.getParent());
                byte[] secret = new byte[32];
                RANDOM.nextBytes(secret);
                Files.writeString(file, Base64.getEncoder().encodeToString(secret) + "\n");
                try {
                    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException notPosix) {
                    // the file system has no owner-only mode; the stack is local anyway
                }
            }
            return Files.readString(file).trim();
        } catch (IOException e) {
            throw new DevstackException("cannot read or create the secret " + file, e);
        }
    }
}
