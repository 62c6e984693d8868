package io.llmservice.acceptance;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Maven snippets of README.md and docs/ import the BOM this build makes (same version) and
 * name only artifacts the BOM manages, without versions of their own, so a project that pastes
 * them builds with aligned versions.
 */
class DocMavenSnippetsTest {

    @TestFactory
    Stream<DynamicTest> everyXmlDependencySnippet_importsTheBom_andUsesOnlyItsArtifacts() throws Exception {
        Element bom = parse(java.nio.file.Files.readString(DocBlocks.ROOT.resolve("llm-service-bom/pom.xml")));
        String version = text(bom, "version").get(0);
        NodeList artifacts = bom.getElementsByTagName("artifactId");
        List<String> managed = new ArrayList<>();
        for (int i = 0; i < artifacts.getLength(); i++) {
            managed.add(artifacts.item(i).getTextContent().strip());
        }
        List<DocBlocks.Block> xml = DocBlocks.all().stream().filter(b -> b.language().equals("xml"))
                .filter(b -> b.code().contains("<dependency>")).toList();
        assertThat(xml).as("Maven snippets in the docs").isNotEmpty();
        return xml.stream().map(b -> DynamicTest.dynamicTest(b.where(), () -> {
            Element snippet = parse("<snippet>" + b.code() + "</snippet>");
            NodeList deps = snippet.getElementsByTagName("dependency");
            boolean importsBom = false;
            for (int i = 0; i < deps.getLength(); i++) {
                Element d = (Element) deps.item(i);
                String artifact = text(d, "artifactId").get(0);
                if (artifact.equals("llm-service-bom")) {
                    assertThat(text(d, "version")).as("%s: the BOM's version", b.where()).containsExactly(version);
                    assertThat(text(d, "scope")).as("%s: the BOM is imported", b.where()).containsExactly("import");
                    importsBom = true;
                } else {
                    assertThat(managed).as("%s: artifacts the BOM manages", b.where()).contains(artifact);
                    assertThat(text(d, "version")).as("%s: %s takes its version from the BOM", b.where(), artifact)
                            .isEmpty();
                }
            }
            assertThat(importsBom).as("%s imports llm-service-bom", b.where()).isTrue();
        }));
    }

    private static Element parse(String xml) throws Exception {
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        return doc.getDocumentElement();
    }

    /** The text of every direct child element {@code name} of {@code parent}. */
    private static List<String> text(Element parent, String name) {
        List<String> values = new ArrayList<>();
        for (org.w3c.dom.Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                values.add(e.getTextContent().strip());
            }
        }
        return values;
    }
}
