package io.knativeoneks;

import static io.knativeoneks.ValidationRows.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.knativeoneks.k8s.GitSource;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import software.amazon.awscdk.Size;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.secretsmanager.Secret;

/**
 * Validation rows of ImageSource, LocalSource, GitSource and ImageRegistry: where a workload's image comes from. Run
 * by {@link ValidationTest}.
 */
final class ImageSourceRows {
    private ImageSourceRows() {
    }

    static Stream<Arguments> badRows() {
        return Stream.of(
                bad("ImageSource.fromEcrRepository", "ECR repository null",
                        s -> image(s, ImageSource.fromEcrRepository(null, "1.0.0")),
                        "[Test/Workload] image.repository (null) is required: pass the ECR repository, e.g. "
                                + "Repository.fromRepositoryName(this, \"Repo\", \"app\")"),
                bad("ImageSource.fromEcrRepository", "ECR tag with a space", s -> image(s, ImageSource
                        .fromEcrRepository(software.amazon.awscdk.services.ecr.Repository.fromRepositoryName(s,
                                "Repo", "app"), "latest tag")),
                        "[Test/Workload] image.tag (\"latest tag\") must be an image tag: use a value such as "
                                + "\"1.0.0\""),
                bad("ImageSource.fromImage", "image without tag", s -> image(s, ImageSource.fromImage("nginx")),
                        "[Test/Workload] image (\"nginx\") must name a tag or a digest, or the deployment would drift "
                                + "with :latest: add :<tag> or @sha256:<digest>"),
                bad("ImageSource.fromImage", "image upper case",
                        s -> image(s, ImageSource.fromImage("Docker.io/App:1")),
                        "[Test/Workload] image (\"Docker.io/App:1\") must be a container image reference "
                                + "([registry/]repository[:tag][@sha256:digest]): use a value such as "
                                + "\"ghcr.io/org/app:1.0\""),
                bad("ImageSource.fromImage", "image null", s -> image(s, ImageSource.fromImage(null)),
                        "[Test/Workload] image (null) must not be null: use a value such as \"ghcr.io/org/app:1.0\""),
                bad("ImageSource.fromImage", "image registry hidden in a token",
                        s -> image(s, ImageSource.fromImage(token(s, "Image"))),
                        "[Test/Workload] image (\"${Token[TOKEN.]}\") hides its registry in a CDK token, so it is "
                                + "unknown at synth whether Knative Serving's controller needs pull on an ECR "
                                + "repository: pass a literal reference, or repository.repositoryUriForTag(\"<tag>\") "
                                + "for an ECR repository"),
                bad("ImageSource.fromImage", "ECR repository URI without tag", s -> image(s, ImageSource.fromImage(
                        software.amazon.awscdk.services.ecr.Repository.Builder.create(s, "Repo").build()
                                .getRepositoryUri())),
                        "[Test/Workload] image (\"${Token[TOKEN.]}.dkr.ecr.${Token[TOKEN.]}.${Token[AWS.URLSuffix.]}/"
                                + "${Token[TOKEN.]}\") must name a tag or a digest, or the deployment would drift with "
                                + ":latest: use repository.repositoryUriForTag(\"<tag>\") or add @sha256:<digest>"),
                bad("ImageSource.fromImage", "ECR-like host of no known form",
                        s -> image(s, ImageSource.fromImage(NINE + ".dkr.ecr.eu-west-1.example.com/app:1")),
                        "[Test/Workload] image (\"" + NINE + ".dkr.ecr.eu-west-1.example.com/app:1\") names a registry "
                                + "that looks like Amazon ECR but is none of its forms (<account>.dkr.ecr[-fips]."
                                + "<region>.amazonaws.com[.cn], <account>.dkr-ecr[-fips].<region>.on.aws): copy the "
                                + "repository URI from the ECR console, e.g. 123456789012.dkr.ecr.eu-west-1."
                                + "amazonaws.com/app:1"),
                bad("ImageSource.fromDockerBuild", "image directory without Dockerfile",
                        s -> image(s, ImageSource.fromDockerBuild("src")),
                        "[Test/Workload] image.directory (\"src\") must be a directory with a Dockerfile (relative to "
                                + java.nio.file.Paths.get("").toAbsolutePath() + "): point at the folder of your app, "
                                + "e.g. examples/hello-python"),
                bad("ImageSource.fromDockerBuild", "image directory null",
                        s -> image(s, ImageSource.fromDockerBuild(null)),
                        "[Test/Workload] image.directory (null) must not be null: point at the folder of your app, "
                                + "e.g. examples/hello-python"),
                bad("ImageSource.fromDirectory", "deprecated fromDirectory without Dockerfile",
                        s -> image(s, deprecatedFromDirectory("src")),
                        "[Test/Workload] image.directory (\"src\") must be a directory with a Dockerfile (relative to "
                                + java.nio.file.Paths.get("").toAbsolutePath() + "): point at the folder of your app, "
                                + "e.g. examples/hello-python"),
                bad("ImageSource.fromLocalDirectory", "local directory missing",
                        s -> image(s, ImageSource.fromLocalDirectory("no/such/app")),
                        "[Test/Workload] image.directory (\"no/such/app\") must be a directory (resolved to "
                                + Paths.get("no/such/app").toAbsolutePath() + "): give the app's folder relative to "
                                + "where cdk runs, e.g. examples/hello-python"),
                bad("ImageSource.fromLocalSource", "local source null", s -> image(s, ImageSource.fromLocalSource(null)),
                        "[Test/Workload] image.local (null) must not be null: pass a LocalSource to "
                                + "ImageSource.fromLocalSource, or use ImageSource.fromLocalDirectory"),
                bad("ImageSource.fromLocalSource", "local registry null", s -> image(s, ImageSource.fromLocalSource(
                        LocalSource.builder().directory("examples/hello-python").build(), null)),
                        "[Test/Workload] image.registry (null) must not be null: pass an ImageRegistry, or use "
                                + "ImageSource.fromLocalSource(source) for a new ECR repository"),
                bad("LocalSource.Builder.directory", "local directory not given",
                        s -> image(s, ImageSource.fromLocalSource(LocalSource.builder().build())),
                        "[Test/Workload] image.directory (null) is required: give the app's folder relative to where "
                                + "cdk runs, e.g. examples/hello-python"),
                bad("LocalSource.Builder.dockerfile", "local Dockerfile missing",
                        s -> image(s, ImageSource.fromLocalSource(LocalSource.builder().directory("examples/hello-python")
                                .dockerfile("Dockerfile.prod").build())),
                        "[Test/Workload] image.dockerfile (\"Dockerfile.prod\") must be a file in "
                                + Paths.get("examples/hello-python").toAbsolutePath()
                                + ": add a Dockerfile to the directory or name the one it has"),
                bad("LocalSource.Builder.dockerfile", "local Dockerfile outside the directory",
                        s -> localBuild(s, "examples/hello-python", "../event-display/Dockerfile"),
                        "[Test/Workload] image.dockerfile (\"../event-display/Dockerfile\") must be inside "
                                + HELLO_PYTHON + " (resolved to " + Paths.get("examples/event-display/Dockerfile")
                                .toAbsolutePath() + "): the build context is that directory, and the Dockerfile is "
                                + "read from it: move the Dockerfile into the directory, or build a directory that "
                                + "holds it"),
                bad("LocalSource.Builder.dockerfile", "local Dockerfile through a symbolic link",
                        s -> localBuild(s, fixture("linked-dockerfile", Map.of("Dockerfile", "docker/Dockerfile")),
                                "Dockerfile"),
                        "[Test/Workload] image.dockerfile (\"Dockerfile\") is reached through the symbolic link "
                                + Paths.get("target/validation-fixtures/linked-dockerfile/Dockerfile").toAbsolutePath()
                                + ", which the build context holds as a link, not as the file: name the Dockerfile by "
                                + "its real path inside the directory"),
                bad("LocalSource.Builder.directory", "local link out of the directory",
                        s -> localBuild(s, fixture("escaping-link", Map.of("config.json",
                                "/kaniko/.docker/config.json")), "docker/Dockerfile"),
                        "[Test/Workload] image.directory (\"target/validation-fixtures/escaping-link\") holds the "
                                + "symbolic link config.json -> /kaniko/.docker/config.json, which resolves outside "
                                + "the directory or to nothing (kaniko would follow it in its own container): replace "
                                + "the link with a copy of what it points to, or list config.json in .dockerignore"),
                bad("LocalSource.Builder.maxContextSize", "local context limit below 1 MiB",
                        s -> image(s, ImageSource.fromLocalSource(LocalSource.builder().directory("examples/hello-python")
                                .maxContextSize(Size.kibibytes(512)).build())),
                        "[Test/Workload] image.maxContextSize (0.5 MiB) must be at least 1 MiB: leave it unset for 500 "
                                + "MiB, or pass e.g. Size.mebibytes(100)"),
                bad("GitSource.Builder.rebuildKey", "rebuild key is a token",
                        s -> image(s, ImageSource.fromGit(git().rebuildKey(token(s, "Key")).build())),
                        "[Test/Workload] git.rebuildKey (\"${Token[TOKEN.]}\") must be a literal string, not a CDK "
                                + "token (the build's name and image tag are a hash of the build taken at synth, "
                                + "where a token has no value, so a new value would never start a build): pass the "
                                + "text itself, e.g. the date \"2026-11-27\""),
                bad("GitSource.Builder.rebuildKey", "rebuild key null",
                        s -> image(s, ImageSource.fromGit(git().rebuildKey(null).build())),
                        "[Test/Workload] git.rebuildKey" + NOT_NULL + "git.rebuildKey unset for its default, or pass a "
                                + "value"),
                bad("ImageSource.fromGit", "git source null", s -> image(s, ImageSource.fromGit(null)),
                        "[Test/Workload] image.git (null) must not be null: pass a GitSource to ImageSource.fromGit"),
                bad("ImageSource.fromGit", "git registry null", s -> image(s, ImageSource.fromGit(git().build(), null)),
                        "[Test/Workload] image.registry (null) must not be null: pass an ImageRegistry, or use "
                                + "ImageSource.fromGit(source) for a new ECR repository"),
                bad("ImageRegistry.dockerHub", "registry without credentials",
                        s -> image(s, ImageSource.fromGit(git().build(), ImageRegistry.dockerHub("docker.io/alice/app",
                                null))),
                        "[Test/Workload] registry.credentials (null) is required for a registry other than ECR: pass a "
                                + "Secrets Manager secret with username and password, or use ImageRegistry.ecr()"),
                bad("ImageRegistry.dockerHub", "registry repository with tag",
                        s -> image(s, ImageSource.fromGit(git().build(), ImageRegistry.dockerHub(
                                "docker.io/alice/app:1", null))),
                        "[Test/Workload] registry.repository (\"docker.io/alice/app:1\") must be an image repository "
                                + "without tag: use a value such as \"docker.io/myuser/app\""),
                bad("ImageRegistry.dockerHub", "registry repository null",
                        s -> image(s, ImageSource.fromGit(git().build(), ImageRegistry.dockerHub(null,
                                Secret.Builder.create(s, "Creds").build()))),
                        "[Test/Workload] registry.repository (null) must not be null: use a value such as "
                                + "\"docker.io/myuser/app\""),
                bad("ImageRegistry.withCredentials", "registry server not https",
                        s -> image(s, ImageSource.fromGit(git().build(), ImageRegistry.withCredentials(
                                "registry.example.com", "registry.example.com/app", Secret.Builder.create(s, "Creds")
                                        .build()))),
                        "[Test/Workload] registry.server (\"registry.example.com\") must be an https:// registry "
                                + "address: use a value such as \"https://index.docker.io/v1/\""),
                bad("ImageRegistry.withCredentials", "registry server with a password is never echoed",
                        s -> image(s, ImageSource.fromGit(git().build(), ImageRegistry.withCredentials(
                                "https://bob:hunter2@registry.example.com", "registry.example.com/app", null))),
                        "[Test/Workload] registry.server (<hidden: it holds credentials>) must not carry a user name "
                                + "or password (they would be written into the template or a manifest): name the "
                                + "registry only; the credentials come from the Secrets Manager secret"),
                bad("ImageRegistry.withCredentials", "registry server null",
                        s -> image(s, ImageSource.fromGit(git().build(), ImageRegistry.withCredentials(null,
                                "registry.example.com/app", null))),
                        "[Test/Workload] registry.server (null) must not be null: use a value such as "
                                + "\"https://index.docker.io/v1/\""),
                bad("GitSource.Builder.url", "git url not https",
                        s -> image(s, ImageSource.fromGit(GitSource.builder().url("git@github.com:org/repo.git")
                                .build())),
                        "[Test/Workload] git.url (\"git@github.com:org/repo.git\") must be an https:// git repository "
                                + "URL: use a value such as \"https://github.com/org/repo.git\""),
                bad("GitSource.Builder.url", "git url missing",
                        s -> image(s, ImageSource.fromGit(GitSource.builder().build())),
                        "[Test/Workload] git.url (null) is required: pass the repository's HTTPS URL, e.g. "
                                + "https://github.com/org/repo.git"),
                bad("GitSource.Builder.url", "git url with user and token is never echoed",
                        s -> image(s, ImageSource.fromGit(GitSource.builder()
                                .url("https://alice:ghp_s3cr3t@github.com/org/repo.git").build())), HIDDEN_GIT_URL),
                bad("GitSource.Builder.url", "git url with a token as user is never echoed",
                        s -> image(s, ImageSource.fromGit(GitSource.builder()
                                .url("https://ghp_s3cr3t@github.com/org/repo.git").build())), HIDDEN_GIT_URL),
                bad("GitSource.Builder.branch", "git branch with ..", branch("main..evil"), badRef("main..evil")),
                bad("GitSource.Builder.branch", "git branch ending in a dot", branch("release."), badRef("release.")),
                bad("GitSource.Builder.branch", "git branch with //", branch("feature//x"), badRef("feature//x")),
                bad("GitSource.Builder.branch", "git branch part starting with a dot",
                        branch("feature/.x"), badRef("feature/.x")),
                bad("GitSource.Builder.branch", "git branch part ending in .lock",
                        branch("feature.lock/x"), badRef("feature.lock/x")),
                bad("GitSource.Builder.branch", "git branch ending with /", branch("feature/"), badRef("feature/")),
                bad("GitSource.Builder.branch", "git branch starting with -", branch("-x"), badRef("-x")),
                bad("GitSource.Builder.branch", "git branch with @{", branch("main@{1}"), badRef("main@{1}")),
                bad("GitSource.Builder.branch", "git branch HEAD", branch("HEAD"), badRef("HEAD")),
                bad("GitSource.Builder.branch", "git branch with refs/heads/",
                        s -> image(s, ImageSource.fromGit(git().branch("refs/heads/main").build())),
                        "[Test/Workload] git.branch (\"refs/heads/main\") is a full ref name, and the build adds "
                                + "refs/heads/ itself: drop the prefix: use \"main\""),
                bad("GitSource.Builder.tag", "git tag with refs/tags/",
                        s -> image(s, ImageSource.fromGit(git().tag("refs/tags/v1.0").build())),
                        "[Test/Workload] git.tag (\"refs/tags/v1.0\") is a full ref name, and the build adds "
                                + "refs/tags/ itself: drop the prefix: use \"v1.0\""),
                bad("GitSource.Builder.branch", "git branch null",
                        s -> image(s, ImageSource.fromGit(git().branch(null).build())),
                        "[Test/Workload] git.branch" + NOT_NULL + "git.branch unset for its default, or pass a value"),
                bad("GitSource.Builder.tag", "git tag with space",
                        s -> image(s, ImageSource.fromGit(git().tag("v 1").build())),
                        "[Test/Workload] git.tag (\"v 1\") " + REF_NAME),
                bad("GitSource.Builder.commit", "git commit short",
                        s -> image(s, ImageSource.fromGit(git().commit("abc123").build())),
                        "[Test/Workload] git.commit (\"abc123\") must be a full 40-character commit id: use a value "
                                + "such as \"0123456789abcdef0123456789abcdef01234567\""),
                bad("GitSource.Builder.subDirectory", "git subdirectory escapes",
                        s -> image(s, ImageSource.fromGit(git().subDirectory("../etc").build())),
                        "[Test/Workload] git.subDirectory (\"../etc\") must be a relative path inside the repository, "
                                + "without '..': use a value such as \"examples/hello-python\""),
                bad("GitSource.Builder.dockerfile", "git dockerfile absolute",
                        s -> image(s, ImageSource.fromGit(git().dockerfile("/Dockerfile").build())),
                        "[Test/Workload] git.dockerfile (\"/Dockerfile\") must be a relative path inside the build "
                                + "context, without '..': use a value such as \"Dockerfile\""));
    }

