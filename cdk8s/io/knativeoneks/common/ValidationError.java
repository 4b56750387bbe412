package io.knativeoneks.common;

/**
 * A property given to a knative-on-eks construct is not allowed.
 *
 * <p>Thrown at synth time, before anything is deployed. The message names the construct path, the property, the value
 * given, what is allowed and how to fix it.
 */
public final class ValidationError extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** The name of the property that was rejected. */
    private final String property;

    /**
     * @param path the path of the construct given the property
     * @param property the name of the property
     * @param value the value given
     * @param requirement what the value must be, phrased to follow the value, e.g. "must be at least 1"
     * @param fix what the user should do, e.g. "set nodeCount to 1 or more"
     */
    public ValidationError(String path, String property, Object value, String requirement, String fix) {
        super(String.format("[%s] %s (%s) %s: %s", path, property, value, requirement, fix));
        this.property = property;
    }

    /** @return the name of the property that was rejected */
    public String getProperty() {
        return property;
    }
}
