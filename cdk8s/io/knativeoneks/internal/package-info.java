/**
 * Helpers both sides of the library use and users should not: the property checks ({@link Validate}), the one
 * grammar for CDK tokens in strings ({@link Tokens}) and map keys sorted for stable output ({@link SortedKeys}).
 * Not part of the API: it may change in any release, and it is left out of the published Javadoc.
 *
 * <p>This package imports the JDK, {@code constructs} and {@link io.knativeoneks.common} only.
 */
package io.knativeoneks.internal;
