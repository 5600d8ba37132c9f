package io.logomesh.host;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * The service's entry point ({@code java -jar quarkus-run.jar}). Before Quarkus starts it turns off
 * Quarkus' own URI check ({@value #URI_CHECK}), which answers a URI that does not parse (a broken
 * %-escape such as {@code /api/v1/plugins/%zz}) with an empty 400 before any of our handlers runs; the
 * host checks the URI itself instead and answers JSON ({@code api/HttpRefusals}). Tests set the same
 * property in the build ({@code pom.xml}).
 */
@QuarkusMain
public final class LogoMeshMain {

    /** The system property Quarkus' HTTP layer reads once, when it starts. */
    public static final String URI_CHECK = "vertx.disableURIValidation";

    LogoMeshMain() { // package-private: Quarkus registers the main class as a bean
    }

    public static void main(String... args) {
        if (System.getProperty(URI_CHECK) == null) {
            System.setProperty(URI_CHECK, "true");
        }
        Quarkus.run(args);
    }
}
