package io.knativeoneks;

import static io.knativeoneks.DependencyGraph.MANIFEST;
import static io.knativeoneks.DependencyGraph.READINESS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.knativeoneks.k8s.GitSource;
import io.knativeoneks.common.ValidationError;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.cdk8s.JsonPatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.IAspect;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.services.ecr.LifecycleRule;
import software.amazon.awscdk.services.ecr.Repository;
import software.amazon.awscdk.services.eks_v2.Cluster;
import software.amazon.awscdk.services.eks_v2.ClusterAttributes;
import software.amazon.awscdk.services.eks_v2.HelmChart;
import software.amazon.awscdk.services.eks_v2.ICluster;
import software.amazon.awscdk.services.eks_v2.KubectlProvider;
import software.amazon.awscdk.services.eks_v2.KubectlProviderAttributes;
import software.amazon.awscdk.services.eks_v2.KubernetesManifest;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.constructs.IConstruct;

/**
 * The library in other people's apps: a platform on a cluster it did not create, platform and workloads in stacks of
 * their own, workloads as IAM principals, images from ECR repository objects, and escape hatches.
 */
class AnyClusterTest {
    private static final String HELM = "Custom::AWSCDK-EKS-HelmChart";
    private static final String KUBECTL_TOKEN = "arn:aws:lambda:eu-west-1:111111111111:function:team-kubectl";
    private static final StackProps ENV = StackProps.builder().env(Environment.builder().account("111111111111")
            .region("eu-west-1").build()).build();

    static ICluster imported(Stack stack, boolean withKubectl) {
        ClusterAttributes.Builder attributes = ClusterAttributes.builder()
                .clusterName("team-cluster")
                .clusterEndpoint("https://0123456789ABCDEF.gr7.eu-west-1.eks.amazonaws.com")
                .clusterCertificateAuthorityData("Q0EgZGF0YQ==");
        if (withKubectl) {
            attributes.kubectlProvider(KubectlProvider.fromKubectlProviderAttributes(stack, "TeamKubectl",
                    KubectlProviderAttributes.builder().serviceToken(KUBECTL_TOKEN).build()));
        }
        return Cluster.fromClusterAttributes(stack, "TeamCluster", attributes.build());
    }

    private static KnativePlatform platformOnImported(Stack stack) {
        return KnativePlatform.Builder.create(stack, "Knative").cluster(imported(stack, true))
                .installPodIdentityAgent(true).build();
    }

    private static KnativeWorkload workload(Stack stack, KnativePlatform platform, ImageSource image) {
        return KnativeWorkload.Builder.create(stack, "Orders").platform(platform).name("orders").image(image).build();
    }

    private static Map<String, Object> properties(Template template, String type, Map<String, Object> like) {
        return template.findResources(type, Match.objectLike(Map.of("Properties", Match.objectLike(like))))
                .values().stream().map(r -> AnyClusterTest.<Map<String, Object>>cast(r.get("Properties"))).findFirst()
                .orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object o) {
        return (T) o;
    }

    @Test
    void platformOnAnImportedClusterUsesItsKubectlProviderAndInstallsTheAgentOnRequest() {
        App app = new App();
        Stack stack = new Stack(app, "Platform", ENV);
        KnativePlatform platform = platformOnImported(stack);
        Template template = Template.fromStack(stack);

        template.resourceCountIs("AWS::EKS::Cluster", 0);
        Map<String, Map<String, Object>> charts = template.findResources(HELM);
        assertThat(charts).hasSize(4);
        template.allResourcesProperties(HELM, Match.objectLike(Map.of(
                "ServiceToken", KUBECTL_TOKEN, "ClusterName", "team-cluster")));
        template.allResourcesProperties(MANIFEST, Match.objectLike(Map.of("ServiceToken", KUBECTL_TOKEN)));
        template.hasResourceProperties(READINESS, Match.objectLike(Map.of("ClusterName", "team-cluster",
                "Endpoint", "https://0123456789ABCDEF.gr7.eu-west-1.eks.amazonaws.com")));
        template.hasResourceProperties("AWS::EKS::Addon", Map.of("AddonName", "eks-pod-identity-agent",
                "ClusterName", "team-cluster"));
        DependencyGraph graph = new DependencyGraph(template.toJSON());
        String resources = graph.manifestContaining("\"kind\":\"KnativeServing\"");
        assertThat(graph.isAfter(resources, graph.all("AWS::EKS::Addon").get(0))).isTrue();
        template.hasResourceProperties("AWS::EKS::PodIdentityAssociation", Map.of("ClusterName", "team-cluster",
                "Namespace", "knative-serving", "ServiceAccount", "controller",
                "RoleArn", Match.anyValue()));
        assertThat(platform.getCluster().getClusterName()).isEqualTo("team-cluster");
        template.resourceCountIs("AWS::KMS::Key", 1); // the platform's own key for its log groups
    }

