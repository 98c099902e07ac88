package io.certflow.deployment.target.alibaba;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * How the Alibaba Cloud targets talk to Alibaba Cloud ({@code certflow.deployment.alibaba.*}). Exists apart from the
 * service's own properties so that the Alibaba adapters are configured (and can be left out) as one piece.
 *
 * @param customEndpoints  whether a credential may name its own {@code endpoint} instead of Alibaba Cloud's; only for
 *                         tests against a local server (an endpoint chosen by an API user would receive the AccessKey
 *                         signature and the private keys)
 * @param connectTimeout   connect timeout of one API call
 * @param readTimeout      read timeout of one API call
 * @param readBackWindow   how long to keep reading back after a change (CDN applies a certificate asynchronously)
 * @param readBackInterval pause between two read-backs
 * @param pageSize         page size of the listings (DescribeUserDomains, DescribeLoadBalancers)
 */
@ConfigurationProperties("certflow.deployment.alibaba")
public record AlibabaProperties(@DefaultValue("false") boolean customEndpoints,
                                @DefaultValue("5s") Duration connectTimeout,
                                @DefaultValue("20s") Duration readTimeout,
                                @DefaultValue("2m") Duration readBackWindow,
                                @DefaultValue("3s") Duration readBackInterval,
                                @DefaultValue("50") int pageSize) {

    public AlibabaProperties {
        if (pageSize < 1 || pageSize > 100) {
            throw new IllegalArgumentException("certflow.deployment.alibaba.page-size must be 1-100");
        }
    }

    /** The defaults, for code that builds the targets without Spring. */
    public static AlibabaProperties defaults() {
        return new AlibabaProperties(false, Duration.ofSeconds(5), Duration.ofSeconds(20), Duration.ofMinutes(2),
                Duration.ofSeconds(3), 50);
    }
}
