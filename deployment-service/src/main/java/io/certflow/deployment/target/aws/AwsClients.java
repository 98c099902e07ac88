package io.certflow.deployment.target.aws;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.acm.AcmClient;
import software.amazon.awssdk.services.cloudfront.CloudFrontClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The AWS SDK clients one deployment, read-back or listing needs, made for one {@link AwsCredential} and closed
 * together when the work is done (a credential is opened for one call and never cached). Every client talks over the
 * JDK's {@code HttpURLConnection}, with the configured timeout and SDK retries, and to the credential's endpoint
 * where one is allowed. With a {@code roleArn}, the key only assumes the role; the clients use the role's session.
 */
public final class AwsClients implements AutoCloseable {

    /** CloudFront reads certificates from ACM in this region only, and is signed for it. */
    public static final String CLOUDFRONT_REGION = "us-east-1";

    private final AwsCredential credential;
    private final Duration timeout;
    private final int maxAttempts;
    private final List<AutoCloseable> open = new ArrayList<>();
    private final Map<String, AcmClient> acm = new HashMap<>();
    private final Map<String, ElasticLoadBalancingV2Client> elb = new HashMap<>();
    private AwsCredentialsProvider provider;
    private CloudFrontClient cloudFront;

    public AwsClients(AwsCredential credential, Duration timeout, int maxAttempts) {
        this.credential = credential;
        this.timeout = timeout;
        this.maxAttempts = maxAttempts;
    }

    /** The credential these clients sign with. */
    public AwsCredential credential() {
        return credential;
    }

    /** ACM in {@code region}. */
    public synchronized AcmClient acm(String region) {
        return acm.computeIfAbsent(region, r -> keep(configure(AcmClient.builder(), r).build()));
    }

    /** Elastic Load Balancing v2 in {@code region}. */
    public synchronized ElasticLoadBalancingV2Client elb(String region) {
        return elb.computeIfAbsent(region, r -> keep(configure(ElasticLoadBalancingV2Client.builder(), r).build()));
    }

    /** CloudFront (a global service, signed for us-east-1). */
    public synchronized CloudFrontClient cloudFront() {
        if (cloudFront == null) {
            cloudFront = keep(configure(CloudFrontClient.builder(), CLOUDFRONT_REGION).build());
        }
        return cloudFront;
    }

    private <B extends AwsClientBuilder<B, ?>> B configure(B builder, String region) {
        builder.region(Region.of(region)).credentialsProvider(provider());
        return common(builder);
    }

    @SuppressWarnings("unchecked")
    private <B extends AwsClientBuilder<B, ?>> B common(B builder) {
        if (credential.endpoint() != null) {
            builder.endpointOverride(credential.endpoint());
        }
        // httpClientBuilder: the SDK owns the HTTP client and closes it with the service client
        ((software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder<?, ?>) builder).httpClientBuilder(
                UrlConnectionHttpClient.builder().connectionTimeout(timeout).socketTimeout(timeout));
        builder.overrideConfiguration(ClientOverrideConfiguration.builder()
                .apiCallTimeout(timeout)
                .retryStrategy(b -> b.maxAttempts(maxAttempts))
                .build());
        return builder;
    }

    private synchronized AwsCredentialsProvider provider() {
        if (provider == null) {
            StaticCredentialsProvider key = StaticCredentialsProvider.create(credential.sessionToken() == null
                    ? AwsBasicCredentials.create(credential.accessKeyId(), credential.secretAccessKey())
                    : AwsSessionCredentials.create(credential.accessKeyId(), credential.secretAccessKey(),
                    credential.sessionToken()));
            if (credential.roleArn() == null) {
                provider = key;
            } else {
                StsClient sts = keep(common(StsClient.builder().region(Region.of(credential.region()))
                        .credentialsProvider(key)).build());
                StsAssumeRoleCredentialsProvider assumed = StsAssumeRoleCredentialsProvider.builder()
                        .stsClient(sts)
                        .asyncCredentialUpdateEnabled(false)
                        .refreshRequest(r -> {
                            r.roleArn(credential.roleArn()).roleSessionName("certflow-" + UUID.randomUUID().toString()
                                    .substring(0, 8)).durationSeconds(900);
                            if (credential.externalId() != null) {
                                r.externalId(credential.externalId());
                            }
                        })
                        .build();
                keep(assumed);
                provider = assumed;
            }
        }
        return provider;
    }

    private <T extends AutoCloseable> T keep(T client) {
        open.add(client);
        return client;
    }

    @Override
    public synchronized void close() {
        for (int i = open.size() - 1; i >= 0; i--) {
            try {
                open.get(i).close();
            } catch (Exception e) {
                // closing an HTTP client cannot fail in a way that matters here
            }
        }
        open.clear();
    }
}
