package io.certflow.issuance.caa;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * The CAA pre-check, {@code certflow.issuance.caa.*}. Without a resolver the check is off.
 *
 * @param resolver {@code host:port} of a recursive resolver that sees the customers' zones as the CA does
 * @param timeout  how long one CAA query may take before the name counts as not checked
 */
@ConfigurationProperties("certflow.issuance.caa")
public record CaaProperties(String resolver, @DefaultValue("3s") Duration timeout) {
}
