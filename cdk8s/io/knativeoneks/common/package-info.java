/**
 * What both sides of the library share and users may rely on: the version catalog {@link Versions}, which pins every
 * upstream release, and {@link ValidationError}, which every construct throws at synth for a property it does not
 * allow.
 *
 * <p>This package imports only the JDK: the AWS side ({@code io.knativeoneks}) and the Kubernetes side
 * ({@link io.knativeoneks.k8s}) both build on it.
 */
package io.knativeoneks.common;
