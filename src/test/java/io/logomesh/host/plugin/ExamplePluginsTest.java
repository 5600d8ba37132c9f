package io.logomesh.host.plugin;

import io.logomesh.host.support.HostTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.logomesh.host.support.Api.action;
import static io.logomesh.host.support.Api.activate;
import static io.logomesh.host.support.Api.deactivate;
import static io.logomesh.host.support.Api.get;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.oneOf;

/** The example plugins in ./plugins are installed at start-up (the test profile points there) and work as their READMEs say. */
@QuarkusTest
@WithTestResource(HostTestResource.class)
class ExamplePluginsTest {

    @ParameterizedTest
    @ValueSource(strings = {"hello-node", "hello-python", "hello-wasm", "hello-c"})
    void shouldInstallTheExamplesAtStartAndRunTheirActions(String id) {
        get(id).statusCode(200).body("state", oneOf("INSTALLED", "INACTIVE"));

        activate(id).statusCode(200).body("state", is("ACTIVE"));
        action(id, "{\"type\":\"greet\",\"payload\":{\"name\":\"Ada\"}}")
                .statusCode(200).body("success", is(true)).body("result.greeting", is("Hello, Ada!"));
        action(id, "{\"type\":\"echo\",\"payload\":[1,\"two\"]}").statusCode(200).body("result[1]", is("two"));
        action(id, "{\"type\":\"nope\"}").statusCode(200).body("success", is(false))
                .body("error", containsString("unknown action type"));
        deactivate(id).statusCode(200).body("state", is("INACTIVE"));
    }

    @Test
    void shouldLetTheExamplesGreetEachOtherThroughTheHost() {
        activate("hello-node").statusCode(200);
        activate("hello-python").statusCode(200);
        try {
            action("hello-node", "{\"type\":\"ask\",\"payload\":{\"name\":\"Ada\"}}").statusCode(200)
                    .body("success", is(true)).body("result.greeting", is("Hello, Ada!"))
                    .body("result.from", is("hello-python"));
            action("hello-python", "{\"type\":\"ask\",\"payload\":{\"name\":\"Grace\"}}").statusCode(200)
                    .body("success", is(true)).body("result.greeting", is("Hello, Grace!"))
                    .body("result.from", is("hello-node"));
        } finally {
            deactivate("hello-node");
            deactivate("hello-python");
        }
    }

    @Test
    void shouldUpperCaseAStringInTheWasmExample() {
        activate("hello-wasm").statusCode(200);
        action("hello-wasm", "{\"type\":\"upper\",\"payload\":\"hello, wasm\"}")
                .statusCode(200).body("result", is("HELLO, WASM"));
        action("hello-wasm", "{\"type\":\"upper\",\"payload\":3}")
                .statusCode(200).body("success", is(false)).body("error", is("upper needs a string payload"));
        deactivate("hello-wasm").statusCode(200);
    }

    /** wasm-messenger greets through hello-node: a WebAssembly plugin messaging a Node.js one. */
    @Test
    void shouldGreetThroughTheNodeExampleFromTheWasmMessenger() {
        activate("hello-node").statusCode(200);
        activate("wasm-messenger").statusCode(200).body("state", is("ACTIVE"));

        action("wasm-messenger", "{\"type\":\"greet\",\"payload\":{\"name\":\"Ada\"}}")
                .statusCode(200).body("success", is(true))
                .body("result.greeting", is("Hello, Ada!")).body("result.from", is("hello-node"));
        deactivate("wasm-messenger").statusCode(200);
        deactivate("hello-node").statusCode(200);
    }
}
