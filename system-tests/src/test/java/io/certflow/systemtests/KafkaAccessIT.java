package io.certflow.systemtests;

import io.certflow.devstack.Ports;
import io.certflow.devstack.StackConfig;
import io.certflow.events.EventType;
import io.certflow.events.Topics;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The production Kafka of {@code docker-compose.yml} keeps each service to its own topics. The compose file's own
 * scripts, {@code deploy/kafka/start.sh} and {@code grant-access.sh}, run here for real against a Kafka 3.9 broker from
 * the same Maven Central jars as devstack's (the {@code kafka-*.sh} wrappers of the image are replaced by one-line
 * equivalents calling the same main classes): SASL/SCRAM users, the StandardAuthorizer, and the ACLs of
 * {@code deploy/kafka/access.properties}. The table itself is checked against the code: what each service's listeners
 * consume and which events it creates.
 */
class KafkaAccessIT {

    private static final Path REPO = StackConfig.locateRepoRoot();
    private static final Path KAFKA_DEPLOY = REPO.resolve("deploy/kafka");
    private static final List<String> SERVICES = List.of("order-service", "verification-service", "issuance-service",
            "hosting-service", "deployment-service");

    @TempDir
    static Path home;

    static Process broker;
    static String bootstrap;
    static String adminPassword;
    static final Map<String, String> passwords = new HashMap<>();
    static Map<String, Access> table;

    /** What one Kafka user may do, from {@code access.properties}. */
    record Access(Set<String> produces, Set<String> consumes) {
    }

    @BeforeAll
    static void startTheComposeBrokerAndGrantAccess() throws Exception {
        table = readAccessTable();
        Path lib = StackConfig.forTests(home, Set.of()).libDir();
        Path bin = writeToolWrappers(lib);
        Ports ports = Ports.free();
        bootstrap = "127.0.0.1:" + ports.kafka();
        adminPassword = newPassword();
        table.keySet().forEach(user -> passwords.put(user, newPassword()));

        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BIN", bin.toString());
        env.put("CERTFLOW_KAFKA_ADMIN_PASSWORD", adminPassword);
        env.put("KAFKA_PORT", Integer.toString(ports.kafka()));
        env.put("KAFKA_CONTROLLER_PORT", Integer.toString(ports.kafkaController()));
        env.put("KAFKA_ADVERTISED_HOST", "127.0.0.1");
        env.put("KAFKA_LOG_DIRS", home.resolve("data").toString());
        env.put("KAFKA_CONFIG", home.resolve("config/server.properties").toString());
        broker = run(KAFKA_DEPLOY.resolve("start.sh"), env, home.resolve("broker.log"));

        try (Admin admin = Admin.create(clientProperties("admin", adminPassword))) {
            awaitBroker(admin);
            // the image's kafka-topics.sh is not among the Maven Central jars: the topics grant-access.sh would create
            List<NewTopic> topics = new ArrayList<>();
            for (String topic : Topics.ALL) {
                topics.add(new NewTopic(topic, 1, (short) 1));
                topics.add(new NewTopic(Topics.deadLetter(topic), 1, (short) 1));
            }
            admin.createTopics(topics).all().get(60, TimeUnit.SECONDS);
        }

        Map<String, String> grantEnv = new HashMap<>();
        grantEnv.put("KAFKA_BIN", bin.toString());
        grantEnv.put("KAFKA_BOOTSTRAP", bootstrap);
        grantEnv.put("CERTFLOW_KAFKA_ADMIN_PASSWORD", adminPassword);
        grantEnv.put("CERTFLOW_CREATE_TOPICS", "no");
        passwords.forEach((user, password) -> grantEnv.put(passwordVariable(user), password));
        Path grantLog = home.resolve("grant-access.log");
        Process grant = run(KAFKA_DEPLOY.resolve("grant-access.sh"), grantEnv, grantLog);
        assertThat(grant.waitFor(5, TimeUnit.MINUTES)).as("grant-access.sh finished").isTrue();
        String output = Files.readString(grantLog);
        assertThat(grant.exitValue()).as(output).isZero();
        assertThat(output).doesNotContain(adminPassword);
        for (String password : passwords.values()) {
            assertThat(output).doesNotContain(password);
        }
    }

