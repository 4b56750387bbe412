package io.knativeoneks;

import io.knativeoneks.internal.Tokens;
import io.knativeoneks.internal.Validate;
import io.knativeoneks.k8s.DomainTemplate;
import java.util.regex.Pattern;
import software.amazon.awscdk.services.ecr.IRepository;
import software.amazon.awscdk.services.eks_v2.ICluster;
import software.amazon.awscdk.services.iam.IRole;
import software.constructs.Construct;
import software.constructs.DependencyGroup;
import software.constructs.IDependable;

/**
 * A platform another CDK app installed ({@link KnativePlatform#fromPlatformAttributes}): nothing to install or wait
 * for (its readiness gates are empty), its own record of this app's objects for clash checks, and namespaces other
 * than the application namespace created by this app, as {@link KnativePlatform} does.
 */
final class ImportedPlatform extends PlatformBase {
    /** An IAM role ARN in a known partition (IAM User Guide, "IAM identifiers"). */
    private static final Pattern ROLE_ARN = Pattern.compile(
            "arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b|aws-iso-e|aws-iso-f|aws-eusc):iam::\\d{12}:role/"
                    + "[\\w+=,.@/-]+");
    private static final String ROLE_FIX = "use arn:<partition>:iam::<account>:role/<name>, the role's ARN in the "
            + "platform's app";

    private final KnativePlatformAttributes attributes;
    private final ClusterContext cluster;
    private final DependencyGroup servingReady = new DependencyGroup();
    private final DependencyGroup eventingReady = new DependencyGroup();
    private final DependencyGroup appNamespaceReady = new DependencyGroup();
    private String ingressHostname;
    private ExternalSecrets externalSecrets;

    ImportedPlatform(Construct scope, String id, KnativePlatformAttributes attributes) {
        super(scope, id);
        Validate.required(this, "attributes", attributes, "pass KnativePlatformAttributes.builder().cluster(...)"
                + ".servingControllerRoleArn(...).build()");
        Validate.check(attributes.cluster != null, this, "cluster", null, "is required",
                "pass the platform's cluster, imported with Cluster.fromClusterAttributes(...) and its "
                        + "kubectlProvider");
        Validate.check(attributes.servingControllerRoleArn != null, this, "servingControllerRoleArn", null,
                "is required", "pass platform.getServingControllerRole().getRole().getRoleArn() of the platform's app");
        attributes.nulls.check(this, "");
        PlatformChecks.checkKubectlProvider(this, attributes.cluster);
        roleArn("servingControllerRoleArn", attributes.servingControllerRoleArn);
        if (attributes.externalSecretsRoleArn != null) {
            roleArn("externalSecretsRoleArn", attributes.externalSecretsRoleArn);
        }
        ApplicationNamespace.check(this, "appNamespace", attributes.appNamespace);
        Validate.domainName(this, "domain", attributes.domain);
        if (attributes.ingressHostname != null) {
            Validate.check(Tokens.isUnresolved(attributes.ingressHostname)
                            || !attributes.ingressHostname.isBlank(), this, "ingressHostname",
                    "\"" + attributes.ingressHostname + "\"", "is blank",
                    "pass the platform's IngressLoadBalancer output, or leave it unset to read it from the cluster");
        }
        KnativeCluster.checkRemovalPolicy(this, attributes.removalPolicy);
        this.attributes = attributes;
        this.ingressHostname = attributes.ingressHostname;
        this.cluster = new ClusterContext(attributes.cluster, null, null, null, attributes.removalPolicy,
                ClusterContext.DEFAULT_LOG_RETENTION, null, null, this);
    }

    private void roleArn(String property, String arn) {
        Validate.check(Tokens.isUnresolved(arn) || ROLE_ARN.matcher(arn).matches(), this, property,
                "\"" + arn + "\"", "must be an IAM role ARN", ROLE_FIX);
    }


    @Override
    public ICluster getCluster() {
        return attributes.cluster;
    }

    @Override
    public String getAppNamespace() {
        return attributes.appNamespace;
    }

    @Override
    public String getDomain() {
        return attributes.domain;
    }

    @Override
    public DomainTemplate getDomainTemplate() {
        return attributes.https ? DomainTemplate.ONE_LABEL : DomainTemplate.DOTTED;
    }

    /** @return the attribute, or the gateway's load balancer read from the cluster at deploy time */
    @Override
    public String getIngressHostname() {
        if (ingressHostname == null) {
            ingressHostname = cluster.waitForValue(this, "IngressHostname", "service", IstioMesh.GATEWAY_NAME,
                    IstioMesh.NAMESPACE, IstioMesh.INGRESS_HOSTNAME_PATH).getValue();
        }
        return ingressHostname;
    }

    @Override
    public IDependable getServingReady() {
        return servingReady;
    }

    @Override
    public IDependable getEventingReady() {
        return eventingReady;
    }

    @Override
    public IDependable getAppNamespaceReady() {
        return appNamespaceReady;
    }

    @Override
    public ExternalSecrets externalSecrets() {
        if (externalSecrets == null) {
            externalSecrets = attributes.externalSecretsRoleArn != null
                    ? new ExternalSecrets(this, "ExternalSecrets", attributes.externalSecretsRoleArn)
                    : new ExternalSecrets(this, "ExternalSecrets", cluster);
        }
        return externalSecrets;
    }

    @Override
    ClusterContext getClusterContext() {
        return cluster;
    }

    @Override
    boolean allowsZeroInitialScale() {
        return attributes.zeroInitialScale;
    }

    @Override
    boolean servesHttps() {
        return attributes.https;
    }

    @Override
    PublicDomain getPublicDomain() {
        return null;
    }

    @Override
    void grantImagePull(Construct from, IRepository repository) {
        IRole controller = PodIdentityRole.imported(from, "ServingControllerRole", attributes.servingControllerRoleArn);
        repository.grantPull(controller);
        PodIdentityRole.acknowledgeEcrLogin(controller);
    }
}
