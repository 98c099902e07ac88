package io.certflow.devstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * nginx as a customer's web server and the demo's deployment target: an HTTPS server on
 * 127.0.0.1:{@code nginx port} for {@code www.demo.certflow.test}, first with a self-signed certificate.
 * deployment-service overwrites {@link #certificatePath()} / {@link #keyPath()} and runs {@link #reloadCommand()}.
 */
public class NginxProcess extends ManagedProcess {

    public NginxProcess(StackConfig config) {
        super(config, Component.NGINX);
    }

    /** nginx's prefix ({@code -p}): conf/, certs/, temp/ below it. */
    public Path prefix() {
        return config.dataDir().resolve("nginx");
    }

    public Path confFile() {
        return prefix().resolve("conf/nginx.conf");
    }

    /** The certificate chain file nginx serves (PEM); deployment-service writes here. */
    public Path certificatePath() {
        return prefix().resolve("certs/" + serverName() + ".crt");
    }

    /** The private key file nginx serves; deployment-service writes here. */
    public Path keyPath() {
        return prefix().resolve("certs/" + serverName() + ".key");
    }

    public String serverName() {
        return StackConfig.DEMO_DOMAIN;
    }

    /** {@code 127.0.0.1:<port>}. */
    public String tlsAddress() {
        return "127.0.0.1:" + port();
    }

    public Path errorLog() {
        return config.logsDir().resolve("nginx-error.log");
    }

    /** The command that makes the running nginx load new certificate files. */
    public String reloadCommand() {
        return String.join(" ", reloadCommandArgs());
    }

    /** {@link #reloadCommand()} as arguments. */
    public List<String> reloadCommandArgs() {
        List<String> cmd = new ArrayList<>(baseCommand());
        cmd.addAll(List.of("-s", "reload"));
        return cmd;
    }

    /** Runs {@link #reloadCommand()}. */
    public void reload() {
        runToCompletion(reloadCommandArgs(), Duration.ofSeconds(30));
    }

    @Override
    protected void checkPrerequisites() {
        Binaries.require(Binaries.NGINX);
    }

    @Override
    protected void prepare() throws IOException {
        for (String d : List.of("conf", "certs", "temp/client_body", "temp/proxy", "temp/fastcgi", "temp/uwsgi", "temp/scgi")) {
            Files.createDirectories(prefix().resolve(d));
        }
        if (!Files.exists(certificatePath()) || !Files.exists(keyPath())) {
            Pki.Issued self = Pki.newServerCertificate(null, List.of(serverName()), List.of(), Duration.ofDays(30));
            Pki.writePem(certificatePath(), self.certificate());
            Pki.writePem(keyPath(), self.privateKey());
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        String p = prefix().toString();
        Files.writeString(confFile(), """
                # written by certflow devstack at every start
                %1$s
                daemon off;
                master_process on;
                worker_processes 1;
                pid %2$s;
                error_log %3$s info;
                events { worker_connections 256; }
                http {
                    access_log %4$s;
                    client_body_temp_path %5$s/temp/client_body;
                    proxy_temp_path %5$s/temp/proxy;
                    fastcgi_temp_path %5$s/temp/fastcgi;
                    uwsgi_temp_path %5$s/temp/uwsgi;
                    scgi_temp_path %5$s/temp/scgi;
                    default_type text/plain;
                    server {
                        listen %6$s ssl;
                        server_name %7$s;
                        ssl_certificate %8$s;
                        ssl_certificate_key %9$s;
                        ssl_protocols TLSv1.2 TLSv1.3;
                        location / { return 200 "certflow demo: hello from %7$s\\n"; }
                    }
                }
                """.formatted(root ? "user root root;" : "", config.runDir().resolve("nginx-master.pid"), errorLog(),
                config.logsDir().resolve("nginx-access.log"), p, tlsAddress(), serverName(), certificatePath(), keyPath()));
    }

    @Override
    protected List<String> command() {
        return baseCommand();
    }

    @Override
    protected String readinessDescription() {
        return "TLS handshake on " + tlsAddress();
    }

    @Override
    protected boolean isReady() {
        if (!Ports.isListening(port())) {
            return false;
        }
        TlsProbe.servedCertificate("127.0.0.1", port(), serverName());
        return true;
    }

    private List<String> baseCommand() {
        return List.of(Binaries.find(Binaries.NGINX).map(Path::toString).orElse("nginx"), "-p", prefix() + "/",
                "-c", confFile().toString(), "-e", errorLog().toString());
    }
}
