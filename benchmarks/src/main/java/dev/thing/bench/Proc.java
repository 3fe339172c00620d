package dev.thing.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/** Reading another process's figures from /proc (Linux). */
final class Proc {
    private Proc() {
    }

    /** Resident set size in KiB (VmRSS in /proc/<pid>/status); empty elsewhere. */
    static OptionalLong rssKib(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return OptionalLong.of(Long.parseLong(line.replaceAll("[^0-9]", "")));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux, or gone
        }
        return OptionalLong.empty();
    }
}
