package io.knativeoneks;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.knativeoneks.common.ValidationError;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.sqs.Queue;
import software.constructs.Construct;

/** Who owns which object, service account and host among a platform's workloads, and which stacks depend on it. */
class ObjectRegistryTest {
    private final App app = new App();
    private final Stack platformStack = new Stack(app, "Platform");
    private final ObjectRegistry registry = new ObjectRegistry(new Construct(platformStack, "Knative"));

    @Test
    void anObjectHasOneCreator() {
        Construct a = new Construct(platformStack, "A");
        Construct b = new Construct(platformStack, "B");
        registry.claimObject(a, "name", "orders", "Service", "default", "orders");
        assertThatCode(() -> registry.claimObject(a, "name", "orders", "Service", "default", "orders"))
                .as("the same creator again").doesNotThrowAnyException();
        assertThatCode(() -> registry.claimObject(b, "name", "orders", "Service", "apps", "orders"))
                .as("another namespace").doesNotThrowAnyException();
        assertThatThrownBy(() -> registry.claimObject(b, "name", "orders", "Service", "default", "orders"))
                .isInstanceOf(ValidationError.class).hasMessage("[Platform/B] name (\"orders\") would create Service "
                        + "default/orders, which Platform/A already creates: give one of them another name or "
                        + "namespace");
    }

    @Test
    void aServiceAccountAndAHostHaveOneOwner() {
        Construct a = new Construct(platformStack, "A");
        registry.claimServiceAccount(a, "serviceAccount", "default", "orders");
        assertThatThrownBy(() -> registry.claimServiceAccount(a, "buildServiceAccount", "default", "orders"))
                .isInstanceOf(ValidationError.class).hasMessageContaining("is already used by another workload's");
        registry.claimHost(a, "name", "\"orders\"", "orders.default.example.com", "makes the host", "", "rename");
        assertThatThrownBy(() -> registry.claimHost(new Construct(platformStack, "B"), "name", "\"orders\"",
                "orders.default.example.com", "makes the host", "", "rename"))
                .isInstanceOf(ValidationError.class).hasMessageContaining("which Platform/A answers on already");
    }

    @Test
    void aDependentInAStackThePlatformReferencesIsACycle() {
        Stack services = new Stack(app, "Services");
        Queue referenced = new Queue(services, "Zone");
        registry.addReference(new Construct(platformStack, "R"), "hostedZone", "Services/Zone", referenced,
                "its hostedZone");
        assertThatThrownBy(() -> registry.addDependent(new Construct(services, "Orders")))
                .isInstanceOf(ValidationError.class).hasMessageContaining("would make stacks Platform and Services "
                        + "depend on each other");
        assertThatCode(() -> registry.addDependent(new Construct(new Stack(app, "Other"), "Orders")))
                .as("a third stack").doesNotThrowAnyException();
    }
}