    @AfterAll
    static void stopBroker() throws InterruptedException {
        if (broker != null) {
            broker.descendants().forEach(ProcessHandle::destroyForcibly);
            broker.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void theAccessTableSaysWhatTheCodeDoes_everyTopicHasOneWriter() throws IOException {
        for (String service : SERVICES) {
            Path sources = REPO.resolve(service).resolve("src/main/java");
            Set<String> consumed = consumedTopics(sources);
            assertThat(table.get(service).consumes()).as(service + " consumes").isEqualTo(consumed);
            assertThat(table.get(service).produces()).as(service + " produces").isEqualTo(producedTopics(sources, consumed));
        }
        Map<String, List<String>> writers = new HashMap<>();
        table.forEach((user, access) -> access.produces().forEach(t -> writers.computeIfAbsent(t, k -> new ArrayList<>()).add(user)));
        for (String topic : Topics.ALL) {
            assertThat(writers.get(topic)).as("writers of " + topic).hasSize(1);
        }
    }

    @Test
    void eachUserWritesItsOwnTopicsAndTheDeadLettersOfWhatItReads_andNothingElse() throws Exception {
        for (Map.Entry<String, Access> entry : table.entrySet()) {
            String user = entry.getKey();
            Access access = entry.getValue();
            try (KafkaProducer<String, String> producer = producer(user, passwords.get(user))) {
                for (String topic : access.produces()) {
                    producer.send(new ProducerRecord<>(topic, user, "{}")).get(30, TimeUnit.SECONDS);
                }
                for (String topic : access.consumes()) {
                    producer.send(new ProducerRecord<>(Topics.deadLetter(topic), user, "{}")).get(30, TimeUnit.SECONDS);
                }
            }
            String foreign = Topics.ALL.stream().filter(t -> !access.produces().contains(t)).findFirst().orElseThrow();
            try (KafkaProducer<String, String> producer = producer(user, passwords.get(user))) {
                assertThatThrownBy(() -> producer.send(new ProducerRecord<>(foreign, user, "{}")).get(30, TimeUnit.SECONDS))
                        .as(user + " writing " + foreign)
                        .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TopicAuthorizationException.class);
            }
        }
    }

    @Test
    void eachUserReadsWhatItConsumesInItsOwnGroupOnly() {
        for (Map.Entry<String, Access> entry : table.entrySet()) {
            String user = entry.getKey();
            String consumed = entry.getValue().consumes().iterator().next();
            try (KafkaConsumer<String, String> consumer = consumer(user, user)) {
                consumer.subscribe(List.of(consumed));
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (consumer.assignment().isEmpty() && System.nanoTime() < deadline) {
                    consumer.poll(Duration.ofMillis(500));
                }
                assertThat(consumer.assignment()).as(user + " reads " + consumed).isNotEmpty();
            }
            String unread = Topics.ALL.stream().filter(t -> !entry.getValue().consumes().contains(t)).findFirst().orElseThrow();
            try (KafkaConsumer<String, String> consumer = consumer(user, user)) {
                consumer.subscribe(List.of(unread));
                assertThatThrownBy(() -> pollUntilFailure(consumer)).as(user + " reading " + unread)
                        .isInstanceOf(TopicAuthorizationException.class);
            }
            try (KafkaConsumer<String, String> consumer = consumer(user, "someone-elses-group")) {
                consumer.subscribe(List.of(consumed));
                assertThatThrownBy(() -> pollUntilFailure(consumer)).as(user + " in another group")
                        .isInstanceOf(GroupAuthorizationException.class);
            }
        }
    }

    @Test
    void everyUserSeesEveryCertflowTopic_asTheServicesCheckThemAtStartUp() throws Exception {
        for (String user : table.keySet()) {
            try (Admin admin = Admin.create(clientProperties(user, passwords.get(user)))) {
                assertThat(admin.describeTopics(Topics.ALL).allTopicNames().get(30, TimeUnit.SECONDS))
                        .as(user).containsOnlyKeys(Topics.ALL);
            }
        }
    }

    @Test
    void aWrongPasswordIsRefused() {
        try (KafkaProducer<String, String> producer = producer("order-service", newPassword())) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(Topics.CERTIFICATE_REQUESTED, "k", "{}"))
                    .get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(SaslAuthenticationException.class);
        }
    }

    private static void pollUntilFailure(KafkaConsumer<String, String> consumer) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(500));
        }
    }

    // --- the table and the code -------------------------------------------------------------------------------

    static Map<String, Access> readAccessTable() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(KAFKA_DEPLOY.resolve("access.properties"))) {
            properties.load(in);
        }
        Map<String, Access> access = new LinkedHashMap<>();
        for (String name : new TreeSet<>(properties.stringPropertyNames())) {
            String user = name.substring(0, name.lastIndexOf('.'));
            access.put(user, new Access(topics(properties.getProperty(user + ".produces")),
                    topics(properties.getProperty(user + ".consumes"))));
        }
        return access;
    }

    private static Set<String> topics(String list) {
        return list == null ? Set.of() : Stream.of(list.split(",")).map(String::trim).collect(Collectors.toCollection(TreeSet::new));
    }

    /** The topics named by the {@code @KafkaListener}s of a service. */
    private static Set<String> consumedTopics(Path sources) throws IOException {
        Pattern listener = Pattern.compile("@KafkaListener\\(([^)]*)\\)");
        Pattern constant = Pattern.compile("Topics\\.([A-Z_]+)");
        Set<String> topics = new TreeSet<>();
        for (String source : javaSources(sources, false)) {
            Matcher m = listener.matcher(source);
            while (m.find()) {
                Matcher c = constant.matcher(m.group(1));
                while (c.find()) {
                    topics.add(topicOf(c.group(1)));
                }
            }
        }
        return topics;
    }

    /**
     * The topics of the events a service creates (outside its benchmark helpers), less those it consumes: a service
     * may rebuild an event it read (order-service keeps early {@code PurchaseCancelled}s), it publishes its own.
     */
    private static Set<String> producedTopics(Path sources, Set<String> consumed) throws IOException {
        Set<String> topics = new TreeSet<>();
        for (String source : javaSources(sources, true)) {
            for (EventType type : EventType.values()) {
                if (source.contains("new " + type.recordClass().getSimpleName() + "(")) {
                    topics.add(type.topic());
                }
            }
        }
        topics.removeAll(consumed);
        return topics;
    }

    private static List<String> javaSources(Path root, boolean skipBenchmarks) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            List<String> sources = new ArrayList<>();
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                if (!(skipBenchmarks && file.toString().contains("/bench/"))) {
                    sources.add(Files.readString(file));
                }
            }
            return sources;
        }
    }

    private static String topicOf(String constant) {
        try {
            return (String) Topics.class.getField(constant).get(null);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("Topics." + constant + " does not exist", e);
        }
    }

    // --- processes and clients --------------------------------------------------------------------------------

    /** The image's {@code kafka-*.sh} wrappers used by the scripts, as calls of the same main classes. */
    private static Path writeToolWrappers(Path lib) throws IOException {
        Path bin = Files.createDirectories(home.resolve("bin"));
        Path log4j = home.resolve("log4j.properties");
        Files.writeString(log4j, "log4j.rootLogger=WARN, stderr\nlog4j.appender.stderr=org.apache.log4j.ConsoleAppender\n"
                + "log4j.appender.stderr.Target=System.err\nlog4j.appender.stderr.layout=org.apache.log4j.PatternLayout\n"
                + "log4j.appender.stderr.layout.ConversionPattern=[%d] %p %m (%c)%n\n");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Map<String, String> tools = Map.of(
                "kafka-storage.sh", "-Xmx256m kafka.tools.StorageTool",
                "kafka-server-start.sh", "-Xmx512m kafka.Kafka",
                "kafka-configs.sh", "-Xmx128m -XX:TieredStopAtLevel=1 kafka.admin.ConfigCommand",
                "kafka-acls.sh", "-Xmx128m -XX:TieredStopAtLevel=1 kafka.admin.AclCommand");
        for (Map.Entry<String, String> tool : tools.entrySet()) {
            Path script = bin.resolve(tool.getKey());
            Files.writeString(script, "#!/bin/bash\nexec " + java + " -Dlog4j.configuration=" + log4j.toUri()
                    + " -cp '" + lib + "/*' " + tool.getValue() + " \"$@\"\n");
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return bin;
    }

    private static Process run(Path script, Map<String, String> env, Path log) throws IOException {
        ProcessBuilder builder = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(env);
        return builder.start();
    }

    private static void awaitBroker(Admin admin) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (true) {
            try {
                admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                return;
            } catch (Exception e) {
                if (System.nanoTime() > deadline || !broker.isAlive()) {
                    throw new AssertionError("the broker did not start: " + Files.readString(home.resolve("broker.log")), e);
                }
                Thread.sleep(500);
            }
        }
    }

    private static Properties clientProperties(String user, String password) {
        Properties p = new Properties();
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
        p.put(SaslConfigs.SASL_MECHANISM, "SCRAM-SHA-512");
        p.put(SaslConfigs.SASL_JAAS_CONFIG, "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                + user + "\" password=\"" + password + "\";");
        return p;
    }

    private static KafkaProducer<String, String> producer(String user, String password) {
        Properties p = clientProperties(user, password);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 20_000);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 25_000);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 20_000);
        return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

    private static KafkaConsumer<String, String> consumer(String user, String group) {
        Properties p = clientProperties(user, passwords.get(user));
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
    }

    private static String passwordVariable(String user) {
        return "CERTFLOW_KAFKA_PASSWORD_" + user.toUpperCase().replace('-', '_');
    }

    private static String newPassword() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
