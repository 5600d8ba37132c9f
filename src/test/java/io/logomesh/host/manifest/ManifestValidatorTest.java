package io.logomesh.host.manifest;

import static io.logomesh.host.manifest.ManifestFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ManifestValidatorTest {

    private static final ManifestValidator VALIDATOR = new ManifestValidator();

    @Test
    void shouldAcceptMinimalAndFullManifests() {
        assertThat(VALIDATOR.validate(json("minimal.json"))).isEmpty();
        assertThat(VALIDATOR.validate(json("full.json"))).isEmpty();
    }

    @Test
    void shouldReportEveryViolationAtOnce() {
        List<ManifestViolation> violations = VALIDATOR.validate(json("many-violations.json"));

        assertThat(violations).extracting(ManifestViolation::path).containsExactly(
                "/auditLevel",
                "/capabilities/outputMethods",
                "/dependencies/0/version",
                "/dependencies/1/id",
                "/id",
                "/main",
                "/name",
                "/permissions/1",
                "/resourceRequirements/maxMemoryMB",
                "/resourceRequirements/networkAcess",
                "/runtime",
                "/version");
        assertThat(violations).extracting(ManifestViolation::path, ManifestViolation::message).contains(
                tuple("/auditLevel", "must be one of basic, detailed, comprehensive"),
                tuple("/capabilities/outputMethods", "is required"),
                tuple("/id", "must contain only lower-case letters, digits and '-'"),
                tuple("/name", "must not be empty"),
                tuple("/resourceRequirements/maxMemoryMB", "must be at most 1024"),
                tuple("/resourceRequirements/networkAcess", "is not a known property (allowed: maxMemoryMB, "
                        + "maxCpuPercent, maxExecutionTimeMs, networkAccess, allowedHosts, fileSystemAccess, burstMemoryMB, burstCpuPercent, "
                        + "maxConcurrency)"),
                tuple("/runtime", "must be one of nodejs, python, webassembly"));
        assertThat(violations).filteredOn(v -> v.path().equals("/dependencies/0/version")).singleElement()
                .extracting(ManifestViolation::message).asString().contains("'^1.2.z' is not a valid semver range");
        assertThat(violations).filteredOn(v -> v.path().equals("/dependencies/1/id")).singleElement()
                .extracting(ManifestViolation::message).asString().contains("already at /dependencies/0");
        assertThat(violations).extracting(ManifestViolation::message)
                .noneMatch(m -> m.contains("$.") || m.contains("networknt") || m.contains("Exception"));
    }

    @Test
    void shouldAcceptBurstCeilingsAtOrAboveTheBaseLimits() {
        ObjectNode manifest = json("minimal.json");
        manifest.putObject("resourceRequirements").put("maxMemoryMB", 64).put("maxCpuPercent", 10)
                .put("maxExecutionTimeMs", 1000).put("burstMemoryMB", 64).put("burstCpuPercent", 50);
        assertThat(VALIDATOR.validate(manifest)).isEmpty();
    }

    @Test
    void shouldRefuseBurstCeilingsBelowTheBaseLimits() {
        ObjectNode manifest = json("minimal.json");
        manifest.putObject("resourceRequirements").put("maxMemoryMB", 64).put("maxCpuPercent", 10)
                .put("maxExecutionTimeMs", 1000).put("burstMemoryMB", 32).put("burstCpuPercent", 5);
        assertThat(VALIDATOR.validate(manifest)).extracting(ManifestViolation::path).containsExactly(
                "/resourceRequirements/burstCpuPercent", "/resourceRequirements/burstMemoryMB");
        assertThat(VALIDATOR.validate(manifest).get(1).message()).startsWith("must be at least maxMemoryMB (64)");
    }

    @Test
    void shouldAcceptAWholePositiveMaxConcurrencyOnly() {
        ObjectNode manifest = json("minimal.json");
        ObjectNode r = manifest.putObject("resourceRequirements").put("maxMemoryMB", 64).put("maxCpuPercent", 10)
                .put("maxExecutionTimeMs", 1000).put("maxConcurrency", 4);
        assertThat(VALIDATOR.validate(manifest)).isEmpty();

        for (double bad : new double[]{0, -1, 2.5, 257}) {
            r.put("maxConcurrency", bad);
            assertThat(VALIDATOR.validate(manifest)).as("maxConcurrency %s", bad)
                    .extracting(ManifestViolation::path).containsExactly("/resourceRequirements/maxConcurrency");
        }
    }

    @Test
    void shouldReportUnknownTopLevelKey() {
        assertThat(VALIDATOR.validate(json("unknown-key.json"))).singleElement().satisfies(v -> {
            assertThat(v.path()).isEqualTo("/resourceRequirement");
            assertThat(v.message()).startsWith("is not a known property");
        });
    }

    @Test
    void shouldSuggestTheRightSpellingOfAKnownProperty() {
        ObjectNode manifest = json("minimal.json");
        manifest.putObject("resourceRequirements").put("maxMemoryMB", 64).put("maxCpuPercent", 10)
                .put("maxExecutionTimeMs", 1000).put("networkaccess", true);
        assertThat(VALIDATOR.validate(manifest)).singleElement()
                .isEqualTo(new ManifestViolation("/resourceRequirements/networkaccess",
                        "is not a known property; did you mean 'networkAccess'?"));
    }

    @Test
    void shouldReportMissingRequiredPropertiesAtTheirOwnPath() {
        ObjectNode manifest = json("minimal.json");
        manifest.remove("author");
        manifest.remove("securityLevel");
        manifest.putObject("resourceRequirements").put("maxCpuPercent", 10);
        assertThat(VALIDATOR.validate(manifest)).containsExactly(
                new ManifestViolation("/author", "is required"),
                new ManifestViolation("/resourceRequirements/maxExecutionTimeMs", "is required"),
                new ManifestViolation("/resourceRequirements/maxMemoryMB", "is required"),
                new ManifestViolation("/securityLevel", "is required"));
    }

    @Test
    void shouldDescribeTypeAndNumberProblemsReadably() {
        ObjectNode manifest = json("minimal.json");
        manifest.put("description", 5);
        manifest.put("config", "not-an-object");
        manifest.putObject("resourceRequirements").put("maxMemoryMB", 1.5).put("maxCpuPercent", 0)
                .put("maxExecutionTimeMs", "soon");
        manifest.put("securityLevel", "elevated"); // may declare network (PermissionLevels)
        manifest.putArray("permissions").add("network").add("network");
        assertThat(VALIDATOR.validate(manifest)).containsExactly(
                new ManifestViolation("/config", "must be an object, not a string"),
                new ManifestViolation("/description", "must be a string, not a number"),
                new ManifestViolation("/permissions", "must not contain duplicates ('network' listed more than once)"),
                new ManifestViolation("/resourceRequirements/maxCpuPercent", "must be at least 1"),
                new ManifestViolation("/resourceRequirements/maxExecutionTimeMs", "must be a number, not a string"),
                new ManifestViolation("/resourceRequirements/maxMemoryMB", "must be a whole number"));
    }

    @Test
    void shouldUseSlashForTheWholeManifest() {
        assertThat(VALIDATOR.validate(ManifestFixtures.parseJson("[1, 2]")))
                .containsExactly(new ManifestViolation("/", "must be an object, not an array"));
        assertThat(VALIDATOR.validate(null)).extracting(ManifestViolation::path).containsExactly("/");
    }

    @Test
    void shouldRejectAPluginThatDependsOnItself() {
        ObjectNode manifest = json("minimal.json");
        manifest.putArray("dependencies").addObject().put("id", "hello-node").put("version", "^1.0.0");
        assertThat(VALIDATOR.validate(manifest)).singleElement().satisfies(v -> {
            assertThat(v.path()).isEqualTo("/dependencies/0/id");
            assertThat(v.message()).contains("cannot depend on itself");
        });
    }

    @Test
    void shouldCheckDependencyShape() {
        ObjectNode manifest = json("minimal.json");
        ArrayNode dependencies = manifest.putArray("dependencies");
        dependencies.addObject().put("id", "other-plugin");
        dependencies.addObject().put("id", "x").put("version", 1).put("optional", true);
        dependencies.add("just-a-string");
        assertThat(VALIDATOR.validate(manifest)).extracting(ManifestViolation::path).containsExactly(
                "/dependencies/0/version", "/dependencies/1/id", "/dependencies/1/optional",
                "/dependencies/1/version", "/dependencies/2");
    }

    @Test
    void shouldRejectAVersionThatTheSeedPatternAllowsButSemverDoesNot() {
        ObjectNode manifest = json("minimal.json").put("version", "01.2.3");
        assertThat(VALIDATOR.validate(manifest)).singleElement().satisfies(v -> {
            assertThat(v.path()).isEqualTo("/version");
            assertThat(v.message()).startsWith("must be a semantic version");
        });
    }

    @Test
    void shouldRequireStrictSemverForApiAndEngineVersions() {
        ObjectNode manifest = json("minimal.json").put("apiVersion", "1.0").put("engineVersion", "2.0.0-rc.1+b.3");
        assertThat(VALIDATOR.validate(manifest)).singleElement().isEqualTo(
                new ManifestViolation("/apiVersion", "must be a semantic version such as 1.2.3, 1.2.3-beta.1 or 1.2.3+build"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"network", "filesystem", "resources:grant", "messaging:hello-node",
        "events:publish:analysis.done", "events:subscribe:text.*"})
    void shouldAcceptKnownPermissions(String permission) {
        ObjectNode manifest = json("minimal.json");
        manifest.put("securityLevel", "elevated"); // may declare all (PermissionLevels)
        manifest.putArray("permissions").add(permission);
        assertThat(VALIDATOR.validate(manifest)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"root", "Network", "messaging:", "messaging:Bad_Id", "events:publish:", "events:delete:x",
        "network ", "resources:grant:all"})
    void shouldRejectUnknownPermissions(String permission) {
        ObjectNode manifest = json("minimal.json");
        manifest.put("securityLevel", "elevated"); // may declare all (PermissionLevels)
        manifest.putArray("permissions").add(permission);
        assertThat(VALIDATOR.validate(manifest)).singleElement().satisfies(v -> {
            assertThat(v.path()).isEqualTo("/permissions/0");
            assertThat(v.message()).startsWith("must be one of network, filesystem");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"index.js", "lib/main.js", "./index.js", "..hidden.js", "a..b/c.py", "dist/plugin.wasm"})
    void shouldAcceptRelativeMainPaths(String main) {
        assertThat(VALIDATOR.validate(json("minimal.json").put("main", main))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/index.js", "../index.js", "lib/../../x.js", "lib/..", "..", "lib\\index.js", ""})
    void shouldRejectMainPathsThatLeaveTheBundle(String main) {
        assertThat(VALIDATOR.validate(json("minimal.json").put("main", main)))
                .singleElement().extracting(ManifestViolation::path).isEqualTo("/main");
    }

    @Test
    void shouldLimitDescriptionAndAuthorLength() {
        ObjectNode manifest = json("minimal.json").put("description", "x".repeat(2001)).put("author", "y".repeat(201));
        assertThat(VALIDATOR.validate(manifest)).containsExactly(
                new ManifestViolation("/author", "must be at most 200 characters long"),
                new ManifestViolation("/description", "must be at most 2000 characters long"));
    }

    @Test
    void shouldAcceptTheTwoRestartPoliciesAndNameThemForAnyOther() {
        for (String policy : List.of("on-failure", "never")) {
            ObjectNode manifest = json("minimal.json");
            manifest.put("restartPolicy", policy);
            assertThat(VALIDATOR.validate(manifest)).as(policy).isEmpty();
        }
        ObjectNode manifest = json("minimal.json");
        manifest.put("restartPolicy", "always");
        assertThat(VALIDATOR.validate(manifest)).extracting(ManifestViolation::path, ManifestViolation::message)
                .containsExactly(tuple("/restartPolicy", "must be one of on-failure, never"));
    }

    @Test
    void shouldServeTheDraft07SchemaWithEverySeedField() throws Exception {
        JsonNode schema = ManifestFixtures.JSON.readTree(VALIDATOR.schemaText());
        assertThat(schema.path("$schema").asText()).isEqualTo("http://json-schema.org/draft-07/schema#");
        assertThat(schema.path("additionalProperties").asBoolean(true)).isFalse();
        assertThat(schema.at("/properties/resourceRequirements/additionalProperties").asBoolean(true)).isFalse();
        assertThat(schema.path("required")).extracting(JsonNode::asText).containsExactly(
                "id", "name", "version", "description", "author", "runtime", "capabilities", "permissions", "securityLevel");
        assertThat(schema.path("properties").properties()).extracting(java.util.Map.Entry::getKey).contains(
                "id", "name", "version", "description", "author", "runtime", "main", "capabilities", "permissions",
                "securityLevel", "resourceRequirements", "sandboxConfig", "auditLevel", "dependencies", "apiVersion",
                "engineVersion", "config");
        assertThat(schema.at("/properties/version/pattern").asText()).isEqualTo("^\\d+\\.\\d+\\.\\d+(-[a-zA-Z0-9-]+)?$");
    }

    @Test
    void shouldOrderViolationsByPathWithNumericIndexes() {
        List<ManifestViolation> sorted = java.util.stream.Stream.of(
                new ManifestViolation("/dependencies/10/id", "b"),
                new ManifestViolation("/dependencies/2/id", "a"),
                new ManifestViolation("/a", "z"),
                new ManifestViolation("", "root"),
                new ManifestViolation("/a", "y")).sorted().toList();
        assertThat(sorted).extracting(ManifestViolation::path, ManifestViolation::message).containsExactly(
                tuple("/", "root"), tuple("/a", "y"), tuple("/a", "z"),
                tuple("/dependencies/2/id", "a"), tuple("/dependencies/10/id", "b"));
    }
}
