package io.certflow.devstack;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds the native programs the stack runs ({@code pebble}, {@code named}, {@code nginx}) and the console's browser
 * tests drive ({@code chromium}, {@code chromedriver}), on the PATH
 * and in the sbin folders a non-root PATH often lacks, so that a missing one fails with the package to install.
 */
public final class Binaries {
    public static final String PEBBLE = "pebble";
    public static final String NAMED = "named";
    public static final String NGINX = "nginx";
    /** Debian's Chromium, for the console's browser tests. */
    public static final String CHROMIUM = "chromium";
    /** The WebDriver server for {@link #CHROMIUM}, same version (Debian {@code chromium-driver}). */
    public static final String CHROMEDRIVER = "chromedriver";

    private Binaries() {
    }

    /** The program's path, if installed. */
    public static Optional<Path> find(String name) {
        List<String> dirs = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            dirs.addAll(List.of(path.split(File.pathSeparator)));
        }
        dirs.addAll(List.of("/usr/sbin", "/sbin", "/usr/local/sbin", "/usr/bin", "/usr/local/bin"));
        for (String dir : dirs) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    public static boolean isAvailable(String name) {
        return find(name).isPresent();
    }

    /** The program's path, or an exception naming the Debian package to install. */
    public static Path require(String name) {
        return find(name).orElseThrow(() -> new DevstackException(name + " not found on PATH nor in /usr/sbin:"
                + " install the Debian package " + debianPackage(name) + " (apt-get install -y " + debianPackage(name)
                + "; ./certflow up does it when run as root)"));
    }

    static String debianPackage(String name) {
        return switch (name) {
            case NAMED -> "bind9";
            case CHROMEDRIVER -> "chromium-driver";
            default -> name;
        };
    }
}
