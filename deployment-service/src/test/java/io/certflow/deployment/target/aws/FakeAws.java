package io.certflow.deployment.target.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.certflow.deployment.target.PemCertificates;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * A local stand-in for the AWS APIs the AWS targets call, on one HTTP port, that checks every request the way AWS
 * documents it before it answers: the SigV4 signature, recomputed by the test's own {@link SigV4Verifier} with the
 * secret of the access key (or of a session from {@code AssumeRole}); the operation (CloudFront's REST-XML paths under
 * {@code /2020-05-31/}, ELBv2's and STS's Query {@code Action} and {@code Version}, ACM's JSON 1.1
 * {@code X-Amz-Target}); the parameters each operation requires; and the rules AWS applies (an ACM import's key must
 * match its certificate and the chain must sign it; CloudFront takes certificates from ACM in us-east-1 only, covering
 * every alias, under the configuration's current ETag; a load balancer takes certificates from ACM in its own region;
 * ACM refuses to delete a certificate in use). It holds state — ACM certificates with their PEM, distributions,
 * load balancers and listeners — so tests assert what a user would see afterwards.
 *
 * <p>Every deviation from the documented format is also recorded in {@link #problems()}; tests assert it stays empty.
 */
final class FakeAws implements AutoCloseable {

    static final String ACCOUNT = "123456789012";
    static final String CLOUDFRONT_NS = "http://cloudfront.amazonaws.com/doc/2020-05-31/";
    static final String ELB_NS = "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/";
    static final String STS_NS = "https://sts.amazonaws.com/doc/2011-06-15/";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One call the fake answered (or refused), for assertions. */
    record Call(String service, String operation, String region, String accessKeyId, int status) {
    }

    /** An ACM certificate as the fake's ACM keeps it. */
    static final class AcmCertificate {
        final String arn;
        final String region;
        volatile X509Certificate leaf;
        volatile String certificatePem;
        volatile String chainPem;
        volatile Instant importedAt;

        AcmCertificate(String arn, String region) {
            this.arn = arn;
            this.region = region;
        }

        String serialHex() {
            return PemCertificates.serialHex(leaf);
        }
    }

    /** A CloudFront distribution: its configuration as XML, and the ETag of that configuration. */
    static final class Distribution {
        final String id;
        final String domainName;
        volatile String configXml;
        volatile String etag;
        volatile Instant lastModified = Instant.now();

        Distribution(String id, String domainName, String configXml) {
            this.id = id;
            this.domainName = domainName;
            this.configXml = configXml;
            this.etag = newEtag();
        }

        String arn() {
            return "arn:aws:cloudfront::" + ACCOUNT + ":distribution/" + id;
        }

        /** The viewer certificate's ACM ARN, or null. */
        String acmCertificateArn() {
            return text(viewer(parse(configXml).getDocumentElement()), "ACMCertificateArn");
        }

        List<String> aliases() {
            Element aliases = child(parse(configXml).getDocumentElement(), "Aliases");
            Element items = aliases == null ? null : child(aliases, "Items");
            return items == null ? List.of() : children(items, "CNAME").stream().map(Node::getTextContent).toList();
        }
    }

    /** A load balancer of ELBv2. */
    record LoadBalancer(String arn, String name, String type, String region) {
    }

    /** A listener of a load balancer. */
    static final class Listener {
        final String arn;
        final LoadBalancer loadBalancer;
        final int port;
        final String protocol;
        volatile String certificateArn;

        Listener(String arn, LoadBalancer loadBalancer, int port, String protocol, String certificateArn) {
            this.arn = arn;
            this.loadBalancer = loadBalancer;
            this.port = port;
            this.protocol = protocol;
            this.certificateArn = certificateArn;
        }
    }

    /** An error the next calls of one operation answer with. */
    record Injected(int status, String code, String message) {
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final Map<String, String> secrets = new ConcurrentHashMap<>();
    private final Map<String, String> sessionTokens = new ConcurrentHashMap<>();
    private final Map<String, String> roles = new ConcurrentHashMap<>();
    private final Map<String, AcmCertificate> certificates = new ConcurrentHashMap<>();
    private final Map<String, Distribution> distributions = new ConcurrentHashMap<>();
    private final Map<String, LoadBalancer> loadBalancers = new ConcurrentHashMap<>();
    private final Map<String, Listener> listeners = new ConcurrentHashMap<>();
    private final Map<String, Deque<Injected>> injected = new ConcurrentHashMap<>();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final List<String> problems = new CopyOnWriteArrayList<>();
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private final AtomicInteger ids = new AtomicInteger(1000);
    private volatile Consumer<Distribution> afterUpdateDistribution = d -> { };
    private volatile Consumer<Listener> afterModifyListener = l -> { };
    private volatile int pageSize = 2;

    FakeAws() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** Where every AWS client of a test points. */
    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Accepts this access key with this secret. */
    FakeAws key(String accessKeyId, String secret) {
        secrets.put(accessKeyId, secret);
        return this;
    }

    /** A role the fake's STS lets any known key assume (with this external id, if not null). */
    FakeAws role(String roleArn, String externalId) {
        roles.put(roleArn, externalId == null ? "" : externalId);
        return this;
    }

    /** The next {@code times} calls of {@code operation} (e.g. {@code UpdateDistribution}) answer this error. */
    void fail(String operation, int times, int status, String code, String message) {
        Deque<Injected> queue = injected.computeIfAbsent(operation, k -> new ArrayDeque<>());
        synchronized (queue) {
            for (int i = 0; i < times; i++) {
                queue.add(new Injected(status, code, message));
            }
        }
    }

    /** Runs after every accepted UpdateDistribution (e.g. to play another actor changing the distribution again). */
    void afterUpdateDistribution(Consumer<Distribution> hook) {
        afterUpdateDistribution = hook;
    }

    /** Runs after every accepted ModifyListener. */
    void afterModifyListener(Consumer<Listener> hook) {
        afterModifyListener = hook;
    }

    /** At most this many items per page of a listing. */
    void pageSize(int size) {
        pageSize = size;
    }

    // ---- state set-up ----

    /** An ACM certificate imported (by someone) in {@code region}. */
    AcmCertificate importCertificate(String region, X509Certificate leaf, String leafPem, String chainPem) {
        AcmCertificate certificate = new AcmCertificate("arn:aws:acm:" + region + ":" + ACCOUNT + ":certificate/"
                + UUID.randomUUID(), region);
        certificate.leaf = leaf;
        certificate.certificatePem = leafPem;
        certificate.chainPem = chainPem;
        certificate.importedAt = Instant.now();
        certificates.put(certificate.arn, certificate);
        return certificate;
    }

    /** A distribution with these aliases, using this ACM certificate (or CloudFront's default when null). */
    Distribution distribution(String id, String acmArn, String... aliases) {
        String viewer = acmArn == null
                ? "<ViewerCertificate><CloudFrontDefaultCertificate>true</CloudFrontDefaultCertificate>"
                + "<SSLSupportMethod>vip</SSLSupportMethod><MinimumProtocolVersion>TLSv1</MinimumProtocolVersion>"
                + "<CertificateSource>cloudfront</CertificateSource></ViewerCertificate>"
                : "<ViewerCertificate><CloudFrontDefaultCertificate>false</CloudFrontDefaultCertificate>"
                + "<ACMCertificateArn>" + acmArn + "</ACMCertificateArn><SSLSupportMethod>sni-only</SSLSupportMethod>"
                + "<MinimumProtocolVersion>TLSv1.2_2019</MinimumProtocolVersion><Certificate>" + acmArn + "</Certificate>"
                + "<CertificateSource>acm</CertificateSource></ViewerCertificate>";
        String items = aliases.length == 0 ? "" : "<Items>" + java.util.Arrays.stream(aliases)
                .map(a -> "<CNAME>" + a + "</CNAME>").collect(Collectors.joining()) + "</Items>";
        String config = "<DistributionConfig xmlns=\"" + CLOUDFRONT_NS + "\">"
                + "<CallerReference>certflow-test-" + id + "</CallerReference>"
                + "<Aliases><Quantity>" + aliases.length + "</Quantity>" + items + "</Aliases>"
                + "<DefaultRootObject>index.html</DefaultRootObject>"
                + "<Origins><Quantity>1</Quantity><Items><Origin><Id>origin-1</Id><DomainName>origin.example.com</DomainName>"
                + "<OriginPath></OriginPath><CustomHeaders><Quantity>0</Quantity></CustomHeaders>"
                + "<CustomOriginConfig><HTTPPort>80</HTTPPort><HTTPSPort>443</HTTPSPort>"
                + "<OriginProtocolPolicy>https-only</OriginProtocolPolicy></CustomOriginConfig>"
                + "<ConnectionAttempts>3</ConnectionAttempts><ConnectionTimeout>10</ConnectionTimeout></Origin></Items></Origins>"
                + "<DefaultCacheBehavior><TargetOriginId>origin-1</TargetOriginId>"
                + "<TrustedSigners><Enabled>false</Enabled><Quantity>0</Quantity></TrustedSigners>"
                + "<ViewerProtocolPolicy>redirect-to-https</ViewerProtocolPolicy>"
                + "<AllowedMethods><Quantity>2</Quantity><Items><Method>HEAD</Method><Method>GET</Method></Items>"
                + "<CachedMethods><Quantity>2</Quantity><Items><Method>HEAD</Method><Method>GET</Method></Items></CachedMethods></AllowedMethods>"
                + "<Compress>true</Compress><CachePolicyId>658327ea-f89d-4fab-a63d-7e88639e58f6</CachePolicyId></DefaultCacheBehavior>"
                + "<CacheBehaviors><Quantity>0</Quantity></CacheBehaviors>"
                + "<CustomErrorResponses><Quantity>0</Quantity></CustomErrorResponses>"
                + "<Comment>site " + id + "</Comment>"
                + "<Logging><Enabled>false</Enabled><IncludeCookies>false</IncludeCookies><Bucket></Bucket><Prefix></Prefix></Logging>"
                + "<PriceClass>PriceClass_100</PriceClass><Enabled>true</Enabled>"
                + viewer
                + "<Restrictions><GeoRestriction><RestrictionType>none</RestrictionType><Quantity>0</Quantity></GeoRestriction></Restrictions>"
                + "<WebACLId></WebACLId><HttpVersion>http2</HttpVersion><IsIPV6Enabled>true</IsIPV6Enabled>"
                + "</DistributionConfig>";
        Distribution distribution = new Distribution(id, "d" + id.toLowerCase(Locale.ROOT) + ".cloudfront.net", config);
        distributions.put(id, distribution);
        return distribution;
    }

    /** An Application ("application") or Network ("network") Load Balancer in {@code region}. */
    LoadBalancer loadBalancer(String region, String name, String type) {
        String kind = "network".equals(type) ? "net" : "app";
        LoadBalancer lb = new LoadBalancer("arn:aws:elasticloadbalancing:" + region + ":" + ACCOUNT + ":loadbalancer/"
                + kind + "/" + name + "/" + hexId(), name, type, region);
        loadBalancers.put(lb.arn(), lb);
        return lb;
    }

    /** A listener of {@code lb} with this default certificate (null for none: HTTP/TCP). */
    Listener listener(LoadBalancer lb, int port, String protocol, String certificateArn) {
        String kind = "network".equals(lb.type()) ? "net" : "app";
        Listener listener = new Listener("arn:aws:elasticloadbalancing:" + lb.region() + ":" + ACCOUNT + ":listener/"
                + kind + "/" + lb.name() + "/" + lb.arn().substring(lb.arn().lastIndexOf('/') + 1) + "/" + hexId(),
                lb, port, protocol, certificateArn);
        listeners.put(listener.arn, listener);
        return listener;
    }

    // ---- what tests look at ----

    AcmCertificate certificate(String arn) {
        return certificates.get(arn);
    }

    Collection<AcmCertificate> certificates() {
        return certificates.values();
    }

    Distribution distribution(String id) {
        return distributions.get(id);
    }

    Listener listener(String arn) {
        return listeners.get(arn);
    }

    List<Call> calls() {
        return List.copyOf(calls);
    }

    /** How many accepted calls of {@code operation}. */
    long count(String operation) {
        return calls.stream().filter(c -> c.operation().equals(operation) && c.status() < 300).count();
    }

    /** Deviations from the documented request format; empty when every request was right. */
    List<String> problems() {
        return List.copyOf(problems);
    }

    /** Every request and response body as it went over the wire (to check no secret travels where it should not). */
    List<String> bodies() {
        return List.copyOf(bodies);
    }

    /** The ARNs of resources using {@code arn}, as ACM's {@code InUseBy} tells them. */
    List<String> inUseBy(String arn) {
        List<String> users = new ArrayList<>();
        distributions.values().stream().filter(d -> arn.equals(d.acmCertificateArn())).forEach(d -> users.add(d.arn()));
        listeners.values().stream().filter(l -> arn.equals(l.certificateArn)).forEach(l -> users.add(l.loadBalancer.arn()));
        return users.stream().distinct().toList();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    // ---- the wire ----

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        SigV4Verifier.Request request = new SigV4Verifier.Request(exchange.getRequestMethod(),
                exchange.getRequestURI().getRawPath(), exchange.getRequestURI().getRawQuery(),
                exchange.getRequestHeaders(), body);
        bodies.add(new String(body, StandardCharsets.UTF_8));
        Reply reply;
        String service = "?";
        String operation = "?";
        String region = "?";
        String accessKey = null;
        try {
            SigV4Verifier.Signed signed = SigV4Verifier.parse(request);
            if (signed == null) {
                problems.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + ": not signed with SigV4");
                reply = Reply.xml(403, "<ErrorResponse><Error><Type>Sender</Type><Code>MissingAuthenticationToken</Code>"
                        + "<Message>Request is missing Authentication Token</Message></Error></ErrorResponse>");
            } else {
                service = signed.service();
                region = signed.region();
                accessKey = signed.accessKeyId();
                Protocol protocol = Protocol.of(service);
                operation = protocol == null ? "?" : protocol.operation(request);
                SigV4Verifier.Result verdict = SigV4Verifier.verify(request, this::secret, Instant.now());
                String bodyHash = SigV4Verifier.bodyHashProblem(request);
                if (protocol == null) {
                    problems.add("request signed for unknown service " + service);
                    reply = Reply.xml(400, "<ErrorResponse><Error><Code>UnknownService</Code></Error></ErrorResponse>");
                } else if (!verdict.valid() || bodyHash != null) {
                    String why = verdict.valid() ? bodyHash : verdict.problem();
                    boolean unknownKey = "unknown access key id".equals(why);
                    reply = protocol.error(unknownKey ? 403 : 403, unknownKey ? protocol.unknownKeyCode : protocol.badSignatureCode,
                            unknownKey ? "The security token included in the request is invalid."
                                    : "The request signature we calculated does not match the signature you provided. "
                                    + "Check your AWS Secret Access Key and signing method.");
                } else if (request.first("X-Amz-Security-Token") != null
                        && !request.first("X-Amz-Security-Token").equals(sessionTokens.get(accessKey))) {
                    reply = protocol.error(403, protocol.unknownKeyCode, "The security token included in the request is invalid.");
                } else if (sessionTokens.containsKey(accessKey) && request.first("X-Amz-Security-Token") == null) {
                    reply = protocol.error(403, protocol.unknownKeyCode, "The security token included in the request is invalid.");
                } else {
                    Injected failure = nextFailure(operation);
                    if (failure != null) {
                        reply = protocol.error(failure.status(), failure.code(), failure.message());
                    } else {
                        reply = switch (protocol) {
                            case ACM -> acm(operation, region, request);
                            case CLOUDFRONT -> cloudFront(region, request);
                            case ELB -> elb(operation, region, request);
                            case STS -> sts(operation, accessKey, request);
                        };
                    }
                }
            }
        } catch (Fault fault) {
            problems.add(service + " " + operation + ": " + fault.getMessage());
            reply = Objects.requireNonNull(Protocol.of(service), "protocol").error(400, "ValidationError", "fake: " + fault.getMessage());
        } catch (RuntimeException e) {
            problems.add(service + " " + operation + ": the fake failed: " + e);
            reply = Reply.xml(500, "<ErrorResponse><Error><Code>InternalFailure</Code><Message>" + e + "</Message></Error></ErrorResponse>");
        }
        calls.add(new Call(service, operation, region, accessKey, reply.status));
        bodies.add(reply.body);
        reply.headers.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        exchange.getResponseHeaders().add("x-amzn-RequestId", UUID.randomUUID().toString());
        byte[] out = reply.body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", reply.contentType);
        exchange.sendResponseHeaders(reply.status, out.length == 0 ? -1 : out.length);
        if (out.length > 0) {
            exchange.getResponseBody().write(out);
        }
        exchange.close();
    }

    private String secret(String accessKeyId) {
        return secrets.get(accessKeyId);
    }

    private Injected nextFailure(String operation) {
        Deque<Injected> queue = injected.get(operation);
        if (queue == null) {
            return null;
        }
        synchronized (queue) {
            return queue.poll();
        }
    }

    /** A request that breaks AWS's documented format. */
    private static final class Fault extends RuntimeException {
        Fault(String message) {
            super(message);
        }
    }

    private record Reply(int status, String contentType, String body, Map<String, String> headers) {
        static Reply xml(int status, String body) {
            return new Reply(status, "text/xml", body, Map.of());
        }

        static Reply xml(int status, String body, Map<String, String> headers) {
            return new Reply(status, "text/xml", body, headers);
        }

        static Reply json(int status, String body) {
            return new Reply(status, "application/x-amz-json-1.1", body, Map.of());
        }
    }

    /** The four wire formats, told apart by the service in the signature's credential scope. */
    private enum Protocol {
        ACM("acm", "InvalidSignatureException", "UnrecognizedClientException"),
        CLOUDFRONT("cloudfront", "SignatureDoesNotMatch", "InvalidClientTokenId"),
        ELB("elasticloadbalancing", "SignatureDoesNotMatch", "InvalidClientTokenId"),
        STS("sts", "SignatureDoesNotMatch", "InvalidClientTokenId");

        final String service;
        final String badSignatureCode;
        final String unknownKeyCode;

        Protocol(String service, String badSignatureCode, String unknownKeyCode) {
            this.service = service;
            this.badSignatureCode = badSignatureCode;
            this.unknownKeyCode = unknownKeyCode;
        }

        static Protocol of(String service) {
            for (Protocol p : values()) {
                if (p.service.equals(service)) {
                    return p;
                }
            }
            return null;
        }

        String operation(SigV4Verifier.Request request) {
            return switch (this) {
                case ACM -> {
                    String target = request.first("X-Amz-Target");
                    yield target != null && target.startsWith("CertificateManager.") ? target.substring("CertificateManager.".length()) : "?";
                }
                case CLOUDFRONT -> cloudFrontOperation(request);
                case ELB, STS -> {
                    String action = form(request).get("Action");
                    yield action == null ? "?" : action;
                }
            };
        }

        Reply error(int status, String code, String message) {
            return switch (this) {
                case ACM -> Reply.json(status, "{\"__type\":\"" + code + "\",\"message\":\"" + jsonEscape(message) + "\"}");
                case CLOUDFRONT -> Reply.xml(status, "<?xml version=\"1.0\"?><ErrorResponse xmlns=\"" + CLOUDFRONT_NS + "\"><Error>"
                        + "<Type>Sender</Type><Code>" + code + "</Code><Message>" + xmlEscape(message) + "</Message></Error>"
                        + "<RequestId>" + UUID.randomUUID() + "</RequestId></ErrorResponse>");
                case ELB, STS -> Reply.xml(status, "<ErrorResponse xmlns=\"" + (this == ELB ? ELB_NS : STS_NS) + "\"><Error>"
                        + "<Type>Sender</Type><Code>" + code + "</Code><Message>" + xmlEscape(message) + "</Message></Error>"
                        + "<RequestId>" + UUID.randomUUID() + "</RequestId></ErrorResponse>");
            };
        }
    }

    // ---- ACM (JSON 1.1) ----

    private Reply acm(String operation, String region, SigV4Verifier.Request request) {
        require("POST".equals(request.method()) && "/".equals(request.rawPath()), "ACM is POST /");
        require(String.valueOf(request.first("Content-Type")).startsWith("application/x-amz-json-1.1"),
                "ACM takes Content-Type application/x-amz-json-1.1, not " + request.first("Content-Type"));
        JsonNode in;
        try {
            in = JSON.readTree(request.body());
        } catch (IOException e) {
            throw new Fault("the body is not JSON");
        }
        ObjectNode out = JSON.createObjectNode();
        switch (operation) {
            case "ImportCertificate" -> {
                String leafPem = blob(in, "Certificate", true);
                String keyPem = blob(in, "PrivateKey", true);
                String chainPem = blob(in, "CertificateChain", false);
                X509Certificate leaf = single(leafPem, "Certificate");
                if (!keyMatches(keyPem, leaf)) {
                    return Protocol.ACM.error(400, "ValidationException", "The private key is not supported or does not match the certificate.");
                }
                if (chainPem != null && !signedBy(leaf, PemCertificates.parseChain(chainPem).get(0))) {
                    return Protocol.ACM.error(400, "ValidationException", "The certificate chain does not validate the certificate.");
                }
                AcmCertificate certificate;
                if (in.hasNonNull("CertificateArn")) {
                    certificate = certificates.get(in.get("CertificateArn").asText());
                    if (certificate == null || !certificate.region.equals(region)) {
                        return Protocol.ACM.error(400, "ResourceNotFoundException", "Could not find certificate " + in.get("CertificateArn").asText());
                    }
                } else {
                    certificate = new AcmCertificate("arn:aws:acm:" + region + ":" + ACCOUNT + ":certificate/" + UUID.randomUUID(), region);
                }
                certificate.leaf = leaf;
                certificate.certificatePem = leafPem;
                certificate.chainPem = chainPem;
                certificate.importedAt = Instant.now();
                certificates.put(certificate.arn, certificate);
                out.put("CertificateArn", certificate.arn);
            }
            case "DescribeCertificate" -> {
                AcmCertificate c = known(in, region);
                if (c == null) {
                    return Protocol.ACM.error(400, "ResourceNotFoundException", "Could not find certificate " + in.path("CertificateArn").asText());
                }
                ObjectNode d = out.putObject("Certificate");
                d.put("CertificateArn", c.arn);
                List<String> names = io.certflow.deployment.target.ServedCertificate.of(c.leaf).dnsNames();
                d.put("DomainName", names.isEmpty() ? "" : names.get(0));
                ArrayNode sans = d.putArray("SubjectAlternativeNames");
                names.forEach(sans::add);
                d.put("Serial", colonHex(c.leaf.getSerialNumber().toByteArray()));
                d.put("Subject", c.leaf.getSubjectX500Principal().getName());
                d.put("Issuer", c.leaf.getIssuerX500Principal().getName());
                d.put("ImportedAt", c.importedAt.getEpochSecond());
                d.put("NotBefore", c.leaf.getNotBefore().toInstant().getEpochSecond());
                d.put("NotAfter", c.leaf.getNotAfter().toInstant().getEpochSecond());
                d.put("Status", "ISSUED");
                d.put("Type", "IMPORTED");
                d.put("KeyAlgorithm", "EC_prime256v1");
                ArrayNode inUse = d.putArray("InUseBy");
                inUseBy(c.arn).forEach(inUse::add);
            }
            case "GetCertificate" -> {
                AcmCertificate c = known(in, region);
                if (c == null) {
                    return Protocol.ACM.error(400, "ResourceNotFoundException", "Could not find certificate " + in.path("CertificateArn").asText());
                }
                out.put("Certificate", c.certificatePem);
                if (c.chainPem != null) {
                    out.put("CertificateChain", c.chainPem);
                }
            }
            case "DeleteCertificate" -> {
                AcmCertificate c = known(in, region);
                if (c == null) {
                    return Protocol.ACM.error(400, "ResourceNotFoundException", "Could not find certificate " + in.path("CertificateArn").asText());
                }
                if (!inUseBy(c.arn).isEmpty()) {
                    return Protocol.ACM.error(400, "ResourceInUseException", "Certificate " + c.arn + " in use by " + inUseBy(c.arn));
                }
                certificates.remove(c.arn);
            }
            case "ListCertificates" -> {
                ArrayNode list = out.putArray("CertificateSummaryList");
                List<String> keyTypes = new ArrayList<>();
                in.path("Includes").path("keyTypes").forEach(k -> keyTypes.add(k.asText()));
                certificates.values().stream().filter(c -> c.region.equals(region))
                        .filter(c -> keyTypes.contains("EC_prime256v1")) // ACM lists only RSA_2048 unless asked
                        .forEach(c -> {
                            ObjectNode s = list.addObject();
                            List<String> names = io.certflow.deployment.target.ServedCertificate.of(c.leaf).dnsNames();
                            s.put("CertificateArn", c.arn);
                            s.put("DomainName", names.isEmpty() ? "" : names.get(0));
                            ArrayNode sans = s.putArray("SubjectAlternativeNameSummaries");
                            names.forEach(sans::add);
                            s.put("Type", "IMPORTED");
                            s.put("Status", "ISSUED");
                            s.put("KeyAlgorithm", "EC_prime256v1");
                            s.put("InUse", !inUseBy(c.arn).isEmpty());
                        });
            }
            default -> throw new Fault("unknown ACM operation " + operation + " (X-Amz-Target " + request.first("X-Amz-Target") + ")");
        }
        return Reply.json(200, out.toString());
    }

    private AcmCertificate known(JsonNode in, String region) {
        if (!in.hasNonNull("CertificateArn")) {
            throw new Fault("CertificateArn is required");
        }
        AcmCertificate c = certificates.get(in.get("CertificateArn").asText());
        return c == null || !c.region.equals(region) ? null : c;
    }

    private static String blob(JsonNode in, String field, boolean required) {
        if (!in.hasNonNull(field)) {
            if (required) {
                throw new Fault(field + " is required");
            }
            return null;
        }
        try {
            return new String(Base64.getDecoder().decode(in.get(field).asText()), StandardCharsets.US_ASCII);
        } catch (IllegalArgumentException e) {
            throw new Fault(field + " is not base64 (a JSON 1.1 blob)");
        }
    }

    private static X509Certificate single(String pem, String field) {
        List<X509Certificate> parsed;
        try {
            parsed = PemCertificates.parseChain(pem);
        } catch (IllegalArgumentException e) {
            throw new Fault(field + " is not a PEM certificate");
        }
        if (parsed.size() != 1) {
            throw new Fault(field + " must hold the leaf alone (the chain goes in CertificateChain)");
        }
        return parsed.get(0);
    }

    private static boolean keyMatches(String keyPem, X509Certificate leaf) {
        try (PEMParser parser = new PEMParser(new StringReader(keyPem))) {
            Object object = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            PrivateKey key = object instanceof PEMKeyPair pair ? converter.getKeyPair(pair).getPrivate()
                    : converter.getPrivateKey((PrivateKeyInfo) object);
            String algorithm = "EC".equals(key.getAlgorithm()) ? "SHA256withECDSA" : "SHA256withRSA";
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(new byte[]{1, 2, 3});
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(leaf.getPublicKey());
            verifier.update(new byte[]{1, 2, 3});
            return verifier.verify(signature);
        } catch (Exception e) {
            return false;
        }
    }

    private static boolean signedBy(X509Certificate leaf, X509Certificate issuer) {
        try {
            leaf.verify(issuer.getPublicKey());
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static String colonHex(byte[] bytes) {
        StringBuilder out = new StringBuilder();
        for (int i = bytes[0] == 0 && bytes.length > 1 ? 1 : 0; i < bytes.length; i++) {
            if (!out.isEmpty()) {
                out.append(':');
            }
            out.append(String.format(Locale.ROOT, "%02x", bytes[i] & 0xff));
        }
        return out.toString();
    }

    // ---- CloudFront (REST-XML, API version 2020-05-31) ----

    private static String cloudFrontOperation(SigV4Verifier.Request request) {
        String path = request.rawPath();
        String method = request.method();
        if ("GET".equals(method) && "/2020-05-31/distribution".equals(path)) {
            return "ListDistributions";
        }
        if (path.matches("/2020-05-31/distribution/[A-Z0-9]+")) {
            return "GET".equals(method) ? "GetDistribution" : "?";
        }
        if (path.matches("/2020-05-31/distribution/[A-Z0-9]+/config")) {
            return "GET".equals(method) ? "GetDistributionConfig" : "PUT".equals(method) ? "UpdateDistribution" : "?";
        }
        return "?";
    }

    private Reply cloudFront(String region, SigV4Verifier.Request request) {
        require("us-east-1".equals(region), "CloudFront requests are signed for us-east-1, not " + region);
        String operation = cloudFrontOperation(request);
        if ("ListDistributions".equals(operation)) {
            Map<String, String> query = query(request.rawQuery());
            int max = Math.min(pageSize, query.containsKey("MaxItems") ? Integer.parseInt(query.get("MaxItems")) : 100);
            List<Distribution> all = distributions.values().stream().sorted((a, b) -> a.id.compareTo(b.id)).toList();
            String marker = query.getOrDefault("Marker", "");
            List<Distribution> from = all.stream().filter(d -> marker.isEmpty() || d.id.compareTo(marker) >= 0).toList();
            List<Distribution> page = from.subList(0, Math.min(max, from.size()));
            boolean truncated = from.size() > page.size();
            StringBuilder xml = new StringBuilder("<?xml version=\"1.0\"?><DistributionList xmlns=\"" + CLOUDFRONT_NS + "\">"
                    + "<Marker>" + marker + "</Marker>" + (truncated ? "<NextMarker>" + from.get(page.size()).id + "</NextMarker>" : "")
                    + "<MaxItems>" + max + "</MaxItems><IsTruncated>" + truncated + "</IsTruncated><Quantity>" + page.size()
                    + "</Quantity>");
            if (!page.isEmpty()) {
                xml.append("<Items>");
                for (Distribution d : page) {
                    Element config = parse(d.configXml).getDocumentElement();
                    xml.append("<DistributionSummary><Id>").append(d.id).append("</Id><ARN>").append(d.arn())
                            .append("</ARN><Status>Deployed</Status><LastModifiedTime>").append(d.lastModified)
                            .append("</LastModifiedTime><DomainName>").append(d.domainName).append("</DomainName>")
                            .append(inner(child(config, "Aliases"))).append(inner(child(config, "Origins")))
                            .append(inner(child(config, "DefaultCacheBehavior"))).append(inner(child(config, "CacheBehaviors")))
                            .append(inner(child(config, "CustomErrorResponses"))).append(inner(child(config, "Comment")))
                            .append(inner(child(config, "PriceClass"))).append(inner(child(config, "Enabled")))
                            .append(inner(child(config, "ViewerCertificate"))).append(inner(child(config, "Restrictions")))
                            .append("<WebACLId></WebACLId><HttpVersion>http2</HttpVersion><IsIPV6Enabled>true</IsIPV6Enabled>"
                                    + "<Staging>false</Staging></DistributionSummary>");
                }
                xml.append("</Items>");
            }
            return Reply.xml(200, xml.append("</DistributionList>").toString());
        }
        String id = request.rawPath().split("/")[3];
        Distribution d = distributions.get(id);
        if (d == null) {
            return Protocol.CLOUDFRONT.error(404, "NoSuchDistribution", "The specified distribution does not exist.");
        }
        switch (operation) {
            case "GetDistribution" -> {
                return Reply.xml(200, distributionXml(d, "Deployed"), Map.of("ETag", d.etag));
            }
            case "GetDistributionConfig" -> {
                return Reply.xml(200, "<?xml version=\"1.0\"?>" + d.configXml, Map.of("ETag", d.etag));
            }
            case "UpdateDistribution" -> {
                return updateDistribution(d, request);
            }
            default -> throw new Fault("unknown CloudFront request " + request.method() + " " + request.rawPath());
        }
    }

    private synchronized Reply updateDistribution(Distribution d, SigV4Verifier.Request request) {
        String ifMatch = request.first("If-Match");
        if (ifMatch == null) {
            return Protocol.CLOUDFRONT.error(400, "InvalidIfMatchVersion", "The If-Match version is missing or not valid for the resource.");
        }
        if (!ifMatch.equals(d.etag)) {
            return Protocol.CLOUDFRONT.error(412, "PreconditionFailed", "The precondition given in one or more of the request-header fields evaluated to false.");
        }
        Document sent;
        try {
            sent = DocumentBuilderFactory.newNSInstance().newDocumentBuilder().parse(new ByteArrayInputStream(request.body()));
        } catch (Exception e) {
            return Protocol.CLOUDFRONT.error(400, "MalformedXML", "The XML document you provided was not well-formed.");
        }
        Element config = sent.getDocumentElement();
        require("DistributionConfig".equals(config.getLocalName()) && CLOUDFRONT_NS.equals(config.getNamespaceURI()),
                "UpdateDistribution takes a DistributionConfig in namespace " + CLOUDFRONT_NS);
        Element stored = parse(d.configXml).getDocumentElement();
        if (!Objects.equals(text(config, "CallerReference"), text(stored, "CallerReference"))) {
            return Protocol.CLOUDFRONT.error(400, "IllegalUpdate", "The CallerReference cannot be changed.");
        }
        // every setting but the viewer certificate must come back as it was (UpdateDistribution replaces the whole config)
        if (!canonical(config, "ViewerCertificate").equals(canonical(stored, "ViewerCertificate"))) {
            throw new Fault("UpdateDistribution changed more than the viewer certificate (or dropped settings):\n sent   "
                    + canonical(config, "ViewerCertificate") + "\n stored " + canonical(stored, "ViewerCertificate"));
        }
        Element viewer = viewer(config);
        require(viewer != null, "ViewerCertificate is missing");
        String acmArn = text(viewer, "ACMCertificateArn");
        boolean defaultCertificate = "true".equals(text(viewer, "CloudFrontDefaultCertificate"));
        if (acmArn != null) {
            if (defaultCertificate || text(viewer, "IAMCertificateId") != null) {
                return Protocol.CLOUDFRONT.error(400, "InvalidViewerCertificate", "Specify only one of ACMCertificateArn, IAMCertificateId or CloudFrontDefaultCertificate.");
            }
            if (text(viewer, "SSLSupportMethod") == null || text(viewer, "MinimumProtocolVersion") == null) {
                return Protocol.CLOUDFRONT.error(400, "InvalidViewerCertificate", "SSLSupportMethod and MinimumProtocolVersion are required with ACMCertificateArn.");
            }
            AcmCertificate c = certificates.get(acmArn);
            if (c == null || !"us-east-1".equals(c.region)) {
                return Protocol.CLOUDFRONT.error(400, "InvalidViewerCertificate", "The specified SSL certificate doesn't exist, isn't in us-east-1 region, isn't valid, or doesn't include a valid certificate chain.");
            }
            List<String> names = io.certflow.deployment.target.ServedCertificate.of(c.leaf).dnsNames();
            for (String alias : d.aliases()) {
                if (!covers(names, alias)) {
                    return Protocol.CLOUDFRONT.error(400, "InvalidViewerCertificate", "The certificate that is attached to your distribution doesn't cover the alternate domain name (CNAME) that you're trying to add.");
                }
            }
        } else if (defaultCertificate && !d.aliases().isEmpty()) {
            return Protocol.CLOUDFRONT.error(400, "InvalidViewerCertificate", "To add an alternate domain name (CNAME) to a CloudFront distribution, you must attach a trusted certificate that validates your authorization to use the domain name.");
        }
        d.configXml = serialize(config);
        d.etag = newEtag();
        d.lastModified = Instant.now();
        afterUpdateDistribution.accept(d);
        return Reply.xml(200, distributionXml(d, "InProgress"), Map.of("ETag", d.etag));
    }

    /** Sets a distribution's viewer certificate directly (another actor, in a test). */
    void setViewerCertificate(Distribution d, String acmArn) {
        Document doc = parse(d.configXml);
        Element viewer = viewer(doc.getDocumentElement());
        while (viewer.getFirstChild() != null) {
            viewer.removeChild(viewer.getFirstChild());
        }
        for (String[] field : new String[][]{{"CloudFrontDefaultCertificate", "false"}, {"ACMCertificateArn", acmArn},
                {"SSLSupportMethod", "sni-only"}, {"MinimumProtocolVersion", "TLSv1.2_2021"}}) {
            Element e = doc.createElementNS(CLOUDFRONT_NS, field[0]);
            e.setTextContent(field[1]);
            viewer.appendChild(e);
        }
        d.configXml = serialize(doc.getDocumentElement());
        d.etag = newEtag();
    }

    private static String distributionXml(Distribution d, String status) {
        return "<?xml version=\"1.0\"?><Distribution xmlns=\"" + CLOUDFRONT_NS + "\"><Id>" + d.id + "</Id><ARN>" + d.arn()
                + "</ARN><Status>" + status + "</Status><LastModifiedTime>" + d.lastModified + "</LastModifiedTime>"
                + "<InProgressInvalidationBatches>0</InProgressInvalidationBatches><DomainName>" + d.domainName
                + "</DomainName><ActiveTrustedSigners><Enabled>false</Enabled><Quantity>0</Quantity></ActiveTrustedSigners>"
                + d.configXml.replaceFirst(" xmlns=\"[^\"]*\"", "") + "</Distribution>";
    }

    private static boolean covers(List<String> names, String host) {
        for (String name : names) {
            if (name.equalsIgnoreCase(host)) {
                return true;
            }
            if (name.startsWith("*.") && host.indexOf('.') > 0
                    && host.substring(host.indexOf('.') + 1).equalsIgnoreCase(name.substring(2))) {
                return true;
            }
        }
        return false;
    }

    // ---- ELBv2 (Query, API version 2015-12-01) ----

    private Reply elb(String operation, String region, SigV4Verifier.Request request) {
        Map<String, String> form = queryBody(request, "2015-12-01");
        StringBuilder result = new StringBuilder();
        switch (operation) {
            case "DescribeLoadBalancers" -> {
                List<LoadBalancer> all = loadBalancers.values().stream().filter(lb -> lb.region().equals(region))
                        .sorted((a, b) -> a.arn().compareTo(b.arn())).toList();
                Page<LoadBalancer> page = page(all, LoadBalancer::arn, form.get("Marker"));
                result.append("<LoadBalancers>");
                for (LoadBalancer lb : page.items) {
                    result.append("<member><LoadBalancerArn>").append(lb.arn()).append("</LoadBalancerArn><DNSName>")
                            .append(lb.name()).append("-1234567890.").append(region).append(".elb.amazonaws.com</DNSName>")
                            .append("<LoadBalancerName>").append(lb.name()).append("</LoadBalancerName><Scheme>internet-facing</Scheme>")
                            .append("<VpcId>vpc-3ac0fb5f</VpcId><State><Code>active</Code></State><Type>").append(lb.type())
                            .append("</Type><IpAddressType>ipv4</IpAddressType></member>");
                }
                result.append("</LoadBalancers>").append(page.next == null ? "" : "<NextMarker>" + page.next + "</NextMarker>");
            }
            case "DescribeListeners" -> {
                String lbArn = form.get("LoadBalancerArn");
                List<String> arns = members(form, "ListenerArns");
                if ((lbArn == null) == arns.isEmpty()) {
                    return Protocol.ELB.error(400, "ValidationError", "Exactly one of LoadBalancerArn or ListenerArns must be specified");
                }
                List<Listener> found = new ArrayList<>();
                if (lbArn != null) {
                    if (!loadBalancers.containsKey(lbArn)) {
                        return Protocol.ELB.error(400, "LoadBalancerNotFound", "One or more load balancers not found");
                    }
                    listeners.values().stream().filter(l -> l.loadBalancer.arn().equals(lbArn))
                            .sorted((a, b) -> a.arn.compareTo(b.arn)).forEach(found::add);
                } else {
                    for (String arn : arns) {
                        Listener l = listeners.get(arn);
                        if (l == null || !l.loadBalancer.region().equals(region)) {
                            return Protocol.ELB.error(400, "ListenerNotFound", "One or more listeners not found");
                        }
                        found.add(l);
                    }
                }
                Page<Listener> page = page(found, l -> l.arn, form.get("Marker"));
                result.append("<Listeners>");
                page.items.forEach(l -> result.append(listenerXml(l)));
                result.append("</Listeners>").append(page.next == null ? "" : "<NextMarker>" + page.next + "</NextMarker>");
            }
            case "ModifyListener" -> {
                String arn = form.get("ListenerArn");
                require(arn != null, "ListenerArn is required");
                Listener l = listeners.get(arn);
                if (l == null || !l.loadBalancer.region().equals(region)) {
                    return Protocol.ELB.error(400, "ListenerNotFound", "One or more listeners not found");
                }
                List<String> certificateArns = members(form, "Certificates", "CertificateArn");
                require(certificateArns.size() <= 1, "ModifyListener takes one certificate (the default)");
                if (!certificateArns.isEmpty()) {
                    String certificateArn = certificateArns.get(0);
                    AcmCertificate c = certificates.get(certificateArn);
                    if (c == null || !c.region.equals(region)) {
                        return Protocol.ELB.error(400, "CertificateNotFound", "Certificate '" + certificateArn + "' not found");
                    }
                    if (!"HTTPS".equals(l.protocol) && !"TLS".equals(l.protocol)) {
                        return Protocol.ELB.error(400, "ValidationError", "A certificate cannot be specified for " + l.protocol + " listeners");
                    }
                    l.certificateArn = certificateArn;
                    afterModifyListener.accept(l);
                }
                result.append("<Listeners>").append(listenerXml(l)).append("</Listeners>");
            }
            default -> throw new Fault("unknown ELBv2 action " + operation);
        }
        return Reply.xml(200, "<" + operation + "Response xmlns=\"" + ELB_NS + "\"><" + operation + "Result>" + result
                + "</" + operation + "Result><ResponseMetadata><RequestId>" + UUID.randomUUID()
                + "</RequestId></ResponseMetadata></" + operation + "Response>");
    }

    private static String listenerXml(Listener l) {
        return "<member><ListenerArn>" + l.arn + "</ListenerArn><LoadBalancerArn>" + l.loadBalancer.arn()
                + "</LoadBalancerArn><Port>" + l.port + "</Port><Protocol>" + l.protocol + "</Protocol>"
                + (l.certificateArn == null ? "" : "<Certificates><member><CertificateArn>" + l.certificateArn
                + "</CertificateArn></member></Certificates><SslPolicy>ELBSecurityPolicy-TLS13-1-2-2021-06</SslPolicy>")
                + "<DefaultActions><member><Type>forward</Type><TargetGroupArn>arn:aws:elasticloadbalancing:"
                + l.loadBalancer.region() + ":" + ACCOUNT + ":targetgroup/tg/0123456789abcdef</TargetGroupArn></member></DefaultActions></member>";
    }

    private record Page<T>(List<T> items, String next) {
    }

    private <T> Page<T> page(List<T> all, java.util.function.Function<T, String> key, String marker) {
        List<T> from = marker == null ? all : all.stream().filter(t -> key.apply(t).compareTo(marker) >= 0).toList();
        List<T> items = from.subList(0, Math.min(pageSize, from.size()));
        return new Page<>(items, from.size() > items.size() ? key.apply(from.get(items.size())) : null);
    }

    // ---- STS (Query, API version 2011-06-15) ----

    private Reply sts(String operation, String accessKey, SigV4Verifier.Request request) {
        Map<String, String> form = queryBody(request, "2011-06-15");
        require("AssumeRole".equals(operation), "unknown STS action " + operation);
        String roleArn = form.get("RoleArn");
        require(roleArn != null && form.get("RoleSessionName") != null, "RoleArn and RoleSessionName are required");
        String externalId = roles.get(roleArn);
        if (externalId == null || (!externalId.isEmpty() && !externalId.equals(form.get("ExternalId")))) {
            return Protocol.STS.error(403, "AccessDenied", "User: arn:aws:iam::" + ACCOUNT + ":user/certflow is not authorized "
                    + "to perform: sts:AssumeRole on resource: " + roleArn);
        }
        String tempKey = "ASIA" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toUpperCase(Locale.ROOT);
        String tempSecret = UUID.randomUUID() + "/" + UUID.randomUUID();
        String token = Base64.getEncoder().encodeToString(UUID.randomUUID().toString().getBytes(StandardCharsets.US_ASCII));
        secrets.put(tempKey, tempSecret);
        sessionTokens.put(tempKey, token);
        return Reply.xml(200, "<AssumeRoleResponse xmlns=\"" + STS_NS + "\"><AssumeRoleResult><Credentials><AccessKeyId>"
                + tempKey + "</AccessKeyId><SecretAccessKey>" + tempSecret + "</SecretAccessKey><SessionToken>" + token
                + "</SessionToken><Expiration>" + Instant.now().plusSeconds(900) + "</Expiration></Credentials>"
                + "<AssumedRoleUser><Arn>" + roleArn.replace(":iam::", ":sts::").replace(":role/", ":assumed-role/") + "/"
                + form.get("RoleSessionName") + "</Arn><AssumedRoleId>AROA3XFRBF535PLBIFPI4:" + form.get("RoleSessionName")
                + "</AssumedRoleId></AssumedRoleUser></AssumeRoleResult><ResponseMetadata><RequestId>" + UUID.randomUUID()
                + "</RequestId></ResponseMetadata></AssumeRoleResponse>");
    }

    /** Temporary keys the fake's STS handed out. */
    List<String> sessionKeys() {
        return List.copyOf(sessionTokens.keySet());
    }

    // ---- helpers ----

    private static Map<String, String> queryBody(SigV4Verifier.Request request, String version) {
        require("POST".equals(request.method()) && "/".equals(request.rawPath()), "the Query API is POST /");
        require(String.valueOf(request.first("Content-Type")).startsWith("application/x-www-form-urlencoded"),
                "the Query API takes a form body, not " + request.first("Content-Type"));
        Map<String, String> form = form(request);
        require(version.equals(form.get("Version")), "Version must be " + version + ", not " + form.get("Version"));
        return form;
    }

    private static Map<String, String> form(SigV4Verifier.Request request) {
        return query(new String(request.body(), StandardCharsets.UTF_8));
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            out.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                    eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    /** {@code name.member.1}, {@code name.member.2}… (or {@code name.member.N.field}). */
    private static List<String> members(Map<String, String> form, String name, String... field) {
        List<String> out = new ArrayList<>();
        for (int i = 1; ; i++) {
            String value = form.get(name + ".member." + i + (field.length == 0 ? "" : "." + field[0]));
            if (value == null) {
                return out;
            }
            out.add(value);
        }
    }

    private static void require(boolean condition, String problem) {
        if (!condition) {
            throw new Fault(problem);
        }
    }

    private static Document parse(String xml) {
        try {
            return DocumentBuilderFactory.newNSInstance().newDocumentBuilder()
                    .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String serialize(Element element) {
        try {
            var transformer = javax.xml.transform.TransformerFactory.newInstance().newTransformer();
            transformer.setOutputProperty(javax.xml.transform.OutputKeys.OMIT_XML_DECLARATION, "yes");
            var out = new java.io.StringWriter();
            transformer.transform(new javax.xml.transform.dom.DOMSource(element), new javax.xml.transform.stream.StreamResult(out));
            return out.toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String inner(Element element) {
        return element == null ? "" : serialize(element).replaceFirst(" xmlns=\"[^\"]*\"", "");
    }

    private static Element viewer(Element config) {
        return child(config, "ViewerCertificate");
    }

    private static Element child(Element parent, String name) {
        List<Element> found = children(parent, name);
        return found.isEmpty() ? null : found.get(0);
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        if (parent == null) {
            return out;
        }
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && name.equals(e.getLocalName())) {
                out.add(e);
            }
        }
        return out;
    }

    private static String text(Element parent, String name) {
        Element e = child(parent, name);
        return e == null || e.getTextContent().isBlank() ? null : e.getTextContent().strip();
    }

    /** An order-insensitive form of an element without {@code skip}, empty elements left out. */
    private static String canonical(Element element, String skip) {
        List<String> parts = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (Node n = element.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                if (!e.getLocalName().equals(skip)) {
                    String c = canonical(e, skip);
                    if (!c.equals("<" + e.getLocalName() + "></" + e.getLocalName() + ">")) {
                        parts.add(c);
                    }
                }
            } else if (n.getNodeType() == Node.TEXT_NODE || n.getNodeType() == Node.CDATA_SECTION_NODE) {
                text.append(n.getNodeValue());
            }
        }
        parts.sort(null);
        return "<" + element.getLocalName() + ">" + text.toString().strip() + String.join("", parts) + "</" + element.getLocalName() + ">";
    }

    private static String newEtag() {
        return "E" + UUID.randomUUID().toString().replace("-", "").substring(0, 13).toUpperCase(Locale.ROOT);
    }

    private String hexId() {
        return Integer.toHexString(ids.incrementAndGet()) + "0123456789abcdef".substring(0, 12);
    }

    private static String xmlEscape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String jsonEscape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
