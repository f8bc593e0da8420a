package io.ipc4j.samples.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;

/**
 * The bench's chart ({@code --plot}), drawn with XChart off screen: the ping-pong latency
 * percentiles of each transport, ipc4j (solid) against raw (dashed), apart and pinned; the
 * ipc4j/raw ratio of every throughput figure; the idle server's memory. Panels of workloads that
 * did not run are left out.
 */
final class Plot {
  private static final int WIDTH = 900;
  private static final int HEIGHT = 560;
  private static final List<String> PERCENTILES = List.of("p50", "p90", "p99", "p99.9");
  private static final List<String> PERCENTILE_FIGURES =
      List.of("p50_us", "p90_us", "p99_us", "p999_us");
  private static final Color[] COLORS = {
    new Color(0x1f77b4),
    new Color(0xd62728),
    new Color(0x2ca02c),
    new Color(0x9467bd),
    new Color(0xff7f0e)
  };
  private static final BasicStroke SOLID = new BasicStroke(2f);
  private static final BasicStroke DASHED =
      new BasicStroke(
          2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f);

  private final Results results;
  private final List<Workload> workloads;

  Plot(Results results, List<Workload> workloads) {
    this.results = results;
    this.workloads = workloads;
  }

  void write(Path file) throws IOException {
    List<Chart<?, ?>> charts = new ArrayList<>();
    for (Workload w : workloads) {
      if (w instanceof PingPong) {
        charts.add(latency(w));
      }
    }
    CategoryChart throughput = throughput();
    if (throughput != null) {
      charts.add(throughput);
    }
    for (Workload w : workloads) {
      if (w instanceof IdleScale) {
        charts.add(memory(w));
      }
    }
    if (charts.isEmpty()) {
      throw new IOException("nothing to plot");
    }
    // Laid out here rather than by BitmapEncoder.saveBitmap(charts, rows, columns, ...), which
    // needs exactly rows × columns charts: an odd count leaves one cell blank.
    int columns = Math.min(2, charts.size());
    int rows = (charts.size() + columns - 1) / columns;
    BufferedImage grid =
        new BufferedImage(columns * WIDTH, rows * HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = grid.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, grid.getWidth(), grid.getHeight());
      for (int i = 0; i < charts.size(); i++) {
        g.drawImage(
            BitmapEncoder.getBufferedImage(charts.get(i)),
            (i % columns) * WIDTH,
            (i / columns) * HEIGHT,
            null);
      }
    } finally {
      g.dispose();
    }
    try (OutputStream out = Files.newOutputStream(file)) {
      if (!ImageIO.write(grid, "png", out)) {
        throw new IOException("no PNG writer in this JVM");
      }
    }
  }

  /** Percentiles of the round trip, one line per transport and contestant, log scale. */
  private CategoryChart latency(Workload w) {
    CategoryChart chart =
        new CategoryChartBuilder()
            .width(WIDTH)
            .height(HEIGHT)
            .title(w.label + ": round trip of 64 B (ipc4j solid, raw dashed)")
            .xAxisTitle("percentile")
            .yAxisTitle("µs (log)")
            .build();
    chart.getStyler().setYAxisLogarithmic(true);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
    chart.getStyler().setDefaultSeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Line);
    chart.getStyler().setOverlapped(true);
    for (int i = 0; i < w.transports.size(); i++) {
      String transport = w.transports.get(i);
      for (Contestant c : Contestant.values()) {
        List<Double> values = new ArrayList<>();
        for (String figure : PERCENTILE_FIGURES) {
          values.add(results.median(transport, w, c, figure));
        }
        if (values.stream().allMatch(v -> Double.isFinite(v) && v > 0)) {
          CategorySeries s = chart.addSeries(transport + " " + c.label(), PERCENTILES, values);
          s.setLineColor(COLORS[i % COLORS.length]);
          s.setMarkerColor(COLORS[i % COLORS.length]);
          s.setLineStyle(c == Contestant.RAW ? DASHED : SOLID);
        }
      }
    }
    return chart;
  }

  /** One bar per throughput figure: ipc4j/raw, with parity at 1 drawn as a line. */
  private CategoryChart throughput() {
    List<String> names = new ArrayList<>();
    List<Double> ratios = new ArrayList<>();
    for (Workload w : workloads) {
      if (w instanceof PingPong || w instanceof IdleScale) {
        continue;
      }
      for (String transport : w.transports) {
        for (Figure f : w.figures) {
          double ratio = results.ratio(transport, w, f.name());
          if (!f.lowerIsBetter() && !f.name().equals("mb_per_s") && Double.isFinite(ratio)) {
            names.add(transport + " " + w.label + " " + f.name());
            ratios.add(ratio);
          }
        }
      }
    }
    if (names.isEmpty()) {
      return null;
    }
    CategoryChart chart =
        new CategoryChartBuilder()
            .width(WIDTH)
            .height(HEIGHT)
            .title("throughput: ipc4j / raw (higher is better)")
            .yAxisTitle("ratio")
            .build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
    chart.getStyler().setXAxisLabelRotation(60);
    chart.getStyler().setOverlapped(true);
    chart.getStyler().setYAxisMin(0.0);
    chart.getStyler().setYAxisDecimalPattern("0.00");
    chart.addSeries("ipc4j/raw", names, ratios).setFillColor(COLORS[0]);
    List<Double> parity = new ArrayList<>();
    names.forEach(n -> parity.add(1.0));
    CategorySeries line = chart.addSeries("parity", names, parity);
    line.setChartCategorySeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Line);
    line.setLineColor(Color.DARK_GRAY);
    line.setMarkerColor(Color.DARK_GRAY);
    line.setLineStyle(DASHED);
    return chart;
  }

  /** The idle server's resident memory and live heap, ipc4j beside raw. */
  private CategoryChart memory(Workload w) {
    CategoryChart chart =
        new CategoryChartBuilder()
            .width(WIDTH)
            .height(HEIGHT)
            .title(w.label + ": the server's memory holding idle connections")
            .yAxisTitle("MiB")
            .build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
    List<String> names = new ArrayList<>();
    for (String transport : w.transports) {
      names.add(transport + " resident");
      names.add(transport + " heap");
    }
    for (Contestant c : Contestant.values()) {
      List<Double> values = new ArrayList<>();
      for (String transport : w.transports) {
        values.add(finite(results.median(transport, w, c, "rss_mib")));
        values.add(finite(results.median(transport, w, c, "heap_mib")));
      }
      chart.addSeries(c.label(), names, values).setFillColor(COLORS[c.ordinal()]);
    }
    return chart;
  }

  private static double finite(double value) {
    return Double.isFinite(value) ? value : 0;
  }
}