    static Stream<Arguments> goodRows() {
        return Stream.of(
                good(List.of("KnativeWorkloadProps.image", "KnativeWorkloadProps.buildServiceAccount",
                        "ImageSource.fromGit", "GitSource.Builder.url", "GitSource.Builder.tag",
                        "GitSource.Builder.commit", "GitSource.Builder.subDirectory", "GitSource.Builder.dockerfile"),
                        "a git build of a tag at a commit, in a subdirectory, by a 63-character build account",
                        s -> workload(s).buildServiceAccount("b".repeat(63))
                                .image(ImageSource.fromGit(git().tag("v1.0").commit("0".repeat(40))
                                        .subDirectory("apps/hello").dockerfile("docker/Dockerfile").build()))
                                .build(),
                        w -> {
                            assertThat(w.getBuildServiceAccount()).isEqualTo("b".repeat(63));
                            assertThat(w.getBuild().getJob().toJson().toString()).contains(
                                    "--context=git://github.com/org/repo.git#refs/tags/v1.0#" + "0".repeat(40),
                                    "--dockerfile=docker/Dockerfile", "--context-sub-path=apps/hello",
                                    "serviceAccountName=" + "b".repeat(63));
                            assertThat(w.getRepository()).as("a new ECR repository").isNotNull();
                        }),
                good(List.of("ImageSource.fromLocalDirectory", "ImageSource.fromLocalSource",
                        "LocalSource.Builder.directory", "LocalSource.Builder.dockerfile",
                        "LocalSource.Builder.maxContextSize", "GitSource.Builder.rebuildKey"),
                        "local builds at their limits, and a rebuild key", s -> {
                            KnativePlatform p = platform(s).build();
                            KnativeWorkload.Builder.create(s, "A").platform(p).name("a")
                                    .image(ImageSource.fromLocalDirectory("examples/hello-python")).build();
                            KnativeWorkload.Builder.create(s, "B").platform(p).name("b").buildServiceAccount("b-build")
                                    .image(ImageSource.fromLocalSource(LocalSource.builder()
                                            .directory(Paths.get("examples/event-display").toAbsolutePath().toString())
                                            .dockerfile("Dockerfile").maxContextSize(Size.mebibytes(1)).build(),
                                            ImageRegistry.ecr())).build();
                            KnativeWorkload.Builder.create(s, "C").platform(p).name("c")
                                    .buildServiceAccount("c-build")
                                    .image(ImageSource.fromGit(git().rebuildKey("2026-11-27").build())).build();
                            KnativeWorkload.Builder.create(s, "D").platform(p).name("d")
                                    .buildServiceAccount("d-build")
                                    .image(ImageSource.fromGit(git().rebuildKey("2026-11-28").build())).build();
                            // sent as Docker sends it: the ignored Dockerfile, by its normalized name, and a link
                            // inside the directory as a link
                            KnativeWorkload.Builder.create(s, "E").platform(p).name("e")
                                    .buildServiceAccount("e-build").image(ImageSource.fromLocalSource(LocalSource
                                            .builder().directory(fixture("inner-link", Map.of("app.py",
                                                    "src/app.py"))).dockerfile("./docker/../docker/Dockerfile")
                                            .build())).build();
                            return s;
                        },
                        s -> {
                            KnativeWorkload a = child(s, "A");
                            KnativeWorkload b = child(s, "B");
                            KnativeWorkload c = child(s, "C");
                            KnativeWorkload d = child(s, "D");
                            KnativeWorkload e = child(s, "E");
                            assertThat(a.getBuild().getJob().toJson().toString()).contains("--dockerfile=Dockerfile");
                            assertThat(b.getBuild().getJob().toJson().toString()).contains("--dockerfile=Dockerfile",
                                    "serviceAccountName=b-build");
                            assertThat(c.getBuild().getJob().toJson().toString())
                                    .contains("knative-on-eks.io/rebuild-key=2026-11-27");
                            assertThat(d.getBuild().getJobName()).as("a new key, a new build")
                                    .isNotEqualTo(c.getBuild().getJobName().replace("c-build", "d-build"));
                            assertThat(e.getBuild().getJob().toJson().toString())
                                    .contains("--dockerfile=docker/Dockerfile");
                        }),
                good(List.of("GitSource.Builder.branch"), "git branches git accepts, at the edges of its rules", s -> {
                    KnativePlatform p = platform(s).build();
                    int i = 0;
                    for (String branch : GOOD_BRANCHES) {
                        KnativeWorkload.Builder.create(s, "W" + i).platform(p).name("w" + i)
                                .buildServiceAccount("b" + i++).image(ImageSource.fromGit(git().branch(branch).build()))
                                .build();
                    }
                    return s;
                }, s -> {
                    for (int i = 0; i < GOOD_BRANCHES.size(); i++) {
                        assertThat(((KnativeWorkload) child(s, "W" + i)).getBuild().getJob().toJson().toString())
                                .contains("#refs/heads/" + GOOD_BRANCHES.get(i) + ",");
                    }
                }),
                good(List.of("ImageSource.fromDockerBuild"), "image from a directory with a Dockerfile",
                        s -> image(s, ImageSource.fromDockerBuild("examples/hello-python")),
                        w -> {
                            assertThat(w.getBuild()).as("built by Docker at synth, not in the cluster").isNull();
                            assertThat((String) manifests(Stack.of(w)).get("Service", "default", "hello")
                                    .at("spec.template.spec.containers[0].image")).contains("container-assets");
                        }),
                good(List.of("ImageSource.fromDirectory"), "deprecated fromDirectory still builds with Docker",
                        s -> image(s, deprecatedFromDirectory("examples/hello-python")),
                        w -> {
                            assertThat(w.getBuild()).as("built by Docker at synth, not in the cluster").isNull();
                            assertThat((String) manifests(Stack.of(w)).get("Service", "default", "hello")
                                    .at("spec.template.spec.containers[0].image")).contains("container-assets");
                        }),
                good(List.of("ImageRegistry.dockerHub", "ImageRegistry.withCredentials"), "other registries",
                        s -> {
                            KnativePlatform p = platform(s).build();
                            Secret secret = Secret.Builder.create(s, "Creds").build();
                            KnativeWorkload.Builder.create(s, "A").platform(p).name("a").buildServiceAccount("a-build")
                                    .image(ImageSource.fromGit(git().build(), ImageRegistry.dockerHub(
                                            "docker.io/alice/app", secret))).build();
                            KnativeWorkload.Builder.create(s, "B").platform(p).name("b".repeat(63))
                                    .buildServiceAccount("b").image(ImageSource.fromGit(git().build(),
                                            ImageRegistry.withCredentials("https://registry.example.com:5000",
                                                    "registry.example.com:5000/team/app", secret))).build();
                            return s;
                        },
                        s -> {
                            KnativeWorkload a = child(s, "A");
                            KnativeWorkload b = child(s, "B");
                            assertThat(a.getBuild().getJob().toJson().toString())
                                    .contains("--destination=docker.io/alice/app:");
                            assertThat(b.getBuild().getJob().toJson().toString())
                                    .contains("--destination=registry.example.com:5000/team/app:");
                            assertThat(a.getRepository()).as("no ECR repository").isNull();
                            assertThat(b.getRepository()).as("no ECR repository").isNull();
                        }),
                good(List.of("ImageSource.fromImage"), "existing images in every ECR form", s -> {
                    KnativePlatform p = platform(s).build();
                    ecrImages(s).forEach((id, reference) -> KnativeWorkload.Builder.create(s, id)
                            .platform(p).name(id.toLowerCase()).image(ImageSource.fromImage(reference)).build());
                    return s;
                }, s -> {
                    KnativeManifests m = manifests(s);
                    for (String id : LITERAL_ECR_IMAGES.keySet()) {
                        KnativeWorkload w = child(s, id);
                        assertThat(w.getBuild()).isNull();
                        assertThat(m.get("Service", "default", id.toLowerCase())
                                .at("spec.template.spec.containers[0].image"))
                                .isEqualTo(LITERAL_ECR_IMAGES.get(id));
                    }
                }));
    }
}
