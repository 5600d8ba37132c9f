package io.logomesh.host.docs;

import io.logomesh.host.PluginHostException;
import io.logomesh.host.plugin.PluginState;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/api.md's error catalogue cannot drift from the code. Every {@code error} code the Java sources can send
 * (a {@code code()} literal of a {@link PluginHostException}, a code passed to one's constructor, an
 * {@code ErrorBody.of} literal, api/HttpRefusals' status codes) has a row in one of its two tables (REST answers,
 * or what a plugin's {@code ctx} call sees); every row of the REST table is a code the sources have; and each
 * REST row's HTTP status is the one the host answers: exceptions are built by reflection and run through the
 * {@code @ServerExceptionMapper} that JAX-RS would pick (the most specific parameter type).
 */
class ErrorCatalogueTest {

    static final Path API_DOC = Path.of("docs/api.md");
    static final Path SOURCES = Path.of("src/main/java");
    /** Codes documented ahead of the branch that adds them (docs/api.md says so); the lead drops them at merge. */
    static final Set<String> ARRIVING = Set.of();
    /** Exceptions whose codes only ever reach a plugin's ctx call (the plugin table), never a REST answer. */
    static final Set<String> PLUGIN_ONLY = Set.of("MessagingException", "AuditEventRefusedException");

    private static final Pattern RETURN_LITERAL = Pattern.compile("String code\\(\\)\\s*\\{\\s*return \"([a-z_]+)\";");
    private static final Pattern CONSTRUCTED = Pattern.compile("new (\\w+Exception)\\(\\s*\"([a-z_]+)\"");
    private static final Pattern ERROR_BODY = Pattern.compile("ErrorBody\\.of\\(\\s*\"([a-z_]+)\"");
    private static final Pattern REFUSAL = Pattern.compile("(\\d{3}), \"([a-z_]+)\"");
    private static final Pattern ROW = Pattern.compile("(?m)^\\| `([a-z_]+)` \\| ([^|]*)\\|");

    @Test
    void shouldCatalogueEveryErrorCodeOfTheSources() throws IOException {
        Map<String, String> found = sourceCodes();
        assertThat(found).as("codes found in the sources").hasSizeGreaterThan(30);
        Set<String> documented = new TreeSet<>(restRows().keySet());
        documented.addAll(pluginRows());
        List<String> missing = found.keySet().stream().filter(c -> !documented.contains(c))
                .map(c -> c + " (" + found.get(c) + ")").toList();
        assertThat(missing).as("error codes without a row in docs/api.md").isEmpty();
    }

    @Test
    void shouldHaveNoRestRowForACodeTheSourcesDoNotHave() throws IOException {
        Map<String, String> found = sourceCodes();
        List<String> stale = restRows().keySet().stream().filter(c -> !found.containsKey(c) && !ARRIVING.contains(c))
                .toList();
        assertThat(stale).as("rows of docs/api.md's REST table whose code nothing sends").isEmpty();
    }

    @Test
    void shouldDocumentTheStatusTheHostAnswers() throws Exception {
        Map<String, Set<Integer>> rows = restRows();
        Map<String, Set<Integer>> observed = observedStatuses();
        System.out.println("[error-catalogue] statuses answered: " + observed);
        assertThat(observed).as("exceptions built and mapped").hasSizeGreaterThan(15);
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, Set<Integer>> o : observed.entrySet()) {
            Set<Integer> doc = rows.get(o.getKey());
            if (doc != null && o.getValue().stream().noneMatch(doc::contains)) {
                wrong.add(o.getKey() + ": documented " + doc + ", answered " + o.getValue());
            }
        }
        Matcher refusals = REFUSAL.matcher(Files.readString(SOURCES.resolve("io/logomesh/host/api/HttpRefusals.java")));
        while (refusals.find()) {
            Set<Integer> doc = rows.get(refusals.group(2));
            if (doc == null || !doc.contains(Integer.parseInt(refusals.group(1)))) {
                wrong.add(refusals.group(2) + ": documented " + doc + ", HttpRefusals answers " + refusals.group(1));
            }
        }
        assertThat(wrong).as("REST rows whose status differs from the host's answer").isEmpty();
    }

    /** code → where it was found. */
    static Map<String, String> sourceCodes() throws IOException {
        Map<String, String> codes = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(SOURCES)) {
            for (Path file : walk.filter(f -> f.toString().endsWith(".java")).toList()) {
                String text = Files.readString(file);
                String name = file.getFileName().toString();
                for (Pattern p : List.of(RETURN_LITERAL, ERROR_BODY)) {
                    Matcher m = p.matcher(text);
                    while (m.find()) {
                        codes.putIfAbsent(m.group(1), name);
                    }
                }
                Matcher m = CONSTRUCTED.matcher(text);
                while (m.find()) {
                    if (Files.exists(file.resolveSibling(m.group(1) + ".java")) || hostException(m.group(1))) {
                        codes.putIfAbsent(m.group(2), name);
                    }
                }
                if (name.equals("HttpRefusals.java")) {
                    Matcher r = REFUSAL.matcher(text);
                    while (r.find()) {
                        codes.putIfAbsent(r.group(2), name);
                    }
                }
            }
        }
        return codes;
    }

    private static boolean hostException(String simpleName) throws IOException {
        try (Stream<Path> walk = Files.walk(SOURCES)) {
            return walk.anyMatch(f -> f.getFileName().toString().equals(simpleName + ".java"));
        }
    }

    /** The REST table: code → HTTP statuses (its first table after "## Error catalogue"). */
    static Map<String, Set<Integer>> restRows() throws IOException {
        Map<String, Set<Integer>> rows = new LinkedHashMap<>();
        Matcher m = ROW.matcher(section("<!-- errors:rest -->"));
        while (m.find()) {
            Set<Integer> statuses = new TreeSet<>();
            Matcher n = Pattern.compile("\\d{3}").matcher(m.group(2));
            while (n.find()) {
                statuses.add(Integer.parseInt(n.group()));
            }
            rows.put(m.group(1), statuses);
        }
        return rows;
    }

    static Set<String> pluginRows() throws IOException {
        Set<String> rows = new TreeSet<>();
        Matcher m = ROW.matcher(section("<!-- errors:plugin -->"));
        while (m.find()) {
            rows.add(m.group(1));
        }
        return rows;
    }

    private static String section(String marker) throws IOException {
        String doc = Files.readString(API_DOC);
        int at = doc.indexOf(marker);
        assertThat(at).as("docs/api.md has " + marker).isGreaterThanOrEqualTo(0);
        int end = doc.indexOf("<!-- errors:end -->", at);
        return doc.substring(at, end < 0 ? doc.length() : end);
    }

    /** Builds every concrete PluginHostException it can and maps it: code → statuses answered. */
    static Map<String, Set<Integer>> observedStatuses() throws Exception {
        Map<String, List<String>> constructedWith = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(SOURCES)) {
            for (Path file : walk.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher m = CONSTRUCTED.matcher(Files.readString(file));
                while (m.find()) {
                    constructedWith.computeIfAbsent(m.group(1), k -> new ArrayList<>()).add(m.group(2));
                }
            }
        }
        List<Object> mappers = new ArrayList<>();
        for (String name : List.of("ApiExceptionMappers", "ActionExceptionMappers", "MessagingExceptionMappers")) {
            mappers.add(Class.forName("io.logomesh.host.api." + name).getDeclaredConstructor().newInstance());
        }
        Map<String, Set<Integer>> observed = new TreeMap<>();
        for (Class<?> type : exceptionClasses()) {
            if (PLUGIN_ONLY.contains(type.getSimpleName())) {
                continue;
            }
            List<String> codes = constructedWith.getOrDefault(type.getSimpleName(), List.of("x"));
            for (String code : codes) {
                PluginHostException e = build(type, code);
                if (e == null || e.code().equals("x")) { // a code passed through from elsewhere (the plugin's own)
                    continue;
                }
                Integer status = map(mappers, e);
                if (status != null) {
                    observed.computeIfAbsent(e.code(), k -> new TreeSet<>()).add(status);
                }
            }
        }
        return observed;
    }

    private static List<Class<?>> exceptionClasses() throws IOException, ClassNotFoundException {
        List<Class<?>> types = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(SOURCES)) {
            for (Path file : walk.filter(f -> f.getFileName().toString().endsWith("Exception.java")).toList()) {
                String name = SOURCES.relativize(file).toString().replace('/', '.').replaceAll("\\.java$", "");
                Class<?> type = Class.forName(name);
                if (PluginHostException.class.isAssignableFrom(type) && !Modifier.isAbstract(type.getModifiers())) {
                    types.add(type);
                }
            }
        }
        return types;
    }

    private static PluginHostException build(Class<?> type, String code) {
        for (Constructor<?> c : type.getDeclaredConstructors()) {
            Class<?>[] params = c.getParameterTypes();
            Object[] args = new Object[params.length];
            boolean first = true;
            for (int i = 0; i < params.length; i++) {
                Class<?> p = params[i];
                if (p == String.class) {
                    args[i] = first ? code : "x";
                    first = false;
                } else if (p == int.class || p == long.class) {
                    args[i] = p == int.class ? (Object) 1 : (Object) 1L;
                } else if (p == PluginState.class) {
                    args[i] = PluginState.ACTIVE;
                } else if (p == List.class) {
                    args[i] = List.of();
                } else if (Throwable.class.isAssignableFrom(p)) {
                    args[i] = new RuntimeException("x");
                } else {
                    args = null;
                    break;
                }
            }
            if (args == null) {
                continue;
            }
            try {
                c.setAccessible(true);
                return (PluginHostException) c.newInstance(args);
            } catch (ReflectiveOperationException | RuntimeException ignored) {
                // another constructor may do
            }
        }
        return null;
    }

    /** Runs the mapper JAX-RS would choose: the one whose parameter is the closest superclass. */
    private static Integer map(List<Object> mappers, PluginHostException e) throws Exception {
        Object bestMapper = null;
        Method best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (Object mapper : mappers) {
            for (Method m : mapper.getClass().getDeclaredMethods()) {
                if (!m.isAnnotationPresent(ServerExceptionMapper.class) || m.getParameterCount() != 1
                        || !m.getParameterTypes()[0].isInstance(e)) {
                    continue;
                }
                int distance = 0;
                for (Class<?> c = e.getClass(); c != null && c != m.getParameterTypes()[0]; c = c.getSuperclass()) {
                    distance++;
                }
                if (distance < bestDistance) {
                    bestDistance = distance;
                    best = m;
                    bestMapper = mapper;
                }
            }
        }
        if (best == null) {
            return null;
        }
        return ((RestResponse<?>) best.invoke(bestMapper, e)).getStatus();
    }
}
