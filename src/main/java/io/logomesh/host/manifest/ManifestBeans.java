package io.logomesh.host.manifest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** Makes the (plain Java) manifest tools injectable, each built once. */
@ApplicationScoped
public class ManifestBeans {

    @Produces
    @ApplicationScoped
    ManifestValidator validator() {
        return new ManifestValidator();
    }

    @Produces
    @ApplicationScoped
    BundleLoader bundleLoader(ManifestValidator validator) {
        return new BundleLoader(new ManifestParser(validator));
    }

    @Produces
    @ApplicationScoped
    BundleExtractor bundleExtractor() {
        return new BundleExtractor();
    }
}
