package io.certflow.hosting.maintenance;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;

import java.time.Clock;

/**
 * At start-up, announces the maintenance windows that accounts set before windows were announced (settings without
 * a {@code windowsRevision}), as revision 1, so that deployment-service holds automatic deployments for them too
 * without waiting for the account's next change. Another instance doing the same at once loses its save and skips.
 */
@Component
public class MaintenanceWindowsAnnouncer implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(MaintenanceWindowsAnnouncer.class);

    private final MongoTemplate mongo;
    private final Clock clock;

    public MaintenanceWindowsAnnouncer(MongoTemplate mongo, Clock clock) {
        this.mongo = mongo;
        this.clock = clock;
    }

    @Override
    public void run(ApplicationArguments args) {
        int announced = 0;
        for (AccountSettings settings : mongo.find(new Query(Criteria.where("windowsRevision").exists(false)),
                AccountSettings.class)) {
            if (settings.maintenanceWindows().windows().isEmpty()) {
                continue;
            }
            settings.announceWindows(clock.instant());
            try {
                mongo.save(settings);
                announced++;
            } catch (OptimisticLockingFailureException | DuplicateKeyException e) {
                log.debug("maintenance windows of account {} changed meanwhile; announced by that change", settings.getAccountId());
            }
        }
        if (announced > 0) {
            log.info("announced the maintenance windows of {} account(s) set before windows were announced", announced);
        }
    }
}
