package io.ipc4j;

import java.util.Objects;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * A typed key for a setting of a connection, listener or server, in the manner of {@link
 * java.net.SocketOption}. Each key carries its default and its validation, so that every default
 * sits in one place and a bad value is rejected when it is set, not when it is used.
 *
 * <p>The portable keys are in {@link StandardIpcOptions}; a transport's own keys live in that
 * transport. Values are set through {@link IpcOptions.Builder#set}.
 *
 * @param <T> the type of the value
 */
public final class IpcOption<T> {
  private final String name;
  private final Class<?> type;
  private final T defaultValue;
  private final Predicate<? super T> check;
  private final String expected;
  private final UnaryOperator<T> copy;

  private IpcOption(
      String name,
      Class<?> type,
      T defaultValue,
      Predicate<? super T> check,
      String expected,
      UnaryOperator<T> copy) {
    this.name = Objects.requireNonNull(name, "name");
    this.type = Objects.requireNonNull(type, "type");
    this.check = Objects.requireNonNull(check, "check");
    this.expected = Objects.requireNonNull(expected, "expected");
    this.copy = Objects.requireNonNull(copy, "copy");
    this.defaultValue = validate(defaultValue);
  }

  /**
   * Returns a new key.
   *
   * @param name the key's name, used in messages
   * @param type the value's class
   * @param defaultValue the value when none is set
   * @param check accepts the valid values
   * @param expected says which values are valid, for the message of a rejected one
   * @throws IllegalArgumentException if the default is itself invalid
   */
  public static <T> IpcOption<T> of(
      String name, Class<T> type, T defaultValue, Predicate<? super T> check, String expected) {
    return new IpcOption<>(name, type, defaultValue, check, expected, UnaryOperator.identity());
  }

  /** Like {@link #of}, for a value of a generic type that is copied when set (a set, a list). */
  static <T> IpcOption<T> ofCopied(
      String name,
      Class<?> type,
      T defaultValue,
      Predicate<? super T> check,
      String expected,
      UnaryOperator<T> copy) {
    return new IpcOption<>(name, type, defaultValue, check, expected, copy);
  }

  /** The key's name. */
  public String name() {
    return name;
  }

  /** The value used when none is set. */
  public T defaultValue() {
    return defaultValue;
  }

  /**
   * Checks a value for this key and returns it (or an immutable copy of it).
   *
   * @throws NullPointerException if the value is null
   * @throws IllegalArgumentException if the value is of the wrong type or out of range; the message
   *     names the key, the value and what was expected
   */
  public T validate(T value) {
    Objects.requireNonNull(value, name);
    if (!type.isInstance(value)) {
      throw new IllegalArgumentException(
          name + ": " + value + " (expected: a " + type.getSimpleName() + ")");
    }
    T copied = copy.apply(value);
    if (!check.test(copied)) {
      throw new IllegalArgumentException(name + ": " + value + " (expected: " + expected + ")");
    }
    return copied;
  }

  @Override
  public String toString() {
    return name;
  }
}
