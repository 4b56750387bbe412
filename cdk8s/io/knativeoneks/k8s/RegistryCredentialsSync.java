package io.knativeoneks.k8s;

import io.knativeoneks.internal.Validate;
import java.util.List;
import java.util.Map;
import org.cdk8s.ApiObject;
import org.cdk8s.ApiObjectMetadata;
import org.cdk8s.ApiObjectProps;
import org.cdk8s.JsonPatch;
import software.constructs.Construct;

/**
 * Registry credentials kept in AWS Secrets Manager, synced into the cluster at run time by the External Secrets
 * Operator: a namespaced {@code SecretStore} for Secrets Manager (the operator's own AWS identity reads it) and an
 * {@code ExternalSecret} that renders a {@code kubernetes.io/dockerconfigjson} Secret from the secret's
 * {@code username} and {@code password} keys. The credential values never pass through CloudFormation.
 *
 * <pre>{@code
 * RegistryCredentialsSync sync = new RegistryCredentialsSync(chart, "Credentials", "hub-credentials", "apps",
 *         "https://index.docker.io/v1/", "dockerhub", "eu-west-1");
 * ImageBuild.RegistryCredentials push = ImageBuild.RegistryCredentials.dockerConfigSecret(sync.getSecretName());
 * }</pre>
 */
public final class RegistryCredentialsSync extends Construct {
    private final ApiObject externalSecret;
    private final String secretName;

    /**
     * @param scope the construct's parent
     * @param id the construct's id
     * @param secretName the Kubernetes Secret to create
     * @param namespace where it is created
     * @param server the registry as Docker config names it, e.g. {@code https://index.docker.io/v1/}
     * @param secretsManagerKey the Secrets Manager secret's name or ARN (may be a CDK token)
     * @param region the Secrets Manager region (may be a CDK token)
     */
    public RegistryCredentialsSync(Construct scope, String id, String secretName, String namespace, String server,
            String secretsManagerKey, String region) {
        super(scope, id);
        Validate.dnsSubdomain(this, "secretName", secretName);
        Validate.dnsLabel(this, "namespace", namespace);
        Validate.required(this, "server", server, "pass the registry as Docker config names it");
        Validate.required(this, "secretsManagerKey", secretsManagerKey, "pass the secret's name or ARN");
        Validate.required(this, "region", region, "pass the secret's region");
        this.secretName = secretName;
        String storeName = secretName + "-store";

        ApiObject store = new ApiObject(this, "Store", ApiObjectProps.builder()
                .apiVersion("external-secrets.io/v1")
                .kind("SecretStore")
                .metadata(ApiObjectMetadata.builder().name(storeName).namespace(namespace).build())
                .build());
        store.addJsonPatch(JsonPatch.add("/spec", Map.of("provider", Map.of("aws",
                Maps.ordered("service", "SecretsManager", "region", region)))));

        Map<String, Object> template = Maps.ordered(
                "type", "kubernetes.io/dockerconfigjson",
                "data", Map.of(".dockerconfigjson", "{\"auths\":{\"" + server
                        + "\":{\"auth\":\"{{ printf \"%s:%s\" .username .password | b64enc }}\"}}}"));
        Map<String, Object> spec = Maps.ordered(
                "refreshInterval", "1h",
                "secretStoreRef", Maps.ordered("name", storeName, "kind", "SecretStore"),
                "target", Maps.ordered("name", secretName, "creationPolicy", "Owner", "template", template),
                "data", List.of(remote("username", secretsManagerKey), remote("password", secretsManagerKey)));
        externalSecret = new ApiObject(this, "Resource", ApiObjectProps.builder()
                .apiVersion("external-secrets.io/v1")
                .kind("ExternalSecret")
                .metadata(ApiObjectMetadata.builder().name(secretName).namespace(namespace).build())
                .build());
        externalSecret.addJsonPatch(JsonPatch.add("/spec", spec));
        externalSecret.addDependency(store);
    }

    private static Map<String, Object> remote(String property, String key) {
        return Maps.ordered("secretKey", property, "remoteRef", Maps.ordered("key", key, "property", property));
    }

    /** @return the {@code ExternalSecret} API object */
    public ApiObject getExternalSecret() {
        return externalSecret;
    }

    /** @return the name of the Kubernetes Secret the operator creates */
    public String getSecretName() {
        return secretName;
    }
}
