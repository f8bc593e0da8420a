package io.ipc4j.samples;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A progress bar on standard output, drawn only when it is a terminal: piped or redirected output
 * stays free of carriage returns. Redrawn at most ten times a second. Not thread-safe.
 */
class Progress {
  /** Draws nothing. */
  static final Progress NONE = new Progress();

  private static final int WIDTH = 30;
  private static final long REDRAW_NANOS = 100_000_000L;

  private Progress() {}

  /** A bar for {@code total} bytes labelled {@code label}, or {@link #NONE} when not on a tty. */
  static Progress of(String label, long total) {
    return Terminal.isInteractive() ? new Bar(System.out, label, total) : NONE;
  }

  /** {@code done} bytes of the total have passed. */
  void update(long done) {}

  /** Ends the bar's line. */
  void finish() {}

  private static final class Bar extends Progress {
    private final PrintStream out;
    private final String label;
    private final long total;
    private long done;
    private long lastDraw;

    Bar(PrintStream out, String label, long total) {
      this.out = out;
      this.label = label;
      this.total = total;
      this.lastDraw = System.nanoTime() - REDRAW_NANOS;
    }

    @Override
    void update(long done) {
      this.done = done;
      long now = System.nanoTime();
      if (now - lastDraw >= REDRAW_NANOS) {
        lastDraw = now;
        draw();
      }
    }

    @Override
    void finish() {
      draw();
      out.println();
      out.flush();
    }

    private void draw() {
      int percent = total == 0 ? 100 : (int) (100 * done / total);
      int filled = WIDTH * percent / 100;
      out.print(
          String.format(
              Locale.ROOT,
              "\r%s [%s%s] %3d%% %s / %s",
              label,
              "#".repeat(filled),
              ".".repeat(WIDTH - filled),
              percent,
              size(done),
              size(total)));
      out.flush();
    }

    private static String size(long bytes) {
      if (bytes < 1024) {
        return bytes + " B";
      }
      if (bytes < 1024 * 1024) {
        return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
      }
      return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
    }
  }
}
