package io.certflow.deployment.testing;

import io.certflow.devstack.Binaries;
import io.certflow.devstack.Component;
import io.certflow.devstack.NginxProcess;
import io.certflow.devstack.StackConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;

/** devstack's real nginx as a deployment target of tests: started on a test certificate, and its resource config. */
public final class TestNginx {

    /** The name {@link NginxProcess} serves. */
    public static final String SERVER_NAME = StackConfig.DEMO_DOMAIN;

    private TestNginx() {
    }

    /** Starts nginx (files under {@code dir}, a free port) serving {@code initial} and waits until it answers. */
    public static NginxProcess start(Path dir, TestCertificates.Issued initial) throws IOException {
        NginxProcess nginx = new NginxProcess(StackConfig.forTests(dir, EnumSet.of(Component.NGINX)));
        Files.createDirectories(nginx.certificatePath().getParent());
        Files.writeString(nginx.certificatePath(), initial.chainPem());
        Files.writeString(nginx.keyPath(), initial.keyPem());
        try {
            nginx.start();
        } catch (RuntimeException e) {
            nginx.stop();
            throw e;
        }
        return nginx;
    }

    /** The resource config docs/api.md shows, for this nginx; {@code withTest} adds {@link #testCommand}. */
    public static Map<String, String> resourceConfig(NginxProcess nginx, boolean withTest) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("certificatePath", nginx.certificatePath().toString());
        config.put("keyPath", nginx.keyPath().toString());
        config.put("reloadCommand", nginx.reloadCommand());
        if (withTest) {
            config.put("testCommand", testCommand(nginx));
        }
        config.put("tlsAddress", nginx.tlsAddress());
        config.put("serverName", nginx.serverName());
        return config;
    }

    /** {@code nginx -t -q} on this nginx's configuration: checks the certificate files, reloads nothing. */
    public static String testCommand(NginxProcess nginx) {
        return nginxExecutable() + " -t -q -p " + nginx.prefix() + "/ -c " + nginx.confFile() + " -e " + nginx.errorLog();
    }

    /** The nginx binary NginxProcess runs. */
    public static String nginxExecutable() {
        return Binaries.require(Binaries.NGINX).toString();
    }
}
