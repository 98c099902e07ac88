package io.certflow.deployment.target.nginx;

import io.certflow.deployment.target.nginx.NginxConfigDump.Listen;
import io.certflow.deployment.target.nginx.NginxConfigDump.ServerBlock;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NginxConfigDumpTest {

    /** What {@code nginx -T} prints on a Debian host with a default site, a TLS site and a snippet. */
    private static final String DEBIAN = """
            # configuration file /etc/nginx/nginx.conf:
            user www-data;
            worker_processes auto;
            pid /run/nginx.pid;
            include /etc/nginx/modules-enabled/*.conf;

            events {
            \tworker_connections 768;
            }

            http {
            \tsendfile on;
            \tinclude /etc/nginx/mime.types;
            \tdefault_type application/octet-stream;
            \tssl_protocols TLSv1.2 TLSv1.3; # Dropping SSLv3, ref: POODLE
            \tssl_prefer_server_ciphers on;
            \taccess_log /var/log/nginx/access.log;
            \tinclude /etc/nginx/conf.d/*.conf;
            \tinclude /etc/nginx/sites-enabled/*;
            }

            # configuration file /etc/nginx/modules-enabled/50-mod-http-echo.conf:
            load_module modules/ngx_http_echo_module.so;

            # configuration file /etc/nginx/mime.types:

            types {
                text/html                             html htm shtml;
                image/svg+xml                         svg svgz;
            }

            # configuration file /etc/nginx/sites-enabled/default:
            ##
            # You should look at the following URL's in order to grasp a solid understanding
            # of Nginx configuration files in order to fully unleash the power of Nginx.
            ##
            server {
            \tlisten 80 default_server;
            \tlisten [::]:80 default_server;
            \troot /var/www/html;
            \tserver_name _;
            \tlocation / {
            \t\ttry_files $uri $uri/ =404;
            \t}
            }

            # configuration file /etc/nginx/sites-enabled/shop.example.com:
            server {
                listen 443 ssl http2;          # IPv4
                listen [::]:443 ssl http2;     # IPv6
                server_name shop.example.com
                            www.shop.example.com;   # one directive over two lines
                include snippets/shop-ssl.conf;
                location ~ \\.php$ {
                    fastcgi_param HTTP_PROXY "";
                    return 200 "it's \\"quoted\\"; {not a block}";
                }
                location /x { return 301 https://${host}$request_uri; }
            }

            # configuration file /etc/nginx/snippets/shop-ssl.conf:
            ssl_certificate     /etc/letsencrypt/live/shop.example.com/fullchain.pem;
            ssl_certificate_key "/etc/letsencrypt/live/shop.example.com/privkey.pem";

            """;

    @Test
    void readsTheServerBlocksOfADebianDumpWithIncludesAndSnippets() {
        List<ServerBlock> blocks = NginxConfigDump.serverBlocks(DEBIAN);

        assertThat(blocks).hasSize(2);
        ServerBlock plain = blocks.get(0);
        assertThat(plain.file()).isEqualTo("/etc/nginx/sites-enabled/default");
        assertThat(plain.tlsListen()).isEmpty();
        assertThat(plain.serverNames()).containsExactly("_");

        ServerBlock shop = blocks.get(1);
        assertThat(shop.file()).isEqualTo("/etc/nginx/sites-enabled/shop.example.com");
        assertThat(shop.line()).isEqualTo(1);
        assertThat(shop.listens()).containsExactly(new Listen(null, 443, true), new Listen("::", 443, true));
        assertThat(shop.tlsListen().orElseThrow().connectAddress()).isEqualTo("127.0.0.1:443");
        assertThat(shop.serverNames()).containsExactly("shop.example.com", "www.shop.example.com");
        assertThat(shop.certificates()).containsExactly("/etc/letsencrypt/live/shop.example.com/fullchain.pem");
        assertThat(shop.certificateKeys()).containsExactly("/etc/letsencrypt/live/shop.example.com/privkey.pem");
    }

    @Test
    void followsNginxRulesForRelativePathsInheritanceAndTlsPerAddress() {
        String dump = """
                # configuration file /srv/web/conf/nginx.conf:
                events {}
                http {
                    ssl_certificate     certs/default.crt;   # relative to /srv/web/conf
                    ssl_certificate_key ../keys/default.key;
                    include sites/*.conf;
                    server {   # inherits the http certificate
                        listen 127.0.0.1:8443 ssl;
                        server_name inherit.example.org;
                    }
                }
                stream {
                    server { listen 9443 ssl; ssl_certificate /srv/stream.crt; ssl_certificate_key /srv/stream.key; }
                }
                # configuration file /srv/web/conf/sites/b.conf:
                server {
                    listen 127.0.0.1:8443;   # no ssl here, but the address serves TLS for the block above
                    server_name b.example.org;
                    ssl_certificate /srv/b.crt;
                    ssl_certificate_key /srv/b.key;
                }
                server {
                    listen 8444;
                    ssl on;                  # the old way: every listen of the block is TLS
                    server_name old.example.org;
                    ssl_certificate /srv/old.crt;
                    ssl_certificate_key /srv/old.key;
                }
                # configuration file /srv/web/conf/sites/a.conf:
                server {
                    listen unix:/run/a.sock ssl;
                    listen 8445 quic reuseport;
                    listen [2001:db8::1]:8446 ssl;
                    listen *:8447;
                    server_name a.example.org;
                }
                """;

        List<ServerBlock> blocks = NginxConfigDump.serverBlocks(dump);

        // sites/*.conf in name order (a before b) where the include stands, then the block of nginx.conf
        assertThat(blocks).extracting(b -> b.serverNames().get(0))
                .containsExactly("a.example.org", "b.example.org", "old.example.org", "inherit.example.org");
        ServerBlock a = blocks.get(0);
        assertThat(a.listens()).containsExactly(new Listen("2001:db8::1", 8446, true), new Listen(null, 8447, false));
        assertThat(a.tlsListen().orElseThrow().connectAddress()).isEqualTo("[2001:db8::1]:8446");
        assertThat(a.certificates()).containsExactly("/srv/web/conf/certs/default.crt");
        assertThat(a.certificateKeys()).containsExactly("/srv/web/keys/default.key");
        assertThat(blocks.get(1).listens()).containsExactly(new Listen("127.0.0.1", 8443, true));
        assertThat(blocks.get(1).certificates()).containsExactly("/srv/b.crt");
        assertThat(blocks.get(2).listens()).containsExactly(new Listen(null, 8444, true));
        assertThat(blocks.get(3).tlsListen().orElseThrow().connectAddress()).isEqualTo("127.0.0.1:8443");
        assertThat(blocks.get(3).certificates()).containsExactly("/srv/web/conf/certs/default.crt");
    }

    @Test
    void readsCommentsQuotesEscapesAndVariablesAsNginxDoes() {
        String dump = """
                # configuration file /etc/nginx/nginx.conf:
                http {
                    # server { listen 1 ssl; server_name commented.out; }
                    server {
                        listen 443 ssl; server_name 'single.example.net' "double.example.net" hash#inside.example.net
                          .dot.example.net ~^(?<sub>.+)\\.regex\\.net$ www.example.*;
                        set $x "a;b{c}d # e";
                        add_header X-Test "line \\"one\\"\\ttab";
                        ssl_certificate /etc/ssl/$ssl_server_name.crt;
                        ssl_certificate_key data:$secret;
                        location = /a { return 200 '}'; }
                        location = /b { return 200 ${x}y; }
                    }
                }
                """;

        ServerBlock block = NginxConfigDump.serverBlocks(dump).get(0);

        assertThat(block.serverNames()).containsExactly("single.example.net", "double.example.net", "hash#inside.example.net",
                ".dot.example.net", "~^(?<sub>.+)\\.regex\\.net$", "www.example.*");
        // paths with a variable or inline data are kept as written: no file to resolve
        assertThat(block.certificates()).containsExactly("/etc/ssl/$ssl_server_name.crt");
        assertThat(block.certificateKeys()).containsExactly("data:$secret");
    }

    @Test
    void aFileIncludedTwiceCountsTwiceAndAFileIncludedNowhereNotAtAll() {
        String dump = """
                # configuration file /etc/nginx/nginx.conf:
                http { include tls.conf; include tls.conf; }
                # configuration file /etc/nginx/tls.conf:
                server { listen 443 ssl; server_name x.example.com; ssl_certificate /x.crt; ssl_certificate_key /x.key; }
                # configuration file /etc/nginx/unused.conf:
                server { listen 443 ssl; server_name unused.example.com; }
                """;

        assertThat(NginxConfigDump.serverBlocks(dump)).extracting(b -> b.serverNames().get(0))
                .containsExactly("x.example.com", "x.example.com");
    }

    @Test
    void refusesWhatIsNotADumpOrNotBalanced() {
        assertThatThrownBy(() -> NginxConfigDump.serverBlocks("nginx: the configuration file syntax is ok\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an nginx -T dump");
        assertThatThrownBy(() -> NginxConfigDump.serverBlocks("# configuration file /a.conf:\nhttp { server { listen 443;\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("/a.conf: unexpected end of file");
        assertThatThrownBy(() -> NginxConfigDump.serverBlocks("# configuration file /a.conf:\nhttp { } }\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("/a.conf:1: unexpected '}'");
        assertThatThrownBy(() -> NginxConfigDump.serverBlocks("# configuration file /a.conf:\nhttp { return \"x; }\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unclosed \" quote");
        assertThatThrownBy(() -> NginxConfigDump.serverBlocks("# configuration file /a.conf:\ninclude /b.conf;\n"
                + "# configuration file /b.conf:\ninclude /a.conf;\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("include cycle");
    }
}
