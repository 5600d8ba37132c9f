package io.logomesh.host.manifest;

/**
 * The one authority on what a plugin may do now: whether it holds a permission, from its manifest's
 * declaration plus what an operator approved at run time. The permission service implements it; the
 * layers below it (the container spec, resource grants) ask through this interface and never read a
 * manifest's permissions on their own, so an approval counts everywhere or nowhere.
 */
@FunctionalInterface
public interface PermissionAuthority {

    /** Whether the plugin described by {@code manifest} holds {@code permission} now. */
    boolean holds(PluginManifest manifest, String permission);

    /**
     * Whether the manifest itself asks for the permission: in {@code permissions}, or for {@code network} and
     * {@code filesystem} also through {@code resourceRequirements.networkAccess} / {@code fileSystemAccess}.
     * The part of the decision that needs no approval; as an authority it is one with no operator.
     */
    static boolean declares(PluginManifest manifest, String permission) {
        return manifest.hasPermission(permission)
                || ("filesystem".equals(permission) && manifest.resources().fileSystemAccess())
                || ("network".equals(permission) && manifest.resources().networkAccess());
    }
}