    @Test
    void aClusterImportedWithItsNameAndKubectlProviderOnlyIsDescribedOnDeployByTheReadinessWait() {
        Stack stack = new Stack(new App(), "Platform", ENV);
        KnativePlatform.Builder.create(stack, "Knative").cluster(Cluster.fromClusterAttributes(stack, "Bare",
                ClusterAttributes.builder().clusterName("team-cluster").kubectlProvider(KubectlProvider
                        .fromKubectlProviderAttributes(stack, "Kubectl", KubectlProviderAttributes.builder()
                                .serviceToken(KUBECTL_TOKEN).build())).build())).build();
        Template template = Template.fromStack(stack);

        template.allResourcesProperties(READINESS, Match.objectLike(Map.of("ClusterName", "team-cluster",
                "Endpoint", Match.absent(), "CertificateAuthority", Match.absent())));
        Map<String, Object> describe = Map.of("Action", "eks:DescribeCluster", "Effect", "Allow",
                "Resource", Map.of("Fn::Join", List.of("", List.of("arn:", Map.of("Ref", "AWS::Partition"),
                        ":eks:eu-west-1:111111111111:cluster/team-cluster"))));
        template.hasResourceProperties("AWS::IAM::Policy", Match.objectLike(Map.of("PolicyDocument",
                Match.objectLike(Map.of("Statement", Match.arrayWith(List.of(describe)))))));
        assertThat(template.toJSON().toString().split("eks:DescribeCluster", -1)).as("one grant").hasSize(2);

        Stack given = new Stack(new App(), "Given", ENV);
        platformOnImported(given);
        assertThat(Template.fromStack(given).toJSON().toString())
                .as("endpoint and certificate authority given: no describe").doesNotContain("eks:DescribeCluster");
    }

    @Test
    void everythingThePlatformCreatesIsUnderItsScope() {
        App app = new App();
        Stack clusterStack = new Stack(app, "Cluster", ENV);
        KnativeCluster cluster = KnativeCluster.Builder.create(clusterStack, "Cluster").build();
        Stack platformStack = new Stack(app, "Platform", ENV);
        KnativePlatform platform = KnativePlatform.Builder.create(platformStack, "Knative").cluster(cluster)
                .metrics(MetricsOptions.builder().build()).logs(LogsOptions.builder().build()).build();
        List<IConstruct> visited = new java.util.ArrayList<>();
        Aspects.of(platform).add((IAspect) visited::add);
        app.synth();

        assertThat(visited).filteredOn(c -> c instanceof HelmChart).hasSize(5);
        assertThat(Template.fromStack(clusterStack).findResources(HELM)).isEmpty();
        assertThat(Template.fromStack(clusterStack).findResources(READINESS)).isEmpty();
        assertThat(Template.fromStack(clusterStack).findResources("AWS::EKS::PodIdentityAssociation")).isEmpty();
        Template platformTemplate = Template.fromStack(platformStack);
        assertThat(platformTemplate.findResources(HELM)).hasSize(5);
        platformTemplate.resourceCountIs("AWS::EKS::PodIdentityAssociation", 2);
        assertThat(platformTemplate.findResources(READINESS)).hasSize(3);
        assertThat(platformTemplate.findResources("AWS::Lambda::Function").keySet())
                .anyMatch(id -> id.startsWith("KnativeReadinessWaitProviderFunction"));
        assertThat(platformStack.getDependencies()).containsExactly(clusterStack);
    }

