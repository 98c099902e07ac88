package io.certflow.deployment.target.ssh;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class NginxDumpTest {

    /** What nginx -T prints: every file nginx loads, each after a comment naming it. */
    private static final String DUMP = """
            # configuration file /etc/nginx/nginx.conf:
            user www-data;
            events { worker_connections 768; }
            http {
                ssl_certificate /etc/ssl/default.crt;      # inherited by the servers below
                ssl_certificate_key "/etc/ssl/default.key";
                upstream app { server 127.0.0.1:8080; server 127.0.0.1:8081 backup; }
                server {
                    listen 443 ssl http2;
                    listen [::]:443 ssl;
                    server_name shop.example.com .example.org;
                    location / { proxy_pass http://app; }
                }
                server {
                    listen 80;
                    server_name plain.example.com;
                }
                server {
                    listen 192.0.2.10:8443 ssl;
                    server_name 'api.example.com' ~^(?<tenant>.+)\\.example\\.net$ _;
                    ssl_certificate /etc/ssl/api.crt;
                    ssl_certificate_key /etc/ssl/api.key;
                    ssl_certificate /etc/ssl/api-rsa.crt;
                    location /x { return 200 "a { quoted } brace; and # no comment"; }
                }
                include /etc/nginx/sites-enabled/*;
            }

            # configuration file /etc/nginx/sites-enabled/blog:
            server {
                listen 443 ssl;
                server_name blog.example.com;
                ssl_certificate /etc/letsencrypt/live/blog/fullchain.pem;
                ssl_certificate_key /etc/letsencrypt/live/blog/privkey.pem;
            }
            server {
                listen 443 ssl;
                server_name nocert.example.com;
            }
            """;

    @Test
    void findsTheTlsServerBlocksWithTheirCertificateFiles() {
        List<NginxDump.ServerBlock> blocks = NginxDump.serverBlocks(DUMP);

        assertThat(blocks).containsExactly(
                new NginxDump.ServerBlock(List.of("shop.example.com", ".example.org"),
                        List.of(new NginxDump.Listen(null, 443), new NginxDump.Listen(null, 443)),
                        "/etc/ssl/default.crt", "/etc/ssl/default.key"),
                new NginxDump.ServerBlock(List.of("api.example.com", "~^(?<tenant>.+)\\.example\\.net$", "_"),
                        List.of(new NginxDump.Listen("192.0.2.10", 8443)), "/etc/ssl/api.crt", "/etc/ssl/api.key"),
                new NginxDump.ServerBlock(List.of("blog.example.com"), List.of(new NginxDump.Listen(null, 443)),
                        "/etc/letsencrypt/live/blog/fullchain.pem", "/etc/letsencrypt/live/blog/privkey.pem"));
    }

    @Test
    void serverNamesBecomeDomainsWithoutRegexesOrCatchAll() {
        assertThat(SshTarget.domains(List.of("Shop.Example.com", ".example.org", "~^x\\.net$", "_", "", "www.example.*",
                "*.example.net", "localhost"))).containsExactly("shop.example.com", "example.org", "*.example.org",
                "*.example.net");
    }

    @Test
    void unbalancedOrEmptyTextGivesWhatItCan() {
        assertThat(NginxDump.serverBlocks("")).isEmpty();
        assertThat(NginxDump.serverBlocks("http { server { listen 443 ssl; server_name a.example.com; "
                + "ssl_certificate /a.crt; ssl_certificate_key /a.key; }")).hasSize(1);
    }
}
