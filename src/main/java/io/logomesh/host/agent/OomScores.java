package io.logomesh.host.agent;

import io.logomesh.host.container.ContainerSpec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Gives a plugin container's processes on this node the OOM score plugins have on a single host
 * ({@code oom_score_adj} {@value #SCORE}: under node-wide memory pressure the kernel kills a plugin before the
 * node's own processes), which a swarm service spec cannot ask for on Engine API 1.41 ({@code OomScoreAdj} came
 * with API 1.46). Written through the node's {@code /proc} mounted into the agent ({@code SwarmAgentSpec}), on the
 * container's init process and every descendant (found through {@code /proc/<pid>/task/<tid>/children}), pass after
 * pass until one finds no process it has not written (a process forked between a pass's walk and its parent's write
 * keeps the old score until the next pass; later children inherit the new one).
 *
 * <p>Not a floor: the kernel lets a process lower its own score down to its {@code oom_score_adj_min}, which only a
 * writer holding {@code CAP_SYS_RESOURCE} sets; the agent lacks it (so does the test swarm's engine), so a plugin
 * may lower its score back to 0, as it can on a single host (runc leaves that floor at 0 too), but not below.
 */
final class OomScores {

    static final int SCORE = ContainerSpec.OOM_SCORE_ADJ;
    /** Passes over a container's process tree at most (a fork bomb could keep adding processes). */
    static final int MAX_PASSES = 8;
    /** Processes of one container looked at in one pass at most (its pids limit is far lower). */
    static final int MAX_PROCESSES = 65_536;

    private static final Logger LOG = Logger.getLogger(OomScores.class.getName());

    private final Path procRoot;

    OomScores(Path procRoot) {
        this.procRoot = procRoot;
    }

    /**
     * Raises the score of the process tree under {@code initPid} (as the node's root pid namespace numbers it).
     *
     * @return how many processes were given the score (0: none left to raise, or the process is gone)
     */
    int raise(long initPid) {
        if (initPid <= 0) {
            return 0;
        }
        Set<Long> written = new HashSet<>();
        for (int pass = 0; pass < MAX_PASSES; pass++) {
            int before = written.size();
            for (long pid : tree(initPid)) {
                if (!written.contains(pid) && write(procRoot.resolve(Long.toString(pid)).resolve("oom_score_adj"))) {
                    written.add(pid);
                }
            }
            if (written.size() == before) {
                return written.size();
            }
        }
        LOG.warning("process tree of " + initPid + " still growing after " + MAX_PASSES + " passes; "
                + written.size() + " processes given oom_score_adj " + SCORE);
        return written.size();
    }

    /**
     * Writes {@link #SCORE} (also where it already says so: from a writer holding {@code CAP_SYS_RESOURCE} the write
     * is what would set the floor); false for a process already gone.
     */
    private static boolean write(Path scoreFile) {
        try {
            Files.writeString(scoreFile, Integer.toString(SCORE), StandardCharsets.US_ASCII,
                    StandardOpenOption.WRITE);
            return true;
        } catch (NoSuchFileException | java.nio.file.NotDirectoryException gone) {
            return false;
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().contains("No such process")) {
                return false; // exited while it was written (ESRCH)
            }
            throw new IllegalStateException("writing " + scoreFile + ": " + e.getMessage(), e);
        }
    }

    /** The process and its descendants, as the kernel lists each thread's children now. */
    Set<Long> tree(long initPid) {
        Set<Long> seen = new HashSet<>();
        Deque<Long> next = new ArrayDeque<>();
        next.add(initPid);
        while (!next.isEmpty() && seen.size() < MAX_PROCESSES) {
            long pid = next.poll();
            if (!seen.add(pid)) {
                continue;
            }
            Path tasks = procRoot.resolve(Long.toString(pid)).resolve("task");
            try (DirectoryStream<Path> threads = Files.newDirectoryStream(tasks)) {
                for (Path thread : threads) {
                    for (String child : children(thread.resolve("children"))) {
                        next.add(Long.parseLong(child));
                    }
                }
            } catch (IOException gone) {
                // exited while walked: its children were given to the container's init (or a subreaper), seen there
            }
        }
        return seen;
    }

    private static String[] children(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
            return text.isEmpty() ? new String[0] : text.split("\\s+");
        } catch (IOException gone) {
            return new String[0];
        }
    }
}