    /** Cluster, platform and workloads in three stacks of one app, for every image source. */
    @ParameterizedTest
    @ValueSource(strings = {"localDirectory", "git", "image", "ecrRepository", "directory", "registryCredentials"})
    void workloadsInTheirOwnStackDependOnThePlatformNeverTheOtherWayRound(String source) {
        App app = new App();
        Stack clusterStack = new Stack(app, "Cluster", ENV);
        KnativeCluster cluster = KnativeCluster.Builder.create(clusterStack, "Cluster").build();
        Stack platformStack = new Stack(app, "Platform", ENV);
        KnativePlatform platform = KnativePlatform.Builder.create(platformStack, "Knative").cluster(cluster).build();
        Stack registryStack = new Stack(app, "Registry", ENV);
        Repository shared = Repository.Builder.create(registryStack, "Orders").build();
        Stack services = new Stack(app, "Services", ENV);
        Map<String, Function<Stack, ImageSource>> sources = Map.of(
                "localDirectory", s -> ImageSource.fromLocalDirectory("examples/hello-python"),
                "git", s -> ImageSource.fromGit(GitSource.builder().url("https://github.com/team/orders.git")
                        .tag("v1.0").build()),
                "image", s -> ImageSource.fromImage("111111111111.dkr.ecr.eu-west-1.amazonaws.com/orders:1.0"),
                "ecrRepository", s -> ImageSource.fromEcrRepository(shared, "1.0"),
                "directory", s -> ImageSource.fromDockerBuild("examples/hello-python"),
                "registryCredentials", s -> ImageSource.fromGit(GitSource.builder()
                        .url("https://github.com/team/orders.git").tag("v1.0").build(), ImageRegistry.dockerHub(
                                "docker.io/team/orders", Secret.Builder.create(s, "HubCredentials").build())));
        KnativeWorkload orders = workload(services, platform, sources.get(source).apply(services));
        Bucket bucket = Bucket.Builder.create(services, "Data").build();
        bucket.grantRead(orders);

        app.synth(); // a dependency cycle between the stacks fails here
        assertThat(services.getDependencies()).contains(platformStack, clusterStack);
        assertThat(platformStack.getDependencies()).doesNotContain(services, registryStack);
        assertThat(registryStack.getDependencies()).isEmpty();
        Template template = Template.fromStack(services);
        if (List.of("image", "ecrRepository", "directory").contains(source)) {
            // Serving's controller may pull, by a policy of the workload's stack attached to its role
            template.hasResourceProperties("AWS::IAM::Policy", Match.objectLike(Map.of(
                    "PolicyDocument", Match.objectLike(Map.of("Statement", Match.arrayWith(List.of(
                            Match.objectLike(Map.of("Action", Match.arrayWith(List.of("ecr:BatchGetImage")))))))),
                    "Roles", Match.anyValue())));
        }
    }

    @Test
    void aWorkloadIsAPrincipalWithItsOwnServiceAccountAndAnEmptyRole() {
        App app = new App();
        Stack stack = new Stack(app, "Platform", ENV);
        KnativePlatform platform = platformOnImported(stack);
        Stack services = new Stack(app, "Services", ENV);
        KnativeWorkload orders = workload(services, platform, ImageSource.fromImage("ghcr.io/team/orders:1.0"));
        KnativeWorkload audit = KnativeWorkload.Builder.create(services, "Audit").platform(platform).name("audit")
                .serviceAccount("audit-reader").image(ImageSource.fromImage("ghcr.io/team/audit:1.0")).build();
        Bucket bucket = Bucket.Builder.create(services, "Data").build();
        bucket.grantRead(orders);
        Template template = Template.fromStack(services);
        DependencyGraph graph = new DependencyGraph(template.toJSON());

        String role = graph.find("AWS::IAM::Role", p -> String.valueOf(p.get("Description")).endsWith("/orders"));
        template.hasResourceProperties("AWS::IAM::Policy", Match.objectLike(Map.of(
                "PolicyDocument", Match.objectLike(Map.of("Statement", Match.arrayWith(List.of(Match.objectLike(
                        Map.of("Action", Match.arrayWith(List.of("s3:GetObject*")))))))),
                "Roles", List.of(Map.of("Ref", role)))));
        assertThat(graph.all("AWS::IAM::Policy")).as("audit's role starts empty").hasSize(1);
        String association = graph.find("AWS::EKS::PodIdentityAssociation",
                p -> "orders".equals(p.get("ServiceAccount")) && "default".equals(p.get("Namespace")));
        assertThat(properties(template, "AWS::EKS::PodIdentityAssociation", Map.of("ServiceAccount", "orders"))
                .get("RoleArn")).isEqualTo(Map.of("Fn::GetAtt", List.of(role, "Arn")));
        String service = graph.manifestContaining("\"kind\":\"Service\"", "\"name\":\"orders\"");
        assertThat(graph.manifest(service)).contains("\"kind\":\"ServiceAccount\"", "\"serviceAccountName\":\"orders\"");
        assertThat(graph.isAfter(service, association)).as("pods start after their identity exists").isTrue();
        assertThat(graph.manifest(graph.manifestContaining("\"name\":\"audit\"")))
                .contains("\"serviceAccountName\":\"audit-reader\"");
        assertThat(audit.getServiceAccount()).isEqualTo("audit-reader");
        assertThat(orders.getGrantPrincipal()).isSameAs(orders.getRole());
    }

