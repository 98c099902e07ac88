package io.certflow.issuance.ca;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Only the ACME adapter package may import acme4j (DESIGN §5): everything else sees the port. */
class VendorConfinementTest {

    @Test
    void onlyTheAcmeAdapterImportsAcme4j() throws IOException {
        Path sources = Path.of("src/main/java");
        Path adapter = sources.resolve("io/certflow/issuance/ca/acme");
        try (Stream<Path> files = Files.walk(sources)) {
            List<Path> offenders = files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> !p.startsWith(adapter))
                    .filter(p -> read(p).contains("org.shredzone.acme4j"))
                    .toList();
            assertThat(offenders).isEmpty();
        }
        try (Stream<Path> files = Files.walk(adapter)) {
            assertThat(files.filter(p -> p.toString().endsWith(".java")).anyMatch(p -> read(p).contains("org.shredzone.acme4j")))
                    .isTrue();
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
