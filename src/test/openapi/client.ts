// A client of the host made only from its OpenAPI document: build/schema.d.ts is generated from the live
// /q/openapi by openapi-typescript, tsc type-checks this file against it (a path, method, parameter or field
// that the document does not have fails the compile), and openapi-fetch makes the calls.
// Usage: node build/client.js BASE_URL TOKEN BUNDLE.tgz PLUGIN_ID   (run by GeneratedClientTest)
import createClient from "openapi-fetch";
import { readFileSync } from "node:fs";
import type { paths } from "./build/schema.js";

const [baseUrl, token, bundlePath, id] = process.argv.slice(2);
const client = createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${token}` } });

function check(step: string, ok: boolean, detail: unknown): void {
    console.log(`${ok ? "PASS" : "FAIL"} ${step}: ${JSON.stringify(detail)}`);
    if (!ok) {
        process.exit(1);
    }
}

const bundle = readFileSync(bundlePath);
const installed = await client.POST("/api/v1/plugins", {
    // the document types a gzip body as a string of bytes; send the file's bytes as they are
    body: bundle as unknown as string,
    bodySerializer: (body) => body as unknown as BodyInit,
    headers: { "Content-Type": "application/gzip" },
});
check("install", installed.response.status === 201 && installed.data?.id === id, installed.data ?? installed.error);

const active = await client.POST("/api/v1/plugins/{id}/activate", { params: { path: { id } } });
check("activate", active.data?.state === "ACTIVE", active.data ?? active.error);

const called = await client.POST("/api/v1/plugins/{id}/actions", {
    params: { path: { id } },
    body: { type: "echo", payload: { from: "generated client" } },
});
const result = called.data?.result as { from?: string } | undefined;
check("call echo", called.data?.success === true && result?.from === "generated client", called.data ?? called.error);

const missing = await client.GET("/api/v1/plugins/{id}", { params: { path: { id: "no-such-plugin" } } });
check("typed error", missing.response.status === 404 && missing.error?.error === "plugin_not_found", missing.error);

const denied = await createClient<paths>({ baseUrl }).GET("/api/v1/plugins");
check("401 without token", denied.response.status === 401 && denied.error?.error === "unauthorized", denied.error);

const stopped = await client.POST("/api/v1/plugins/{id}/deactivate", { params: { path: { id } } });
check("deactivate", stopped.data?.state === "INACTIVE", stopped.data ?? stopped.error);

const removed = await client.DELETE("/api/v1/plugins/{id}", { params: { path: { id } } });
check("uninstall", removed.response.status === 204, removed.error ?? null);
