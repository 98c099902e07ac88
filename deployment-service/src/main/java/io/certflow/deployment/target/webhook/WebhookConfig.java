package io.certflow.deployment.target.webhook;

import io.certflow.deployment.target.InvalidTargetConfigException;
import io.certflow.deployment.target.TargetSettings;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The settings of one webhook resource, read and checked from the resource's config map. Exists so that
 * {@link WebhookTarget} works with typed values and a bad setting is reported, all at once, when the resource
 * is registered. The signing secret is not here: it is the credential's.
 *
 * @param url               where certflow POSTs (http or https)
 * @param includePrivateKey whether the body carries the private key (the receiver installs the certificate)
 * @param tlsAddress        where the receiver's server serves TLS, for a read-back by handshake; null if none
 * @param serverName        the name clients ask for (SNI), also what the certificate must cover; null if not given
 */
public record WebhookConfig(URI url, boolean includePrivateKey, TargetSettings.TlsAddress tlsAddress,
                            String serverName) {

    public static final String URL = "url";
    public static final String INCLUDE_PRIVATE_KEY = "includePrivateKey";
    public static final String TLS_ADDRESS = "tlsAddress";
    public static final String SERVER_NAME = "serverName";

    /** Every setting a webhook resource may have. */
    public static final Set<String> SETTINGS = Set.of(URL, INCLUDE_PRIVATE_KEY, TLS_ADDRESS, SERVER_NAME);

    /**
     * Reads and checks the settings.
     *
     * @param allowedHosts the host names (or IP literals) URLs may point at; empty allows any
     * @throws InvalidTargetConfigException naming every problem
     */
    public static WebhookConfig parse(Map<String, String> config, Collection<String> allowedHosts) {
        TargetSettings settings = new TargetSettings(config, SETTINGS);
        boolean includeKey = true;
        String include = settings.value(INCLUDE_PRIVATE_KEY);
        if (include != null) {
            if (!include.equals("true") && !include.equals("false")) {
                settings.problem("'" + INCLUDE_PRIVATE_KEY + "' must be true or false");
            }
            includeKey = !include.equals("false");
        }
        URI url = url(settings, includeKey, allowedHosts);
        TargetSettings.TlsAddress address = null;
        String serverName = null;
        if (settings.value(TLS_ADDRESS) != null) {
            address = settings.tlsAddress(TLS_ADDRESS, "the receiver's server");
            serverName = settings.serverName(SERVER_NAME, "the receiver's server");
        } else if (settings.value(SERVER_NAME) != null) {
            serverName = settings.serverName(SERVER_NAME, "the receiver's server");
        }
        settings.check(WebhookTarget.TYPE);
        return new WebhookConfig(url, includeKey, address, serverName);
    }

    private static URI url(TargetSettings settings, boolean includeKey, Collection<String> allowedHosts) {
        String value = settings.value(URL);
        if (value == null) {
            settings.problem("'" + URL + "' is required (where certflow POSTs the certificate, e.g. "
                    + "https://deploy.example.com/certflow)");
            return null;
        }
        URI url;
        try {
            url = new URI(value);
        } catch (URISyntaxException e) {
            settings.problem("'" + URL + "' is not a valid URL");
            return null;
        }
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            settings.problem("'" + URL + "' must be an http or https URL");
            return null;
        }
        if (url.getHost() == null) {
            settings.problem("'" + URL + "' has no host");
            return null;
        }
        if (url.getRawUserInfo() != null) {
            settings.problem("'" + URL + "' must not hold a user name or password (settings are shown back; "
                    + "the credential's secret signs the request)");
        }
        if (url.getRawFragment() != null) {
            settings.problem("'" + URL + "' must not have a #fragment");
        }
        if (includeKey && scheme.equals("http") && !isLoopback(url.getHost())) {
            settings.problem("'" + URL + "' must be https when '" + INCLUDE_PRIVATE_KEY + "' is true: the private "
                    + "key never crosses a network in clear (http is accepted for a loopback host only)");
        }
        String host = unbracketed(url.getHost());
        if (!allowedHosts.isEmpty() && allowedHosts.stream().noneMatch(h -> unbracketed(h).equalsIgnoreCase(host))) {
            settings.problem("'" + URL + "' must point at one of the allowed hosts " + allowedHosts);
        }
        return url;
    }

    /** Whether a URL's host is this machine: {@code localhost} or a loopback IP literal (no DNS lookup). */
    static boolean isLoopback(String host) {
        String h = unbracketed(host);
        if (h.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (!h.matches("[0-9.]+") && !h.contains(":")) {
            return false;
        }
        try {
            return InetAddress.getByName(h).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static String unbracketed(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }
}
