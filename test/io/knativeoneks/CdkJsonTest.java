package io.knativeoneks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.App;

/** A cdk.json's context, as the CDK CLI hands it to the app. */
class CdkJsonTest {
    private static final Path CDK_INIT = Path.of("test/resources/cdk-init/cdk.json");

    @Test
    void readsEveryFlagInFileOrderAndHandsThemToTheApp() {
        Map<String, Object> context = CdkJson.context(CDK_INIT);

        assertThat(context).containsEntry("@aws-cdk/aws-iam:importedRoleStackSafeDefaultPolicyName", true)
                .containsEntry("@aws-cdk/core:defaultCrossStackReferences", "weak")
                .hasSizeGreaterThan(80);
        assertThat(context.keySet().iterator().next())
                .isEqualTo("@aws-cdk-containers/ecs-service-extensions:enableDefaultLogDriver");
        App app = CdkJson.app(CDK_INIT);
        assertThat(app.getNode().tryGetContext("@aws-cdk/aws-iam:minimizePolicies")).isEqualTo(true);
    }

    @Test
    void aFileWithoutContextGivesNone(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("cdk.json"), "{\"app\": \"mvn -e -q compile exec:java\"}");
        assertThat(CdkJson.context(file)).isEmpty();
    }

    @Test
    void aMissingOrMalformedFileIsAnErrorNamingIt(@TempDir Path dir) throws IOException {
        assertThatThrownBy(() -> CdkJson.context(dir.resolve("cdk.json")))
                .hasMessageStartingWith("cdk.json (" + dir.resolve("cdk.json").toAbsolutePath()
                        + ") cannot be read as a JSON object");
        Path list = Files.writeString(dir.resolve("list.json"), "{\"context\": [1, 2]}");
        assertThatThrownBy(() -> CdkJson.context(list))
                .hasMessage("cdk.json (" + list.toAbsolutePath() + ") has a context that is not a JSON object: [1, 2]; "
                        + "write it as {\"key\": value, ...}");
    }
}
