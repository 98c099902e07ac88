package io.certflow.devstack.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

import org.bson.Document;
import org.bson.conversions.Bson;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

/**
 * Runs the same writes and queries, through the real MongoDB driver, against the wire server without index support
 * (mongo-java-server as it comes: every query but {@code _id} alone scans) and with it, on both backends, and
 * requires identical answers — including after an H2 file is closed and opened again, which rebuilds the indexes.
 */
class IndexedBackendTest {

    private static final Date T0 = new Date(1_780_000_000_000L);

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    @Test
    void indexedStoresAnswerAsTheScanningStoreDoes() {
        Store plain = start(new MemoryBackend());
        Store memory = start(new IndexedMemoryBackend());
        Store h2File = start(new IndexedH2Backend(dir.resolve("store.mv").toString()));
        Store plainH2 = start(new H2Backend(dir.resolve("plain.mv").toString()));
        List<Store> all = List.of(plain, memory, h2File, plainH2);

        all.forEach(IndexedBackendTest::declareIndexes);
        List<Document> fleet = fleet(new Random(7), 400);
        all.forEach(s -> s.docs().insertMany(fleet.stream().map(Document::new).toList()));
        assertSameAnswers(plain, List.of(memory, h2File, plainH2));

        // the writes a service makes: versioned saves, conditional and multi updates, upserts, deletes, and
        // documents whose indexed fields change, appear and disappear
        for (Store s : all) {
            mutate(s);
        }
        assertSameAnswers(plain, List.of(memory, h2File, plainH2));

        // the H2 file opened again: the indexes are rebuilt from the documents
        h2File.server.shutdownNow();
        h2File.backend.close();
        Store reopened = start(new IndexedH2Backend(dir.resolve("store.mv").toString()));
        assertThat(reopened.docs().countDocuments()).isEqualTo(plain.docs().countDocuments());
        assertSameAnswers(plain, List.of(memory, reopened));
        Index<?> due = indexes(reopened.backend).stream().filter(i -> i.getName().equals("due")).findFirst().orElseThrow();
        assertThat(due).isInstanceOf(FieldIndex.class);
        assertThat(due.getCount()).isPositive();
        mutate(plain);
        mutate(memory);
        mutate(reopened);
        assertSameAnswers(plain, List.of(memory, reopened));
        // the unique indexes, kept in memory, were rebuilt too: a second document with a held _id or code is refused
        Document held = reopened.docs().find(Filters.exists("code")).first();
        assertThat(held).isNotNull();
        assertThatThrownBy(() -> reopened.docs().insertOne(new Document("_id", held.get("_id"))))
                .isInstanceOf(MongoWriteException.class).hasMessageContaining("duplicate key");
        assertThatThrownBy(() -> reopened.docs().insertOne(new Document("_id", "other").append("code", held.get("code"))))
                .isInstanceOf(MongoWriteException.class).hasMessageContaining("duplicate key");
        assertThat(reopened.docs().countDocuments()).isEqualTo(plain.docs().countDocuments());
    }

    @Test
    void aFieldIndexIsConsultedWhereTheIdIndexRefuses() {
        Store memory = start(new IndexedMemoryBackend());
        declareIndexes(memory);
        memory.docs().insertMany(fleet(new Random(1), 50));
        List<Index<?>> indexes = indexes(memory.backend);
        assertThat(indexes.get(0)).isInstanceOf(IdLookupIndex.class);

        de.bwaldvogel.mongo.bson.Document due = new de.bwaldvogel.mongo.bson.Document("due",
                new de.bwaldvogel.mongo.bson.Document("$lte", T0))
                .append("$or", List.of(new de.bwaldvogel.mongo.bson.Document("claimedUntil", null)));
        assertThat(firstServing(indexes, due)).extracting(Index::getName).isEqualTo("due");

        de.bwaldvogel.mongo.bson.Document versioned = new de.bwaldvogel.mongo.bson.Document("_id", "c00007")
                .append("version", 3L);
        assertThat(firstServing(indexes, versioned)).isSameAs(indexes.get(0));
        // as the driver writes Filters.and(eq("_id", X), eq("outbox.eventId", E))
        de.bwaldvogel.mongo.bson.Document pull = new de.bwaldvogel.mongo.bson.Document("$and", List.of(
                new de.bwaldvogel.mongo.bson.Document("_id", "c00007"),
                new de.bwaldvogel.mongo.bson.Document("outbox.eventId", "e7")));
        assertThat(firstServing(indexes, pull)).isSameAs(indexes.get(0));

        de.bwaldvogel.mongo.bson.Document pending = new de.bwaldvogel.mongo.bson.Document("outbox.eventId",
                new de.bwaldvogel.mongo.bson.Document("$exists", true));
        assertThat(firstServing(indexes, pending)).extracting(Index::getName).isEqualTo("outbox_pending");

        // never from a sparse index: a document without the field matches these
        for (Object condition : new Object[] {null, new de.bwaldvogel.mongo.bson.Document("$exists", false),
                new de.bwaldvogel.mongo.bson.Document("$ne", T0), new de.bwaldvogel.mongo.bson.Document("$in",
                List.of(T0, "x")).append("$nin", List.of()), new de.bwaldvogel.mongo.bson.Document("$in",
                java.util.Arrays.asList(T0, null))}) {
            assertThat(firstServing(indexes, new de.bwaldvogel.mongo.bson.Document("due", condition))).isNull();
        }
        // a compound index serves by its first key; a second one on the same first key holds no copy
        assertThat(firstServing(indexes, new de.bwaldvogel.mongo.bson.Document("account", "a1")))
                .extracting(Index::getName).isEqualTo("account");
        assertThat(indexes.stream().filter(i -> i.getName().equals("account-status")).findFirst().orElseThrow())
                .isInstanceOf(de.bwaldvogel.mongo.backend.EmptyIndex.class);
    }

