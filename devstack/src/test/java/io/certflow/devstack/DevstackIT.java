package io.certflow.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;

/**
 * Starts the real infrastructure (Kafka KRaft, Mongo wire server, BIND, Pebble, nginx) on free ports in a
 * temporary folder, checks that each one really serves, then stops it and checks the ports are free again.
 * Components whose binary is not installed are skipped.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DevstackIT {
    @TempDir
    static Path dir;

    static Stack stack;
    static Set<Component> started;

    @BeforeAll
    static void startStack() {
        started = EnumSet.of(Component.MONGO, Component.KAFKA);
        Map.of(Component.BIND, Binaries.NAMED, Component.PEBBLE, Binaries.PEBBLE, Component.NGINX, Binaries.NGINX)
                .forEach((c, binary) -> {
                    if (Binaries.isAvailable(binary)) {
                        started.add(c);
                    } else {
                        System.out.println("skipping " + c.id() + ": " + binary + " is not installed");
                    }
                });
        StackConfig config = StackConfig.forTests(dir, started);
        stack = Stack.start(config, false, line -> System.out.println("devstack: " + line));
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    @Order(1)
    void kafkaAnswersAdminClient() throws Exception {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers());
        try (Admin admin = Admin.create(p)) {
            DescribeClusterResult cluster = admin.describeCluster();
            assertThat(cluster.nodes().get(20, TimeUnit.SECONDS)).hasSize(1);
            admin.createTopics(List.of(new NewTopic("certflow.devstack-check", 1, (short) 1))).all().get(20, TimeUnit.SECONDS);
            assertThat(admin.listTopics().names().get(20, TimeUnit.SECONDS)).contains("certflow.devstack-check");
        }
    }

    @Test
    @Order(2)
    void mongoWireServerKeepsDataAcrossRestart() {
        String uri = stack.config().mongoUri(Component.ORDER_SERVICE);
        try (MongoClient client = MongoClients.create(uri)) {
            assertThat(client.getDatabase("admin").runCommand(new Document("ping", 1)).get("ok")).isIn(1, 1.0);
            // what Spring Boot's Mongo health indicator sends
            assertThat(client.getDatabase("certflow-order").runCommand(new Document("hello", 1)).get("ok")).isIn(1, 1.0);
            client.getDatabase("certflow-order").getCollection("checks").insertOne(new Document("_id", "kept"));
        }
        stack.mongo().stop();
        stack.mongo().start();
        try (MongoClient client = MongoClients.create(uri)) {
            assertThat(client.getDatabase("certflow-order").getCollection("checks").countDocuments(new Document("_id", "kept")))
                    .isEqualTo(1);
        }
        assertThat(stack.mongo().dataFile()).exists();
    }

    @Test
    @Order(3)
    void pebbleServesItsDirectoryOverHttpsTrustingTheGeneratedCa() {
        assumeTrue(started.contains(Component.PEBBLE), "pebble is not installed");
        assertThat(stack.pebble().directoryJson()).contains("newOrder", "newAccount", "newNonce");
        assertThat(stack.pebble().issuingRootPem()).contains("BEGIN CERTIFICATE");
        assertThat(Pki.readCertificates(stack.pebble().caCertificate())).hasSize(1);
    }

    @Test
    @Order(4)
    void bindServesTheDemoZoneTakesUpdatesAndFollowsTheDelegation() throws Exception {
        assumeTrue(started.contains(Component.BIND), "bind9 is not installed");
        BindProcess bind = stack.bind();
        assertThat(bind.query("demo.certflow.test.", Type.SOA)).hasSize(1);

        String challenge = "_acme-challenge.www.demo.certflow.test.";
        String target = "k3x9abc.acme.certflow.test.";
        bind.addCname(challenge, target);
        List<Record> cname = bind.query(challenge, Type.CNAME);
        assertThat(cname).hasSize(1);
        assertThat(((CNAMERecord) cname.get(0)).getTarget().toString()).isEqualTo(target);

        // the TXT behind the CNAME comes from the delegation zone's server (verification-service's DNS port)
        try (FakeDelegationDns dns = new FakeDelegationDns(stack.config().ports().certflowDns(), "token-value")) {
            List<Record> chain = bind.query(challenge, Type.TXT);
            assertThat(chain).anySatisfy(r -> assertThat(r).isInstanceOf(CNAMERecord.class));
            assertThat(chain).anySatisfy(r -> {
                assertThat(r).isInstanceOf(TXTRecord.class);
                assertThat(((TXTRecord) r).getStrings()).containsExactly("token-value");
            });
        }
    }

    @Test
    @Order(5)
    void nginxServesTheInitialCertificateForTheDemoName() throws Exception {
        assumeTrue(started.contains(Component.NGINX), "nginx is not installed");
        NginxProcess nginx = stack.nginx();
        X509Certificate served = TlsProbe.servedCertificate("127.0.0.1", nginx.port(), nginx.serverName());
        X509Certificate onDisk = Pki.readCertificates(nginx.certificatePath()).get(0);
        assertThat(served.getSerialNumber()).isEqualTo(onDisk.getSerialNumber());
        assertThat(served.getSubjectX500Principal().getName()).contains("www.demo.certflow.test");
        assertThat(Files.exists(nginx.keyPath())).isTrue();

        // what deployment-service does: overwrite the files, reload
        Pki.Issued next = Pki.newServerCertificate(null, List.of(nginx.serverName()), List.of(), java.time.Duration.ofDays(1));
        Pki.writePem(nginx.certificatePath(), next.certificate());
        Pki.writePem(nginx.keyPath(), next.privateKey());
        nginx.reload();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String expected = next.certificate().getSerialNumber().toString(16);
        while (!TlsProbe.servedSerialHex("127.0.0.1", nginx.port(), nginx.serverName()).equals(expected)
                && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(TlsProbe.servedSerialHex("127.0.0.1", nginx.port(), nginx.serverName())).isEqualTo(expected);
    }

    @Test
    @Order(6)
    void statusSeesEveryStartedComponent() {
        for (Stack.ComponentStatus s : Stack.status(stack.config())) {
            if (started.contains(s.component())) {
                assertThat(s.running()).as(s.component().id()).isTrue();
                assertThat(s.healthy()).as(s.component().id()).isTrue();
            } else {
                assertThat(s.running()).as(s.component().id()).isFalse();
            }
        }
    }

    @Test
    @Order(100)
    void closeStopsEverythingAndFreesThePorts() {
        StackConfig config = stack.config();
        List<Long> pids = new ArrayList<>();
        for (Component c : started) {
            stack.process(c).handle().ifPresent(h -> pids.add(h.pid()));
        }
        stack.close();
        stack = null;
        for (Long pid : pids) {
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("pid " + pid).isFalse();
        }
        Ports ports = config.ports();
        for (Component c : started) {
            assertThat(Ports.isFree(ports.of(c), c == Component.BIND)).as(c.id() + " port").isTrue();
        }
        assertThat(Ports.isFree(ports.kafkaController(), false)).isTrue();
        if (started.contains(Component.PEBBLE)) {
            assertThat(Ports.isFree(ports.pebbleManagement(), false)).isTrue();
        }
        assertThat(Stack.status(config)).noneMatch(Stack.ComponentStatus::running);
    }
}
