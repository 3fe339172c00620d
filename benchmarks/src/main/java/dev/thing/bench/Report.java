package dev.thing.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Collects the results and prints them as one Markdown table, with the machine they were measured on. */
public final class Report {
    /** One line of the table. {@code peer} and {@code ratio} may be "skipped" or "-". */
    public record Row(String benchmark, String metric, String thing, String peer, String ratio) {
    }

    private final List<Row> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    public synchronized void add(String benchmark, String metric, String thing, String peer, String ratio) {
        rows.add(new Row(benchmark, metric, thing, peer, ratio));
    }

    /** A row whose ratio is thing / peer. */
    public synchronized void addRatio(String benchmark, String metric, double thing, double peer, String unit) {
        add(benchmark, metric, num(thing) + " " + unit, num(peer) + " " + unit, ratio(thing, peer));
    }

    public synchronized void note(String text) {
        notes.add(text);
    }

    static String num(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        double a = Math.abs(v);
        if (a >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }

    static String ratio(double a, double b) {
        if (Double.isNaN(a) || Double.isNaN(b) || b == 0) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "%.2f", a / b);
    }

    public synchronized String markdown(String command, String elapsed) {
        StringBuilder out = new StringBuilder();
        out.append("| benchmark | metric | THING | peer | ratio (THING / peer) |\n");
        out.append("|---|---|---|---|---|\n");
        for (Row r : rows) {
            out.append("| ").append(r.benchmark()).append(" | ").append(r.metric()).append(" | ").append(r.thing())
                    .append(" | ").append(r.peer()).append(" | ").append(r.ratio()).append(" |\n");
        }
        out.append('\n');
        for (String n : notes) {
            out.append("- ").append(n).append('\n');
        }
        out.append('\n').append("Machine: ").append(machine()).append('\n');
        out.append("Command: `").append(command).append("` (took ").append(elapsed).append(")\n");
        return out.toString();
    }

    public void write(Path file, String command, String elapsed) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, "# THING benchmark results\n\n" + markdown(command, elapsed), StandardCharsets.UTF_8);
    }

    static String machine() {
        String cpu = "unknown CPU";
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    cpu = line.substring(line.indexOf(':') + 1).trim();
                    break;
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        String mem = "";
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    long kib = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    mem = String.format(Locale.ROOT, ", %.1f GiB RAM", kib / 1048576.0);
                    break;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux
        }
        return Runtime.getRuntime().availableProcessors() + " CPUs (" + cpu + ")" + mem + ", "
                + System.getProperty("os.name") + " " + System.getProperty("os.version") + ", Java "
                + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")";
    }
}