    private static Index<?> firstServing(List<Index<?>> indexes, de.bwaldvogel.mongo.bson.Document query) {
        return indexes.stream().filter(i -> i.canHandle(query)).findFirst().orElse(null);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static List<Index<?>> indexes(MongoBackend backend) {
        de.bwaldvogel.mongo.backend.AbstractMongoBackend b = (de.bwaldvogel.mongo.backend.AbstractMongoBackend) backend;
        return (List) b.resolveDatabase("db").resolveCollection("docs", true).getIndexes();
    }

    private static void declareIndexes(Store s) {
        MongoCollection<Document> docs = s.docs();
        docs.createIndex(Indexes.ascending("status"), new IndexOptions().name("status"));
        docs.createIndex(Indexes.ascending("due"), new IndexOptions().name("due").sparse(true));
        docs.createIndex(Indexes.ascending("n"), new IndexOptions().name("n"));
        docs.createIndex(Indexes.ascending("tags"), new IndexOptions().name("tags"));
        docs.createIndex(Indexes.ascending("sub.x"), new IndexOptions().name("sub-x").sparse(true));
        docs.createIndex(Indexes.ascending("outbox.eventId"), new IndexOptions().name("outbox_pending")
                .partialFilterExpression(Filters.exists("outbox.eventId")));
        docs.createIndex(Indexes.compoundIndex(Indexes.ascending("account"), Indexes.descending("createdAt")),
                new IndexOptions().name("account"));
        docs.createIndex(Indexes.compoundIndex(Indexes.ascending("account"), Indexes.ascending("status")),
                new IndexOptions().name("account-status"));
        docs.createIndex(Indexes.ascending("code"), new IndexOptions().name("code").unique(true).sparse(true));
    }

    /** Documents with every shape an indexed field can take: missing, null, mixed types, arrays, empty arrays. */
    private static List<Document> fleet(Random random, int size) {
        List<Document> fleet = new ArrayList<>();
        String[] statuses = {"HOSTED", "RENEWING", "EXPIRED", "CANCELLED"};
        for (int i = 0; i < size; i++) {
            Document d = new Document("_id", String.format("c%05d", i)).append("version", (long) random.nextInt(5))
                    .append("account", "a" + random.nextInt(7))
                    .append("createdAt", new Date(T0.getTime() - random.nextInt(1000) * 60_000L));
            if (random.nextInt(10) > 0) {
                d.append("status", statuses[random.nextInt(statuses.length)]);
            }
            switch (random.nextInt(6)) {
                case 0 -> { }
                case 1 -> d.append("due", null);
                default -> d.append("due", new Date(T0.getTime() + (random.nextInt(200) - 100) * 60_000L));
            }
            switch (random.nextInt(9)) {
                case 0 -> { }
                case 1 -> d.append("n", null);
                case 2 -> d.append("n", random.nextInt(20) + 0.5);
                case 3 -> d.append("n", (long) random.nextInt(20));
                case 4 -> d.append("n", List.of(random.nextInt(20), random.nextInt(20)));
                case 5 -> d.append("n", "s" + random.nextInt(20));
                case 6 -> d.append("n", List.of());
                default -> d.append("n", random.nextInt(20));
            }
            if (random.nextBoolean()) {
                List<String> tags = new ArrayList<>();
                for (int t = random.nextInt(4); t > 0; t--) {
                    tags.add("t" + random.nextInt(6));
                }
                d.append("tags", tags);
            } else if (random.nextInt(4) == 0) {
                d.append("tags", "t" + random.nextInt(6));
            }
            if (random.nextInt(3) == 0) {
                d.append("sub", random.nextBoolean() ? new Document("x", random.nextInt(5)) : new Document("y", 1));
            }
            switch (random.nextInt(7)) {
                case 0 -> d.append("outbox", List.of(new Document("eventId", "e" + i), new Document("eventId", "f" + i)));
                case 1 -> d.append("outbox", List.of());
                case 2 -> d.append("outbox", new Document("eventId", List.of()));
                case 3 -> d.append("outbox", List.of(new Document("other", 1), new Document("eventId", null)));
                case 4 -> d.append("outbox", List.of(new Document("other", 1)));
                default -> { }
            }
            if (random.nextInt(4) == 0) {
                d.append("code", "k" + i);
            }
            if (random.nextInt(3) == 0) {
                d.append("claimedUntil", new Date(T0.getTime() + (random.nextInt(20) - 10) * 60_000L));
            }
            fleet.add(d);
        }
        return fleet;
    }

    private static void mutate(Store s) {
        MongoCollection<Document> docs = s.docs();
        Random random = new Random(11);
        // Spring Data's versioned save: replace by {_id, version}
        for (int i = 0; i < 60; i++) {
            String id = String.format("c%05d", random.nextInt(400));
            Document current = docs.find(Filters.eq("_id", id)).first();
            if (current == null) {
                continue;
            }
            long version = current.getLong("version");
            Document next = new Document(current).append("version", version + 1)
                    .append("due", new Date(T0.getTime() + random.nextInt(100) * 3_600_000L))
                    .append("status", "RENEWING");
            docs.replaceOne(Filters.and(Filters.eq("_id", id), Filters.eq("version", version)), next);
            // a stale save matches nothing
            docs.replaceOne(Filters.and(Filters.eq("_id", id), Filters.eq("version", version)), next);
        }
        // the renewal claim: updateMulti on the due ones among some ids, then a reload by ids and token
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 80; i++) {
            ids.add(String.format("c%05d", random.nextInt(400)));
        }
        Bson dueAndUnclaimed = Filters.and(Filters.lte("due", T0), Filters.or(Filters.eq("claimedUntil", null),
                Filters.lte("claimedUntil", T0)));
        docs.updateMany(Filters.and(dueAndUnclaimed, Filters.in("_id", ids)),
                Updates.combine(Updates.set("claimToken", "tok"), Updates.inc("version", 1L)));
        // fields appearing, changing type, disappearing
        docs.updateMany(Filters.gte("n", 15), Updates.unset("n"));
        docs.updateMany(Filters.and(Filters.in("tags", "t1", "t2"), Filters.exists("tags.0")), Updates.push("tags", "t9"));
        docs.updateMany(Filters.eq("tags", "t3"), Updates.set("tags", List.of()));
        docs.updateMany(Filters.and(Filters.exists("outbox.eventId"), Filters.exists("outbox.0")), Updates.pull("outbox", new Document("eventId",
                new Document("$regex", "^e"))));
        docs.updateOne(Filters.eq("_id", "c00010"), Updates.set("n", List.of(1, 2, 3)));
        docs.updateOne(Filters.eq("_id", "c00011"), Updates.set("sub.x", 4));
        docs.updateOne(Filters.and(Filters.eq("_id", "c00012"), Filters.exists("due")), Updates.unset("due"));
        docs.updateMany(Filters.and(Filters.gt("due", T0), Filters.lt("due", new Date(T0.getTime() + 3_600_000L))),
                Updates.set("due", null));
        // upserts: one new by id, one that matches
        docs.updateOne(Filters.eq("_id", "new1"), Updates.combine(Updates.set("n", 7), Updates.set("status", "HOSTED"),
                Updates.set("due", T0)), new UpdateOptions().upsert(true));
        docs.updateOne(Filters.and(Filters.eq("status", "NOPE"), Filters.eq("n", 99)), Updates.set("tags", List.of("t0")),
                new UpdateOptions().upsert(true));
        docs.replaceOne(Filters.eq("_id", "new2"), new Document("_id", "new2").append("due", T0).append("n", 3.0),
                new ReplaceOptions().upsert(true));
        // deletes by range, by id with a condition, by a multikey value
        docs.deleteMany(Filters.lt("due", new Date(T0.getTime() - 90 * 60_000L)));
        docs.deleteOne(Filters.and(Filters.eq("_id", "c00020"), Filters.exists("status")));
        docs.deleteMany(Filters.eq("tags", "t5"));
        docs.deleteMany(Filters.in("n", 4, 5.0, "s4"));
        // and back in: documents re-inserted under freed positions
        docs.insertOne(new Document("_id", "c00020").append("n", 4).append("due", T0).append("tags", List.of("t5")));
    }