    @Test
    void fromEcrRepositoryLetsServingResolveTheTagAndTheNodesPull() {
        App app = new App();
        Stack stack = new Stack(app, "Platform", ENV);
        KnativeCluster cluster = KnativeCluster.Builder.create(stack, "Cluster").build();
        KnativePlatform platform = KnativePlatform.Builder.create(stack, "Knative").cluster(cluster).build();
        Stack services = new Stack(app, "Services", ENV);
        Repository repository = Repository.Builder.create(services, "OrdersRepo").build();
        KnativeWorkload orders = workload(services, platform, ImageSource.fromEcrRepository(repository, "1.4.2"));
        Template template = Template.fromStack(services);
        DependencyGraph graph = new DependencyGraph(template.toJSON());

        String repo = graph.all("AWS::ECR::Repository").get(0);
        Object pull = Match.objectLike(Map.of(
                "Action", List.of("ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"),
                "Resource", Map.of("Fn::GetAtt", List.of(repo, "Arn"))));
        template.hasResourceProperties("AWS::IAM::Policy", Match.objectLike(Map.of(
                "PolicyDocument", Match.objectLike(Map.of("Statement", Match.arrayWith(List.of(pull)))),
                "Roles", List.of(Map.of("Fn::ImportValue", Match.stringLikeRegexp(".*ServingController.*"))))));
        assertThat(graph.manifest(graph.manifestContaining("\"kind\":\"Service\"", "orders")))
                .contains("\"image\":\"", ":1.4.2\"");
        Template.fromStack(stack).hasResourceProperties("AWS::IAM::Role", Match.objectLike(Map.of(
                "ManagedPolicyArns", Match.arrayWith(List.of(Match.objectLike(Map.of("Fn::Join", Match.arrayWith(
                        List.of(Match.arrayWith(List.of(
                                ":iam::aws:policy/AmazonEC2ContainerRegistryReadOnly")))))))))));
        assertThat(orders.getRepository()).isSameAs(repository);
        assertThat(orders.getBuild()).isNull();
    }

    @Test
    void escapeHatchesReachTheManifestsAndTheTemplate() {
        App app = new App();
        Stack stack = new Stack(app, "Platform", ENV);
        KnativePlatform platform = platformOnImported(stack);
        KnativeWorkload orders = workload(stack, platform, ImageSource.fromGit(GitSource.builder()
                .url("https://github.com/team/orders.git").tag("v1.0").build()));
        // after the constructs were built, as a user adds what the library does not offer
        orders.getKnativeService().getResource().addJsonPatch(JsonPatch.add(
                "/spec/template/spec/containers/0/readinessProbe", Map.of("httpGet", Map.of("path", "/healthz"))));
        ((Repository) orders.getRepository()).addLifecycleRule(LifecycleRule.builder().description("team rule")
                .tagPrefixList(List.of("release")).maxImageCount(5).build());
        platform.getKnativeChart().getServing().getResource().addJsonPatch(JsonPatch.add(
                "/spec/high-availability", Map.of("replicas", 2)));
        Template template = Template.fromStack(stack);
        DependencyGraph graph = new DependencyGraph(template.toJSON());

        assertThat(graph.manifest(graph.manifestContaining("\"kind\":\"Service\"", "orders")))
                .contains("\"readinessProbe\":{\"httpGet\":{\"path\":\"/healthz\"}}")
                .contains("aws.cdk.eks/prune-");
        assertThat(graph.manifest(graph.manifestContaining("\"kind\":\"KnativeServing\"")))
                .contains("\"high-availability\":{\"replicas\":2}");
        template.hasResourceProperties("AWS::ECR::Repository", Match.objectLike(Map.of("LifecyclePolicy",
                Match.objectLike(Map.of("LifecyclePolicyText", Match.stringLikeRegexp(".*team rule.*"))))));
        assertThat(orders.getBuild().getJobName()).startsWith("orders-build-");
        assertThat(graph.manifest(graph.manifestContaining("\"kind\":\"Job\""))).contains(orders.getBuild().getJobName());
        assertThat(orders.getChart().getNode().tryFindChild("Service")).isSameAs(orders.getKnativeService());
        assertThat(platform.getIstioBase()).isNotNull();
        assertThat(platform.getIstiod().getNode().getPath()).isEqualTo("Platform/Knative/Istiod");
        KubernetesManifest resources = platform.getKnativeResources();
        assertThat(resources.getNode().getPath()).isEqualTo("Platform/Knative/KnativeResources");
    }

