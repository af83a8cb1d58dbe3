package dev.capws.bench;

import static dev.capws.bench.Results.clients;
import static dev.capws.bench.Results.mode;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

import javax.imageio.ImageIO;

/** The chart: fan-out throughput and p99 POST-to-last-client latency against clients, both servers, log x. */
final class Chart {
  private static final int W = 1400;
  private static final int H = 560;
  private static final Color JAVA = new Color(0xE7, 0x6F, 0x00);
  private static final Color NODE = new Color(0x3C, 0x87, 0x3A);

  private Chart() {
  }

  static void write(Results results, Path png) throws IOException {
    BufferedImage image = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, W, H);
    panel(g, results, 0, "fan-out throughput (frames/s, higher is better)", "framesPerSecond", false);
    panel(g, results, W / 2, "p99 POST-to-last-client latency (ms, log scale, lower is better)", "lastP99Ms", true);
    g.dispose();
    Files.createDirectories(png.toAbsolutePath().getParent());
    ImageIO.write(image, "png", png.toFile());
  }

  private static void panel(Graphics2D g, Results results, int x0, String title, String metric,
      boolean logY) {
    int left = x0 + 90;
    int right = x0 + W / 2 - 30;
    int top = 64;
    int bottom = H - 110;
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
    g.setColor(Color.BLACK);
    g.drawString(title, x0 + 30, 30);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    g.drawString("Java: cds-feature-websocket, Node: @cap-js-community/websocket", x0 + 30, 48);

    // The series: one per server and mode, points at every client count measured.
    List<String> keys = results.rowKeys("fanout");
    TreeSet<Integer> xs = new TreeSet<>(List.of(100, 1000, 5000, 15000));
    keys.forEach(k -> xs.add(clients(k)));
    TreeSet<String> modes = new TreeSet<>(Results.MODES);
    keys.forEach(k -> modes.add(mode(k)));
    double min = Double.MAX_VALUE;
    double max = 0;
    for (String key : keys) {
      for (String server : List.of("java", "node")) {
        Double v = results.value(server, "fanout", key, metric);
        if (v != null && v > 0) {
          min = Math.min(min, v);
          max = Math.max(max, v);
        }
      }
    }
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    if (max == 0) {
      g.drawString("no fan-out results", (left + right) / 2 - 60, (top + bottom) / 2);
      return;
    }
    double lo = logY ? Math.pow(10, Math.floor(Math.log10(min))) : 0;
    double hi = logY ? Math.pow(10, Math.ceil(Math.log10(max))) : niceCeiling(max);
    double xLo = Math.log10(xs.first()) - 0.1;
    double xHi = Math.log10(xs.last()) + 0.1;
    Scale sx = v -> left + (Math.log10(v) - xLo) / (xHi - xLo) * (right - left);
    Scale sy = v -> bottom - (logY ? (Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))
        : v / hi) * (bottom - top);

    // Axes and grid.
    g.setColor(new Color(0xE0, 0xE0, 0xE0));
    List<Double> yTicks = new ArrayList<>();
    if (logY) {
      for (double t = lo; t <= hi * 1.001; t *= 10) {
        yTicks.add(t);
      }
    } else {
      for (int t = 0; t <= 5; t++) {
        yTicks.add(hi * t / 5);
      }
    }
    for (double t : yTicks) {
      int y = (int) sy.at(t);
      g.setColor(new Color(0xE0, 0xE0, 0xE0));
      g.drawLine(left, y, right, y);
      g.setColor(Color.DARK_GRAY);
      String label = t >= 1 || t == 0 ? String.format(Locale.ROOT, "%,.0f", t)
          : String.format(Locale.ROOT, "%.2g", t);
      g.drawString(label, left - 8 - g.getFontMetrics().stringWidth(label), y + 5);
    }
    for (int x : xs) {
      int px = (int) sx.at(x);
      g.setColor(new Color(0xE0, 0xE0, 0xE0));
      g.drawLine(px, top, px, bottom);
      g.setColor(Color.DARK_GRAY);
      String label = String.format(Locale.ROOT, "%,d", x);
      g.drawString(label, px - g.getFontMetrics().stringWidth(label) / 2, bottom + 20);
    }
    g.setColor(Color.BLACK);
    g.drawRect(left, top, right - left, bottom - top);
    g.drawString("clients (log scale)", (left + right) / 2 - 50, bottom + 42);

    // Lines: solid for the first mode (sequential), dashed for the second (concurrent).
    int legend = 0;
    int modeIndex = 0;
    for (String mode : modes) {
      Stroke stroke = modeIndex++ == 0 ? new BasicStroke(2.5f)
          : new BasicStroke(2.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1, new float[] {8, 6}, 0);
      for (String server : List.of("java", "node")) {
        g.setColor(server.equals("java") ? JAVA : NODE);
        g.setStroke(stroke);
        int px = -1;
        int py = -1;
        for (String key : keys) {
          if (!mode(key).equals(mode)) {
            continue;
          }
          Double v = results.value(server, "fanout", key, metric);
          if (v == null || v <= 0) {
            px = -1; // a gap where a run has no result
            continue;
          }
          int x = (int) sx.at(clients(key));
          int y = (int) sy.at(v);
          if (px >= 0) {
            g.drawLine(px, py, x, y);
          }
          g.fillOval(x - 4, y - 4, 8, 8);
          px = x;
          py = y;
        }
        int lx = x0 + 90 + (legend % 2) * 280;
        int ly = H - 40 + (legend / 2) * 20;
        g.drawLine(lx, ly - 5, lx + 30, ly - 5);
        g.setColor(Color.BLACK);
        g.setStroke(new BasicStroke(1));
        g.drawString((server.equals("java") ? "Java" : "Node") + (mode.isEmpty() ? "" : ", " + mode) + " POSTs",
            lx + 36, ly);
        legend++;
      }
    }
    g.setStroke(new BasicStroke(1));
  }

  private static double niceCeiling(double v) {
    double step = Math.pow(10, Math.floor(Math.log10(v)));
    for (double m : new double[] {1, 2, 2.5, 3, 4, 5, 6, 8, 10}) {
      if (m * step >= v) {
        return m * step;
      }
    }
    return 10 * step;
  }

  private interface Scale {
    double at(double v);
  }
}