    private record Query(String name, Bson filter, Bson sort, int limit) {
    }

    private static List<Query> queries() {
        Date later = new Date(T0.getTime() + 30 * 60_000L);
        Date earlier = new Date(T0.getTime() - 30 * 60_000L);
        List<Query> q = new ArrayList<>();
        Bson byId = Sorts.ascending("_id");
        q.add(new Query("eq status", Filters.eq("status", "HOSTED"), null, 0));
        q.add(new Query("in status", Filters.in("status", "HOSTED", "EXPIRED"), null, 0));
        q.add(new Query("eq number int", Filters.eq("n", 3), null, 0));
        q.add(new Query("eq number double", Filters.eq("n", 3.0), null, 0));
        q.add(new Query("eq number long", Filters.eq("n", 3L), null, 0));
        q.add(new Query("eq string in number field", Filters.eq("n", "s3"), null, 0));
        q.add(new Query("in mixed", Filters.in("n", 1, 2.5, "s1", 7L), null, 0));
        q.add(new Query("range n", Filters.and(Filters.gt("n", 5), Filters.lte("n", 9)), null, 0));
        q.add(new Query("range n both ways", Filters.and(Filters.gt("n", 15), Filters.lt("n", 3)), null, 0));
        q.add(new Query("range n lower", Filters.gte("n", 10), null, 0));
        q.add(new Query("range n upper", Filters.lt("n", 4), null, 0));
        q.add(new Query("range n strings", Filters.gt("n", "s1"), null, 0));
        q.add(new Query("n exists", Filters.exists("n"), null, 0));
        q.add(new Query("n not exists", Filters.exists("n", false), null, 0));
        q.add(new Query("n null", Filters.eq("n", null), null, 0));
        q.add(new Query("n ne", Filters.ne("n", 3), null, 0));
        q.add(new Query("n nin", Filters.nin("n", 3, 4), null, 0));
        q.add(new Query("n whole array", Filters.eq("n", List.of(1, 2, 3)), null, 0));
        q.add(new Query("n empty array", Filters.eq("n", List.of()), null, 0));
        q.add(new Query("n size", Filters.size("n", 2), null, 0));
        q.add(new Query("n in with null", Filters.in("n", 3, null), null, 0));
        q.add(new Query("due lte (the scheduler)", Filters.and(Filters.lte("due", T0), Filters.or(
                Filters.eq("claimedUntil", null), Filters.lte("claimedUntil", T0))), Sorts.ascending("due", "_id"), 25));
        q.add(new Query("due range", Filters.and(Filters.gte("due", earlier), Filters.lt("due", later)), null, 0));
        q.add(new Query("due gt", Filters.gt("due", T0), Sorts.descending("due", "_id"), 10));
        q.add(new Query("due eq", Filters.eq("due", T0), null, 0));
        q.add(new Query("due null", Filters.eq("due", null), null, 0));
        q.add(new Query("due exists", Filters.exists("due"), null, 0));
        q.add(new Query("due not exists", Filters.exists("due", false), null, 0));
        q.add(new Query("due with status", Filters.and(Filters.lte("due", later), Filters.eq("status", "RENEWING")),
                Sorts.ascending("due", "_id"), 0));
        q.add(new Query("tags eq", Filters.eq("tags", "t1"), null, 0));
        q.add(new Query("tags in", Filters.in("tags", "t2", "t9"), byId, 5));
        q.add(new Query("tags all", Filters.all("tags", "t1", "t2"), null, 0));
        q.add(new Query("tags range", Filters.and(Filters.gte("tags", "t2"), Filters.lte("tags", "t3")), null, 0));
        q.add(new Query("tags exists", Filters.exists("tags"), null, 0));
        q.add(new Query("tags empty", Filters.eq("tags", List.of()), null, 0));
        q.add(new Query("tags elemMatch", Filters.elemMatch("tags", Filters.eq("$eq", "t4")), null, 0));
        q.add(new Query("sub.x eq", Filters.eq("sub.x", 4), null, 0));
        q.add(new Query("sub.x exists", Filters.exists("sub.x"), null, 0));
        q.add(new Query("sub.x null", Filters.eq("sub.x", null), null, 0));
        q.add(new Query("outbox pending (the relay)", Filters.exists("outbox.eventId"), null, 0));
        q.add(new Query("outbox pending, limited", Filters.exists("outbox.eventId"), byId, 7));
        q.add(new Query("outbox event", Filters.eq("outbox.eventId", "f9"), null, 0));
        q.add(new Query("outbox not pending", Filters.exists("outbox.eventId", false), null, 0));
        q.add(new Query("versioned save filter", Filters.and(Filters.eq("_id", "c00007"), Filters.eq("version", 1L)),
                null, 0));
        q.add(new Query("id and condition", Filters.and(Filters.eq("_id", "c00008"), Filters.exists("status")), null, 0));
        q.add(new Query("id in with token (the claim's reload)", Filters.and(Filters.in("_id", "c00001", "c00002",
                "c00003", "c00400", "new1"), Filters.eq("claimToken", "tok")), Sorts.ascending("due", "_id"), 0));
        q.add(new Query("id in", Filters.in("_id", "c00004", "c00005", "nope"), null, 0));
        q.add(new Query("id range with n", Filters.and(Filters.gt("_id", "c00300"), Filters.eq("n", 3)), null, 0));
        q.add(new Query("id ne with n", Filters.and(Filters.ne("_id", "c00300"), Filters.gte("n", 3)), null, 0));
        q.add(new Query("account (compound, by its first key)", Filters.eq("account", "a3"), Sorts.descending("createdAt", "_id"),
                0));
        q.add(new Query("account range", Filters.and(Filters.gte("account", "a2"), Filters.lt("account", "a5"),
                Filters.eq("status", "HOSTED")), Sorts.ascending("createdAt", "_id"), 12));
        q.add(new Query("unique code", Filters.eq("code", "k42"), null, 0));
        q.add(new Query("or of indexed", Filters.or(Filters.eq("n", 3), Filters.eq("status", "EXPIRED")), null, 0));
        q.add(new Query("and of indexed", Filters.and(Filters.eq("status", "HOSTED"), Filters.in("tags", "t1")), null, 0));
        q.add(new Query("not", Filters.not(Filters.gt("n", 5)), null, 0));
        q.add(new Query("all sorted", new Document(), byId, 0));
        return q;
    }