    @Test
    void propsAreReadable() {
        KnativeWorkloadProps workload = KnativeWorkloadProps.builder().name("orders").buildServiceAccount("builder")
                .containerPort(9000).build();
        assertThat(workload.getName()).isEqualTo("orders");
        assertThat(workload.getServiceAccount()).isEqualTo("orders");
        assertThat(workload.getBuildServiceAccount()).isEqualTo("builder");
        assertThat(workload.getContainerPort()).isEqualTo(9000);
        KnativePlatformProps platform = KnativePlatformProps.builder().domain("apps.example.org").metrics(MetricsOptions.builder().build())
                .build();
        assertThat(platform.getDomain()).isEqualTo("apps.example.org");
        assertThat(platform.getMetrics().getRetention().toHours()).isEqualTo(24);
        assertThat(platform.getAppNamespace()).isEqualTo("default");
        assertThat(platform.getCluster()).isNull();
        assertThat(KnativeClusterProps.builder().desiredSize(3).build().getDesiredSize()).isEqualTo(3);
        assertThat(ScheduledEventsProps.builder().name("tick").build().getSchedule()).isEqualTo("* * * * *");
    }

    private static void fails(Runnable build, String message) {
        assertThatThrownBy(build::run).isInstanceOf(ValidationError.class).hasMessageContaining(message);
    }

    @Test
    void badInputFailsAtSynthWithTheFix() {
        fails(() -> KnativePlatform.Builder.create(new Stack(new App(), "S"), "Knative").cluster((ICluster) null)
                .build(), "[S/Knative] cluster (null) is required: pass the KnativeCluster to install on, or any "
                        + "eks_v2 ICluster");
        fails(() -> {
            Stack stack = new Stack(new App(), "S");
            KnativePlatform.Builder.create(stack, "Knative").cluster(imported(stack, false)).build();
        }, "[S/Knative] cluster (S/TeamCluster) has no kubectl provider, so no chart or manifest can be applied to "
                + "it: import it with Cluster.fromClusterAttributes(");
        fails(() -> {
            Stack stack = new Stack(new App(), "S");
            KnativeCluster cluster = KnativeCluster.Builder.create(stack, "Cluster").build();
            KnativePlatform.Builder.create(stack, "Knative").cluster(cluster).build();
            KnativePlatform.Builder.create(stack, "Again").cluster(cluster).build();
        }, "[S/Again] cluster (S/Cluster) already runs the platform S/Knative; one cluster takes one "
                + "KnativePlatform");
        fails(() -> {
            Stack stack = new Stack(new App(), "S");
            KnativePlatform.Builder.create(stack, "Knative").cluster(KnativeCluster.Builder.create(stack, "Cluster")
                    .build()).installPodIdentityAgent(true).build();
        }, "installPodIdentityAgent (true) would add a second eks-pod-identity-agent add-on to the cluster S/Cluster/"
                + "Cluster");
        fails(() -> {
            KnativePlatform platform = platformOnImported(new Stack(new App(), "S", ENV));
            workload(new Stack(new App(), "Other", ENV), platform, ImageSource.fromImage("ghcr.io/team/orders:1"));
        }, "[Other/Orders] platform (S/Knative) is in another CDK app: create the workload in a stack of the "
                + "platform's app");
        fails(() -> {
            App app = new App();
            KnativePlatform platform = platformOnImported(new Stack(app, "S", ENV));
            workload(new Stack(app, "Other", StackProps.builder().env(Environment.builder().account("111111111111")
                    .region("us-east-1").build()).build()), platform, ImageSource.fromImage("ghcr.io/team/orders:1"));
        }, "[Other/Orders] platform (S/Knative) is in account 111111111111, region eu-west-1, but this construct's "
                + "stack is in account 111111111111, region us-east-1");
        fails(() -> {
            Stack stack = new Stack(new App(), "S", ENV);
            workload(stack, platformOnImported(stack), ImageSource.fromEcrRepository(
                    Repository.fromRepositoryName(stack, "Repo", "orders"), "latest tag"));
        }, "image.tag (\"latest tag\") must be an image tag");
        fails(() -> {
            Stack stack = new Stack(new App(), "S", ENV);
            KnativePlatform platform = platformOnImported(stack);
            workload(stack, platform, ImageSource.fromImage("ghcr.io/team/orders:1"));
            KnativeWorkload.Builder.create(stack, "Second").platform(platform).name("second").serviceAccount("orders")
                    .image(ImageSource.fromImage("ghcr.io/team/orders:1")).build();
        }, "[S/Second] serviceAccount (\"orders\") is already used by another workload's build or service");
    }
}
