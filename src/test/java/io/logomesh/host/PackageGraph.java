package io.logomesh.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Which of the host's packages uses which, read from the Java sources: every {@code io.logomesh.host.<x>.}
 * in code ({@code import}, {@code import static} and fully qualified names alike; comments and string
 * literals left out). A package is a folder right under the sources' root, its sub-folders included
 * ({@code container/docker/swarm} is {@code container}); the classes of the root package itself are shared
 * by all and are no node.
 */
final class PackageGraph {

    private static final Pattern REFERENCE = Pattern.compile("\\bio\\.logomesh\\.host\\.([a-z_][a-z0-9_]*)\\.");

    /** from package → to package → the files (relative to the root) that make that edge */
    private final Map<String, Map<String, Set<String>>> edges = new TreeMap<>();

    /** The graph of the sources under {@code root} (the folder of package {@code io.logomesh.host}). */
    static PackageGraph read(Path root) throws IOException {
        PackageGraph graph = new PackageGraph();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                Path relative = root.relativize(file);
                if (relative.getNameCount() > 1) {
                    graph.add(relative.getName(0).toString(), relative.toString().replace('\\', '/'),
                            Files.readString(file));
                }
            }
        }
        return graph;
    }

    /** Adds the references of one source file of package {@code from}. */
    void add(String from, String file, String source) {
        edges.computeIfAbsent(from, p -> new TreeMap<>());
        Matcher m = REFERENCE.matcher(code(source));
        while (m.find()) {
            String to = m.group(1);
            if (!to.equals(from)) {
                edges.get(from).computeIfAbsent(to, p -> new TreeSet<>()).add(file);
            }
        }
    }

    /** The packages that have sources. */
    Set<String> packages() {
        return edges.keySet();
    }

    /** The packages {@code from} uses. */
    Set<String> targets(String from) {
        return edges.getOrDefault(from, Map.of()).keySet();
    }

    /** One edge for a message: {@code audit -> plugin (audit/AuditTrail.java, ...)}. */
    String describe(String from, String to) {
        return from + " -> " + to + " (" + String.join(", ", edges.get(from).get(to)) + ")";
    }

    /** Every set of two or more packages that reach one another (strongly connected components). */
    List<Set<String>> cycles() {
        return new Tarjan().components().stream().filter(c -> c.size() > 1).toList();
    }

    /** The source with its comments, string, text block and character literals blanked out. */
    static String code(String source) {
        StringBuilder out = new StringBuilder(source.length());
        int i = 0;
        int n = source.length();
        while (i < n) {
            if (source.startsWith("//", i)) {
                int end = source.indexOf('\n', i);
                i = end < 0 ? n : end;
            } else if (source.startsWith("/*", i)) {
                int end = source.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
                out.append(' ');
            } else if (source.startsWith("\"\"\"", i)) {
                i = literalEnd(source, i + 3, "\"\"\"");
                out.append("\"\"");
            } else if (source.charAt(i) == '"' || source.charAt(i) == '\'') {
                i = literalEnd(source, i + 1, String.valueOf(source.charAt(i)));
                out.append("\"\"");
            } else {
                out.append(source.charAt(i++));
            }
        }
        return out.toString();
    }

    /** The index after the {@code close} that ends a literal whose content starts at {@code from}. */
    private static int literalEnd(String source, int from, String close) {
        int i = from;
        while (i < source.length()) {
            if (source.charAt(i) == '\\') {
                i += 2;
            } else if (source.startsWith(close, i)) {
                return i + close.length();
            } else {
                i++;
            }
        }
        return source.length();
    }

    /** Tarjan's strongly connected components over {@link #edges}. */
    private final class Tarjan {

        private final Map<String, Integer> index = new HashMap<>();
        private final Map<String, Integer> low = new HashMap<>();
        private final Deque<String> stack = new ArrayDeque<>();
        private final Set<String> onStack = new TreeSet<>();
        private final List<Set<String>> found = new ArrayList<>();

        List<Set<String>> components() {
            Set<String> all = new TreeSet<>(edges.keySet());
            edges.values().forEach(to -> all.addAll(to.keySet()));
            for (String p : all) {
                if (!index.containsKey(p)) {
                    visit(p);
                }
            }
            return found;
        }

        private void visit(String p) {
            index.put(p, index.size());
            low.put(p, index.get(p));
            stack.push(p);
            onStack.add(p);
            for (String q : targets(p)) {
                if (!index.containsKey(q)) {
                    visit(q);
                    low.put(p, Math.min(low.get(p), low.get(q)));
                } else if (onStack.contains(q)) {
                    low.put(p, Math.min(low.get(p), index.get(q)));
                }
            }
            if (low.get(p).equals(index.get(p))) {
                Set<String> component = new TreeSet<>();
                String q;
                do {
                    q = stack.pop();
                    onStack.remove(q);
                    component.add(q);
                } while (!q.equals(p));
                found.add(component);
            }
        }
    }
}
