package dev.thing.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/** The sync picture: one strip per PLAY, a dot per client at its start offset from the PLAY's median. */
final class SyncChart {
    private SyncChart() {
    }

    static void write(Path file, List<double[]> rounds, List<Double> spreads, double boundMs) throws IOException {
        System.setProperty("java.awt.headless", "true");
        double range = boundMs / 2;
        for (double[] r : rounds) {
            for (double v : r) {
                range = Math.max(range, Math.abs(v) * 1.1);
            }
        }
        int left = 90;
        int right = 120;
        int top = 50;
        int row = 22;
        int width = 900;
        int height = top + row * rounds.size() + 50;
        int plotW = width - left - right;
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.setColor(Color.BLACK);
        g.drawString("Start instants of " + (rounds.isEmpty() ? 0 : rounds.get(0).length)
                + " clients per PLAY, relative to the PLAY's median (ms); shaded: +/- " + fmt(boundMs / 2)
                + " ms (a " + fmt(boundMs) + " ms spread)", left, 20);
        double finalRange = range;
        java.util.function.DoubleToIntFunction x = v -> left + (int) Math.round((v + finalRange) / (2 * finalRange) * plotW);
        int plotBottom = top + row * rounds.size();
        g.setColor(new Color(225, 240, 225));
        g.fillRect(x.applyAsInt(-boundMs / 2), top - 5, x.applyAsInt(boundMs / 2) - x.applyAsInt(-boundMs / 2),
                plotBottom - top + 5);
        g.setColor(new Color(200, 200, 200));
        g.drawLine(x.applyAsInt(0), top - 5, x.applyAsInt(0), plotBottom);
        for (int i = 0; i < rounds.size(); i++) {
            int y = top + row * i + row / 2;
            g.setColor(Color.DARK_GRAY);
            g.drawString("PLAY " + (i + 1), 20, y + 4);
            g.drawString("spread " + fmt(spreads.get(i)) + " ms", width - right + 10, y + 4);
            g.setColor(new Color(30, 90, 200, 170));
            for (double v : rounds.get(i)) {
                int cx = x.applyAsInt(v);
                g.fillOval(cx - 4, y - 4, 8, 8);
            }
        }
        g.setColor(Color.BLACK);
        g.setStroke(new BasicStroke(1));
        g.drawLine(left, plotBottom + 5, left + plotW, plotBottom + 5);
        for (int t = -4; t <= 4; t++) {
            double v = range * t / 4;
            int tx = x.applyAsInt(v);
            g.drawLine(tx, plotBottom + 5, tx, plotBottom + 10);
            String label = fmt(v);
            g.drawString(label, tx - g.getFontMetrics().stringWidth(label) / 2, plotBottom + 24);
        }
        g.drawString("ms from the median start", left + plotW / 2 - 70, plotBottom + 42);
        g.dispose();
        Files.createDirectories(file.toAbsolutePath().getParent());
        ImageIO.write(img, "png", file.toFile());
    }

    private static String fmt(double v) {
        return Math.abs(v) >= 10 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }
}