    private static void assertSameAnswers(Store reference, List<Store> others) {
        for (Query query : queries()) {
            List<Document> expected = answer(reference, query);
            for (Store other : others) {
                assertThat(answer(other, query)).as(query.name() + " on " + other.backend).isEqualTo(expected);
            }
            assertThat(reference.docs().countDocuments(query.filter())).as("count " + query.name())
                    .isEqualTo(others.get(0).docs().countDocuments(query.filter()));
        }
    }

    private static List<Document> answer(Store store, Query query) {
        var find = store.docs().find(query.filter());
        if (query.sort() != null) {
            find = find.sort(query.sort());
        }
        if (query.limit() > 0) {
            find = find.limit(query.limit());
        }
        List<Document> result = find.into(new ArrayList<>());
        // the upsert without an _id got one generated by each store
        // (so their order among themselves is that of random ids: put them last, in a fixed order)
        result.forEach(d -> d.computeIfPresent("_id", (k, id) -> id instanceof org.bson.types.ObjectId ? "generated" : id));
        List<Document> generated = new ArrayList<>(result.stream().filter(d -> "generated".equals(d.get("_id"))).toList());
        result.removeAll(generated);
        generated.sort((a, b) -> a.toJson().compareTo(b.toJson()));
        result.addAll(generated);
        if (query.sort() == null) {
            result.sort((a, b) -> String.valueOf(a.get("_id")).compareTo(String.valueOf(b.get("_id"))));
        }
        return result;
    }

    private Store start(MongoBackend backend) {
        MongoServer server = new MongoServer(backend);
        InetSocketAddress address = server.bind();
        MongoClient client = MongoClients.create("mongodb://127.0.0.1:" + address.getPort());
        open.add(server::shutdownNow);
        open.add(client);
        return new Store(backend, server, client);
    }

    private record Store(MongoBackend backend, MongoServer server, MongoClient client) {
        MongoCollection<Document> docs() {
            return client.getDatabase("db").getCollection("docs");
        }

        void each(Consumer<MongoCollection<Document>> action) {
            action.accept(docs());
        }
    }
}
