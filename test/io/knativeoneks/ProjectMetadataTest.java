package io.knativeoneks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/** What a published library declares about itself: its license (one, everywhere the same), home, source and makers. */
class ProjectMetadataTest {
    /** SPDX identifier of the Apache License 2.0. */
    private static final String APACHE_2 = "Apache-2.0";
    /** SHA-256 of the license text as the ASF publishes it (LICENSE-2.0.txt, 11358 bytes). */
    private static final String APACHE_2_SHA256 = "cfc7749b96f63bd31c3c42b5c471bf756814053e847c10f3eb003417bc523d30";

    private static Document pom;
    private static XPath xpath;

    @BeforeAll
    static void readPom() throws Exception {
        pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("pom.xml").toFile());
        xpath = XPathFactory.newInstance().newXPath();
    }

    private static String pom(String path) throws Exception {
        return xpath.evaluate(path, pom).trim();
    }

    @Test
    void theLicenseFileIsTheFullApacheLicense() throws Exception {
        byte[] license = Files.readAllBytes(Path.of("LICENSE"));
        assertThat(new String(license, java.nio.charset.StandardCharsets.UTF_8))
                .contains("Apache License", "Version 2.0, January 2004", "END OF TERMS AND CONDITIONS");
        assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(license)))
                .as("unchanged from the ASF's text").isEqualTo(APACHE_2_SHA256);
    }

    @Test
    void pomAndPackageJsonDeclareTheSameLicense() throws Exception {
        assertThat(((NodeList) xpath.evaluate("/project/licenses/license", pom, XPathConstants.NODESET)).getLength())
                .isEqualTo(1);
        assertThat(pom("/project/licenses/license/name")).isEqualTo(APACHE_2);
        assertThat(pom("/project/licenses/license/url")).isEqualTo("https://www.apache.org/licenses/LICENSE-2.0.txt");
        assertThat(new ObjectMapper().readTree(Path.of("package.json").toFile()).get("license").asText())
                .isEqualTo(APACHE_2);
    }

    @Test
    void theReadmeNamesTheLicense() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        assertThat(readme).contains("\n## License\n");
        String section = readme.substring(readme.indexOf("\n## License\n") + 1);
        assertThat(section.split("\n## ", 2)[0]).contains(APACHE_2, "LICENSE");
    }

    @Test
    void thePomHasWhatARepositoryAsksOfAPublishedLibrary() throws Exception {
        String home = pom("/project/url");
        assertThat(home).startsWith("https://");
        assertThat(pom("/project/name")).isNotEmpty();
        assertThat(pom("/project/description")).isNotEmpty();
        assertThat(pom("/project/scm/url")).isEqualTo(home);
        assertThat(pom("/project/scm/connection")).isEqualTo("scm:git:" + home + ".git");
        assertThat(pom("/project/scm/developerConnection")).startsWith("scm:git:");
        assertThat(pom("/project/developers/developer/name")).isNotEmpty();
        assertThat(pom("/project/developers/developer/url")).startsWith("https://");
    }

    @Test
    void buildsAreReproducible() throws Exception {
        String timestamp = pom("/project/properties/project.build.outputTimestamp");
        assertThat(Instant.parse(timestamp)).as("a fixed ISO-8601 instant").isBefore(Instant.now());
        // Maven 3.8 binds plugin versions that predate outputTimestamp: each packaging plugin is pinned.
        for (String plugin : new String[] {"maven-resources-plugin", "maven-jar-plugin", "maven-source-plugin",
                "maven-javadoc-plugin", "maven-install-plugin", "maven-deploy-plugin"}) {
            assertThat(pom("/project/build/plugins/plugin[artifactId='" + plugin + "']/version")).as(plugin)
                    .matches("3\\.\\d+\\.\\d+");
        }
    }
}
