package io.certflow.issuance.bench;

import io.certflow.issuance.keys.BouncyCastle;
import io.certflow.issuance.keys.CsrFactory;
import io.certflow.issuance.keys.KeyType;
import io.certflow.issuance.keys.KeyVault;
import io.certflow.issuance.persistence.IssuanceAttempt;
import io.certflow.platform.secrets.EnvelopeEncryption;
import io.certflow.platform.secrets.KeyEncryptionKey;
import io.certflow.platform.secrets.SealedSecret;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * What issuance-service computes for each certificate between an order turning READY and its finalization
 * (AttemptStepper's {@code validate} and {@code finalizeOrder}): the certificate's new key
 * ({@link KeyType#generate}: EC P-256, the default, and RSA 2048), that key sealed for storage
 * ({@link KeyVault#seal}: AES-256-GCM with a fresh data key wrapped by the key-encryption key) and opened
 * again for the CSR and the bundle endpoint ({@link KeyVault#openPrivateKey}), and the CSR
 * ({@link CsrFactory#create}, BouncyCastle) for 1 and 10 names. BouncyCastle is registered as the
 * service registers it (after the JDK's providers). The key-encryption key is random per run; no key
 * material is printed or stored.
 *
 * <p>Run with {@code ./certflow bench jmh} (docs/benchmarks.md), not by {@code mvn test}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class KeyAndCsrBenchmark {

    private static final String CONTEXT = IssuanceAttempt.keyContext("crt_9b2f6e41c0d84a5f", "att_3c7d1e09");

    private KeyPair ecKey;
    private KeyPair rsaKey;
    private List<String> oneName;
    private List<String> tenNames;
    private KeyVault vault;
    private SealedSecret sealedEcKey;

    @Setup
    public void setUp() {
        BouncyCastle.ensureRegistered();
        ecKey = KeyType.EC_P256.generate();
        rsaKey = KeyType.RSA_2048.generate();
        oneName = List.of("www.example.com");
        tenNames = IntStream.range(0, 10).mapToObj(i -> i == 0 ? "example.com" : "host-" + i + ".example.com").toList();
        byte[] kek = new byte[32];
        new SecureRandom().nextBytes(kek);
        vault = new KeyVault(new EnvelopeEncryption(KeyEncryptionKey.of(kek)));
        java.util.Arrays.fill(kek, (byte) 0);
        sealedEcKey = vault.seal(ecKey.getPrivate(), CONTEXT);
        if (!vault.openPrivateKey(sealedEcKey, "EC", CONTEXT).equals(ecKey.getPrivate())) {
            throw new IllegalStateException("the sealed key does not open to the same key");
        }
    }

    @Benchmark
    public KeyPair generateEcP256() {
        return KeyType.EC_P256.generate();
    }

    @Benchmark
    public KeyPair generateRsa2048() {
        return KeyType.RSA_2048.generate();
    }

    @Benchmark
    public byte[] csrEcP256OneName() {
        return CsrFactory.create(ecKey, KeyType.EC_P256, oneName);
    }

    @Benchmark
    public byte[] csrEcP256TenNames() {
        return CsrFactory.create(ecKey, KeyType.EC_P256, tenNames);
    }

    @Benchmark
    public byte[] csrRsa2048OneName() {
        return CsrFactory.create(rsaKey, KeyType.RSA_2048, oneName);
    }

    @Benchmark
    public SealedSecret sealEcKey() {
        return vault.seal(ecKey.getPrivate(), CONTEXT);
    }

    @Benchmark
    public PrivateKey openEcKey() {
        return vault.openPrivateKey(sealedEcKey, "EC", CONTEXT);
    }
}
