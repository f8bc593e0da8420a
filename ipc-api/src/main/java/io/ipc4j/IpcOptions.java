package io.ipc4j;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An immutable set of option values. A key that is not set has its {@linkplain
 * IpcOption#defaultValue() default}.
 *
 * <pre>{@code
 * IpcOptions options = IpcOptions.builder()
 *     .set(StandardIpcOptions.MAX_MESSAGE_SIZE, 16 << 20)
 *     .set(StandardIpcOptions.READ_TIMEOUT, Duration.ofSeconds(30))
 *     .build();
 * }</pre>
 */
public final class IpcOptions {
  /** No option set: every key has its default. */
  public static final IpcOptions DEFAULTS = new IpcOptions(Map.of());

  private final Map<IpcOption<?>, Object> values;

  private IpcOptions(Map<IpcOption<?>, Object> values) {
    this.values = values;
  }

  /** Returns options with one key set. */
  public static <T> IpcOptions of(IpcOption<T> key, T value) {
    return builder().set(key, value).build();
  }

  /** Returns a builder with no key set. */
  public static Builder builder() {
    return new Builder(Map.of());
  }

  /** Returns a builder that starts from these values. */
  public Builder toBuilder() {
    return new Builder(values);
  }

  /** Returns these options with one more key set. */
  public <T> IpcOptions with(IpcOption<T> key, T value) {
    return toBuilder().set(key, value).build();
  }

  /** The value of {@code key}: the one set, or its default. */
  public <T> T get(IpcOption<T> key) {
    Object value = values.get(Objects.requireNonNull(key, "key"));
    @SuppressWarnings("unchecked") // set() only stores values checked against their key
    T typed = value == null ? key.defaultValue() : (T) value;
    return typed;
  }

  /** Whether {@code key} was set explicitly. */
  public boolean isSet(IpcOption<?> key) {
    return values.containsKey(key);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IpcOptions && ((IpcOptions) o).values.equals(values);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  @Override
  public String toString() {
    return "IpcOptions" + values;
  }

  /** Builds {@link IpcOptions}; each value is checked as it is set. Not thread-safe. */
  public static final class Builder {
    private final Map<IpcOption<?>, Object> values;

    private Builder(Map<IpcOption<?>, Object> values) {
      this.values = new LinkedHashMap<>(values);
    }

    /**
     * Sets a value.
     *
     * @throws NullPointerException if {@code key} or {@code value} is null
     * @throws IllegalArgumentException if the key rejects the value; the message names the key, the
     *     value and what was expected
     */
    public <T> Builder set(IpcOption<T> key, T value) {
      values.put(Objects.requireNonNull(key, "key"), key.validate(value));
      return this;
    }

    /** Returns the options. */
    public IpcOptions build() {
      return values.isEmpty()
          ? DEFAULTS
          : new IpcOptions(Collections.unmodifiableMap(new LinkedHashMap<>(values)));
    }
  }
}
