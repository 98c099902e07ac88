package io.certflow.verification.web;

import io.certflow.platform.web.Account;
import io.certflow.verification.dns.provider.DnsProviderFactory;
import io.certflow.verification.dns.provider.ProviderField;
import io.certflow.verification.dns.provider.ProviderKind;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.Arrays;
import java.util.List;

/**
 * {@code GET /api/v1/dns-providers}: the DNS services a credential can be given for and the fields each asks for, so
 * that a form (the console's "DNS providers" page) is built from the same declaration the credential is checked
 * against ({@link ProviderKind#fields()}) instead of repeating it. The same for every account.
 */
@RestController
@RequestMapping("/api/v1/dns-providers")
public class DnsProviderController {

    private final DnsProviderFactory factory;

    public DnsProviderController(DnsProviderFactory factory) {
        this.factory = factory;
    }

    /**
     * One kind of DNS service.
     *
     * @param provider    the name {@code POST /api/v1/dns-credentials} takes as {@code provider}
     * @param displayName its name for people
     * @param fields      what a credential of it holds (settings shown back, secrets sealed and never shown)
     */
    public record ProviderView(String provider, String displayName, List<ProviderField> fields) {
    }

    @GetMapping
    public List<ProviderView> list(Account account) {
        return Arrays.stream(ProviderKind.values())
                .map(k -> new ProviderView(k.name(), k.displayName(), factory.offeredFields(k))).toList();
    }
}
