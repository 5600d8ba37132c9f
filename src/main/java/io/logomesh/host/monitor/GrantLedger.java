package io.logomesh.host.monitor;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The host-wide book of resource grants: a fixed budget per type, lent out to plugins within each plugin's
 * own ceiling and within a per-plugin share of the budget (so one plugin cannot borrow all of it). It never
 * lends more than the budget holds (no over-commit) and says why when it refuses. Thread-safe.
 */
public final class GrantLedger {

    private final double memoryBudgetMB;
    private final double cpuBudgetPercent;
    private final double perPluginShare;
    private final Map<String, Grant> grants = new LinkedHashMap<>();

    /**
     * @param memoryBudgetMB         memory all plugins together may hold in grants
     * @param cpuBudgetPercent       CPU (percent of one core) all plugins together may hold in grants
     * @param maxPerPluginPercent    the most one plugin may hold of each budget, in percent of it, in (0, 100]
     */
    public GrantLedger(double memoryBudgetMB, double cpuBudgetPercent, double maxPerPluginPercent) {
        if (!(maxPerPluginPercent > 0 && maxPerPluginPercent <= 100)) {
            throw new IllegalArgumentException("logomesh.monitor.budget.max-per-plugin-percent must be in (0, 100], "
                    + "got " + maxPerPluginPercent);
        }
        this.memoryBudgetMB = memoryBudgetMB;
        this.cpuBudgetPercent = cpuBudgetPercent;
        this.perPluginShare = maxPerPluginPercent / 100;
    }

    /**
     * Lends {@code amount} of {@code type} to the plugin.
     *
     * @param ceiling the most the plugin may hold of this type in grants in total (burst minus base)
     * @throws GrantDeniedException when the amount is not positive, over the plugin's ceiling, over its
     *                              share of the budget, or over what is left of the budget
     */
    public synchronized Grant reserve(String pluginId, String type, double amount, double ceiling) {
        double budget = budget(type);
        if (!(amount > 0) || Double.isInfinite(amount)) {
            throw new GrantDeniedException("the amount must be a positive number, got " + amount);
        }
        double held = held(pluginId, type);
        if (held + amount > ceiling + 1e-9) {
            throw new GrantDeniedException(String.format(
                    "%s %s would exceed the plugin's ceiling: it holds %s in grants and may hold at most %s",
                    format(amount), unit(type), format(held), format(ceiling)));
        }
        double share = budget * perPluginShare;
        if (perPluginShare < 1 && held + amount > share + 1e-9) {
            throw new GrantDeniedException(String.format(
                    "%s %s would exceed the per-plugin share of the host's %s budget: it holds %s and one plugin may "
                    + "hold at most %s of %s %s (logomesh.monitor.budget.max-per-plugin-percent %s)", format(amount),
                    unit(type), type, format(held), format(share), format(budget), unit(type),
                    format(perPluginShare * 100)));
        }
        double left = budget - used(type);
        if (amount > left + 1e-9) {
            throw new GrantDeniedException(String.format(
                    "the host's %s budget is spent: %s %s asked, %s of %s %s left", type, format(amount), unit(type),
                    format(left), format(budget), unit(type)));
        }
        Grant g = new Grant(UUID.randomUUID().toString(), pluginId, type, amount, Instant.now());
        grants.put(g.grantId(), g);
        return g;
    }

    /** Takes back one grant; empty when there is none with that id. */
    public synchronized Optional<Grant> release(String grantId) {
        return Optional.ofNullable(grants.remove(grantId));
    }

    /** Puts a released grant back (its release could not be applied). */
    public synchronized void restore(Grant grant) {
        grants.put(grant.grantId(), grant);
    }

    /** Takes back every grant of the plugin. */
    public synchronized List<Grant> releaseAll(String pluginId) {
        List<Grant> taken = of(pluginId);
        taken.forEach(g -> grants.remove(g.grantId()));
        return taken;
    }

    public synchronized Optional<Grant> find(String grantId) {
        return Optional.ofNullable(grants.get(grantId));
    }

    public synchronized List<Grant> of(String pluginId) {
        List<Grant> out = new ArrayList<>();
        for (Grant g : grants.values()) {
            if (g.pluginId().equals(pluginId)) {
                out.add(g);
            }
        }
        return out;
    }

    /** What the plugin holds of this type. */
    public synchronized double held(String pluginId, String type) {
        return grants.values().stream().filter(g -> g.pluginId().equals(pluginId) && g.type().equals(type))
                .mapToDouble(Grant::amount).sum();
    }

    /** What all plugins hold of this type. */
    public synchronized double used(String type) {
        return grants.values().stream().filter(g -> g.type().equals(type)).mapToDouble(Grant::amount).sum();
    }

    public double budget(String type) {
        return switch (type) {
            case Grant.MEMORY -> memoryBudgetMB;
            case Grant.CPU -> cpuBudgetPercent;
            default -> throw new GrantDeniedException("unknown resource type '" + type + "'; use memory or cpu");
        };
    }

    private static String unit(String type) {
        return Grant.MEMORY.equals(type) ? "MiB" : "% CPU";
    }

    private static String format(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format("%.2f", v);
    }
}
