package io.logomesh.host.docs;

import io.logomesh.host.config.HostConfig;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/operators.md's table of settings is {@link HostConfig} itself: every key (from the mapping, by reflection),
 * its environment name, its default and its javadoc line. A key added, renamed or re-documented without the table
 * fails here; {@code -Dlogomesh.docs.write=true} rewrites the table between its markers. Every {@code logomesh.*}
 * key that application.properties sets must be one of them.
 */
class ConfigReferenceTest {

    static final Path OPERATORS = Path.of("docs/operators.md");
    static final Path SOURCE = Path.of("src/main/java/io/logomesh/host/config/HostConfig.java");
    static final String BEGIN = "<!-- config-table:begin (generated from HostConfig by ConfigReferenceTest) -->";
    static final String END = "<!-- config-table:end -->";

    record Key(String name, String env, String defaultValue, String description) {
    }

    @Test
    void shouldListEveryHostConfigKeyInTheOperatorsGuide() throws IOException {
        String expected = table(keys());
        String doc = Files.readString(OPERATORS);
        int begin = doc.indexOf(BEGIN);
        int end = doc.indexOf(END);
        assertThat(begin).as("docs/operators.md has the config table markers").isGreaterThanOrEqualTo(0);
        assertThat(end).isGreaterThan(begin);
        String actual = doc.substring(begin + BEGIN.length(), end).strip();
        if (Boolean.getBoolean("logomesh.docs.write") && !actual.equals(expected.strip())) {
            Files.writeString(OPERATORS, doc.substring(0, begin + BEGIN.length()) + "\n" + expected + doc.substring(end));
            actual = expected.strip();
        }
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/config-table.md"), expected);
        assertThat(actual).as("the config table in docs/operators.md (expected table in target/config-table.md; "
                + "-Dlogomesh.docs.write=true rewrites it)").isEqualTo(expected.strip());
    }

    @Test
    void shouldOnlySetKnownKeysInApplicationProperties() throws IOException {
        Properties props = new Properties();
        try (var in = Files.newInputStream(Path.of("src/main/resources/application.properties"))) {
            props.load(in);
        }
        List<String> known = keys().stream().map(Key::name).toList();
        List<String> unknown = props.stringPropertyNames().stream()
                .map(k -> k.replaceFirst("^%[a-z]+\\.", "")).filter(k -> k.startsWith("logomesh."))
                .filter(k -> !known.contains(k)).toList();
        assertThat(unknown).as("logomesh.* keys in application.properties that HostConfig does not map").isEmpty();
    }

    @Test
    void shouldTurnJavaNamesIntoTheMappingsKeys() {
        assertThat(kebab("dataDir")).isEqualTo("data-dir");
        assertThat(kebab("memoryMB")).isEqualTo("memory-mb");
        assertThat(kebab("maxPerPluginPercent")).isEqualTo("max-per-plugin-percent");
        assertThat(env("logomesh.monitor.budget.memory-mb")).isEqualTo("LOGOMESH_MONITOR_BUDGET_MEMORY_MB");
    }

    static List<Key> keys() throws IOException {
        String source = Files.readString(SOURCE);
        List<Key> keys = new ArrayList<>();
        collect(HostConfig.class, "logomesh", source, keys);
        return keys;
    }

    private static void collect(Class<?> type, String prefix, String source, List<Key> out) {
        Method[] methods = type.getDeclaredMethods();
        Arrays.sort(methods, Comparator.comparing(m -> source.indexOf(" " + m.getName() + "();", blockStart(source, type))));
        for (Method m : methods) {
            if (m.isSynthetic() || m.isDefault() || m.getParameterCount() > 0 || java.lang.reflect.Modifier.isStatic(m.getModifiers())) {
                continue;
            }
            WithName named = m.getAnnotation(WithName.class);
            String key = prefix + "." + (named != null ? named.value() : kebab(m.getName()));
            Class<?> ret = m.getReturnType();
            if (ret.isInterface() && ret.getEnclosingClass() != null && ret.getName().startsWith("io.logomesh")) {
                collect(ret, key, source, out);
                continue;
            }
            WithDefault def = m.getAnnotation(WithDefault.class);
            String defaultValue = def != null ? def.value() : ret == Optional.class ? "(unset)" : "(required)";
            out.add(new Key(key, env(key), defaultValue, javadoc(source, type, m.getName())));
        }
    }

    private static int blockStart(String source, Class<?> type) {
        if (type == HostConfig.class) {
            return 0;
        }
        int at = source.indexOf("interface " + type.getSimpleName() + " {");
        return Math.max(at, 0);
    }

    /** The javadoc right before {@code name();} inside the interface's block, as one line of Markdown. */
    private static String javadoc(String source, Class<?> type, String name) {
        int from = blockStart(source, type);
        int at = source.indexOf(" " + name + "();", from);
        int open = source.lastIndexOf("/**", at);
        int close = source.indexOf("*/", open);
        if (open < from || close > at) {
            return "";
        }
        String text = source.substring(open + 3, close).replaceAll("(?m)^\\s*\\* ?", " ").replaceAll("\\s+", " ").strip();
        Matcher code = Pattern.compile("\\{@code ([^}]*)}").matcher(text);
        text = code.replaceAll(r -> Matcher.quoteReplacement("`" + r.group(1) + "`"));
        return text.replaceAll("\\{@link ([^}]*)}", "$1").replace("|", "\\|");
    }

    static String kebab(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1-$2").replaceAll("([A-Z])([A-Z][a-z])", "$1-$2").toLowerCase();
    }

    static String env(String key) {
        return key.toUpperCase().replaceAll("[^A-Z0-9]", "_");
    }

    static String table(List<Key> keys) {
        StringBuilder t = new StringBuilder("| key | environment | default | what |\n| --- | --- | --- | --- |\n");
        for (Key k : keys) {
            t.append("| `").append(k.name()).append("` | `").append(k.env()).append("` | `").append(k.defaultValue())
                    .append("` | ").append(k.description()).append(" |\n");
        }
        return t.toString();
    }
}
