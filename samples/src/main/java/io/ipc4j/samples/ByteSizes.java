package io.ipc4j.samples;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/** Reads byte counts as people write them: {@code 65536}, {@code 64k}, {@code 2m} (powers of 2). */
final class ByteSizes implements CommandLine.ITypeConverter<Long> {
  private static final Pattern FORM = Pattern.compile("(\\d{1,12})([km]?)");

  @Override
  public Long convert(String text) {
    Matcher m = FORM.matcher(text.strip().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new CommandLine.TypeConversionException(
          "not a byte count (expected: a number, optionally followed by k or m, such as 64k): "
              + text);
    }
    long n = Long.parseLong(m.group(1));
    return m.group(2).isEmpty() ? n : m.group(2).equals("k") ? n << 10 : n << 20;
  }
}
