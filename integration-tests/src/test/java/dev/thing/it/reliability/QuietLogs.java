package dev.thing.it.reliability;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.config.Configurator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Raises the in-process server's log level to WARN for a noisy test class, and restores it afterwards. */
final class QuietLogs implements BeforeAllCallback, AfterAllCallback {
    private Level before;

    @Override
    public void beforeAll(ExtensionContext context) {
        before = LogManager.getRootLogger().getLevel();
        Configurator.setRootLevel(Level.WARN);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (before != null) {
            Configurator.setRootLevel(before);
        }
    }
}
