package io.ipc4j.samples;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * Reads and prints durations as people write them: {@code 500ms}, {@code 5s}, {@code 2m}. Zero is
 * refused: the samples' durations are timeouts, and a timeout of zero is ipc4j's "no limit", which
 * would wait for ever where the option promises to give up.
 */
final class Durations implements CommandLine.ITypeConverter<Duration> {
  private static final Pattern FORM = Pattern.compile("(\\d{1,9})(ms|s|m)");

  @Override
  public Duration convert(String text) {
    Matcher m = FORM.matcher(text.strip().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new CommandLine.TypeConversionException(
          "not a duration (expected: a number and ms, s or m, such as 500ms or 5s): " + text);
    }
    long n = Long.parseLong(m.group(1));
    if (n == 0) {
      throw new CommandLine.TypeConversionException(
          "not a positive duration (expected: more than 0, such as 500ms or 5s): " + text);
    }
    switch (m.group(2)) {
      case "ms":
        return Duration.ofMillis(n);
      case "s":
        return Duration.ofSeconds(n);
      default:
        return Duration.ofMinutes(n);
    }
  }

  static String format(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
  }
}
