// The official Azure Digital Twins JavaScript SDK with a token the server refuses (forged, expired, for another
// audience): every call fails with ADT's 401, and the reason is said. DOPPEL_URL, NODE_EXTRA_CA_CERTS and DOPPEL_TOKEN
// as for adt-sdk.test.mjs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { DigitalTwinsClient } from "@azure/digital-twins-core";

const url = process.env.DOPPEL_URL;
assert.ok(url?.startsWith("https://"), "DOPPEL_URL must be the server's https:// address");
const token = process.env.DOPPEL_TOKEN;
assert.ok(token, "DOPPEL_TOKEN must be the token to be refused");
const client = new DigitalTwinsClient(url, { getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 3_600_000 }) });

async function refused(promise) {
  try {
    await promise;
  } catch (e) {
    assert.equal(e.statusCode, 401, `expected HTTP 401, got ${e.statusCode}: ${e.message}`);
    assert.equal(e.code, "Unauthorized");
    assert.match(e.message, /^The bearer token was refused: /);
    return;
  }
  assert.fail("expected HTTP 401 Unauthorized");
}

test("a refused token gets 401 Unauthorized on reads, writes and queries", async () => {
  await refused(client.getDigitalTwin("any-twin"));
  await refused(client.upsertDigitalTwin("any-twin", JSON.stringify({ $metadata: { $model: "dtmi:any:Thing;1" } })));
  const models = client.listModels();
  await refused(models.next());
  const rows = client.queryTwins("SELECT * FROM digitaltwins");
  await refused(rows.next());
});
