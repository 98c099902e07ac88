package io.certflow.hosting.web;

import io.certflow.hosting.maintenance.AccountSettings;
import io.certflow.events.v1.MaintenanceWindow;
import io.certflow.hosting.persistence.AccountSettingsRepository;
import io.certflow.platform.web.Account;
import io.certflow.platform.web.BadRequestException;
import io.certflow.platform.web.ConflictException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The caller's maintenance windows: hours in which certflow starts no renewal and no automatic deployment. Renewals
 * already planned inside a new window are moved when their time comes; every change is announced to
 * deployment-service as {@code MaintenanceWindowsChanged} (the whole list, with a revision).
 */
@RestController
@RequestMapping("/api/v1/maintenance-windows")
public class MaintenanceWindowController {

    static final int MAX_WINDOWS = 20;
    private static final int SAVE_ATTEMPTS = 5;

    private final AccountSettingsRepository settings;
    private final Clock clock;

    public MaintenanceWindowController(AccountSettingsRepository settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * The account's windows.
     *
     * @param windows the windows; empty: renewals may start at any time
     */
    public record MaintenanceWindowsBody(List<MaintenanceWindow> windows) {
    }

    @GetMapping
    public MaintenanceWindowsBody get(Account account) {
        return new MaintenanceWindowsBody(settings.findById(account.id())
                .map(s -> s.maintenanceWindows().windows()).orElse(List.of()));
    }

    /** Replaces the account's windows; every problem of every window is named in one 400. */
    @PutMapping
    public MaintenanceWindowsBody put(Account account, @RequestBody MaintenanceWindowsBody body) {
        List<MaintenanceWindow> windows = body == null || body.windows() == null ? List.of() : body.windows();
        List<String> problems = new ArrayList<>();
        if (windows.size() > MAX_WINDOWS) {
            problems.add("windows: at most " + MAX_WINDOWS);
        }
        for (int i = 0; i < windows.size(); i++) {
            MaintenanceWindow window = windows.get(i);
            if (window == null) {
                problems.add("windows[" + i + "]: must not be null");
                continue;
            }
            for (String problem : window.problems()) {
                problems.add("windows[" + i + "]." + problem);
            }
        }
        if (!problems.isEmpty()) {
            throw new BadRequestException(String.join("; ", problems));
        }
        for (int attempt = 1; ; attempt++) {
            AccountSettings stored = settings.findById(account.id()).orElseGet(() -> new AccountSettings(account.id()));
            stored.setMaintenanceWindows(windows, clock.instant());
            try {
                settings.save(stored);
                return new MaintenanceWindowsBody(windows);
            } catch (OptimisticLockingFailureException | DuplicateKeyException e) {
                // another PUT, or the relay removing the last announcement, wrote the document meanwhile
                if (attempt >= SAVE_ATTEMPTS) {
                    throw new ConflictException("the maintenance windows kept changing; try again");
                }
            }
        }
    }
}
