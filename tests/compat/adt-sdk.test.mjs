// The official Azure Digital Twins JavaScript SDK (@azure/digital-twins-core 1.1.0), unchanged, against `doppel serve`.
// DOPPEL_URL: the server's https address. NODE_EXTRA_CA_CERTS: its development certificate (PEM). DOPPEL_TOKEN: see below.
// REC_MODELS: a folder of RealEstateCore v3 interfaces (defaults to the subset shipped with the tests).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { DigitalTwinsClient } from "@azure/digital-twins-core";

const here = dirname(fileURLToPath(import.meta.url));
const url = process.env.DOPPEL_URL;
assert.ok(url?.startsWith("https://"), "DOPPEL_URL must be the server's https:// address");

// DOPPEL_TOKEN: a bearer token of the server's OpenID Connect issuer (as a TokenCredential such as
// DefaultAzureCredential would get one). Without it, a placeholder: the embedded default on loopback accepts any token,
// but the SDK still insists on sending one over TLS.
const token = process.env.DOPPEL_TOKEN ?? "doppel-dev-token";
const credential = { getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 3_600_000 }) };
const client = new DigitalTwinsClient(url, credential);

const REC = "dtmi:digitaltwins:rec_3_3:core:";
const ROOM = "dtmi:doppel:compat:ThermostatRoom;1";
const rooms = 25;

function readModels(folder) {
  const found = [];
  for (const name of readdirSync(folder).sort()) {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) found.push(...readModels(path));
    else if (name.endsWith(".json")) {
      const json = JSON.parse(readFileSync(path, "utf8").replace(/^\uFEFF/, ""));
      found.push(...(Array.isArray(json) ? json : [json]));
    }
  }
  return found;
}

// ADT requires every component a model declares (inherited ones too) in a new twin, each with its own $metadata.
function withComponents(models, modelId, twin) {
  const byId = new Map(models.map((m) => [m["@id"], m]));
  const visit = (id) => {
    const model = byId.get(id);
    if (!model) return;
    for (const content of model.contents ?? []) {
      const type = [content["@type"]].flat();
      if (type.includes("Component") && !(content.name in twin)) twin[content.name] = { $metadata: {} };
    }
    for (const base of [model.extends ?? []].flat()) visit(typeof base === "string" ? base : base["@id"]);
  };
  visit(modelId);
  return JSON.stringify({ $metadata: { $model: modelId }, ...twin });
}

async function collect(iterable) {
  const items = [];
  for await (const item of iterable) items.push(item);
  return items;
}

async function rejects(promise, status, code) {
  try {
    await promise;
  } catch (e) {
    assert.equal(e.statusCode, status, `expected HTTP ${status}, got ${e.statusCode}: ${e.message}`);
    if (code) assert.equal(e.code, code);
    return e;
  }
  assert.fail(`expected HTTP ${status} ${code ?? ""}`);
}

test("the ADT SDK drives Doppel end to end", async (t) => {
  const recModels = readModels(process.env.REC_MODELS ?? join(here, "..", "Doppel.Tests", "Data", "dtdl", "rec-v3-subset"));
  const ownModels = JSON.parse(readFileSync(join(here, "models", "ThermostatRoom.json"), "utf8"));

  await t.test("models upload as one batch, with inheritance, and read back", async () => {
    const created = await client.createModels([...recModels, ...ownModels]);
    assert.equal(created.length, recModels.length + ownModels.length);
    await rejects(client.createModels([ownModels[0]]), 409, "ModelAlreadyExists");
    const room = await client.getModel(ROOM, true);
    assert.equal(room.id, ROOM);
    assert.equal(room.model.extends, `${REC}Room;1`);
    assert.equal(room.displayName.en, "Room with a thermostat");
    assert.equal(room.decommissioned, false);
    const listed = await collect(client.listModels(undefined, false, 10));
    assert.ok(listed.length >= recModels.length + ownModels.length);
    const dependencies = await collect(client.listModels([ROOM], true));
    const ids = dependencies.map((m) => m.id);
    assert.ok(ids.includes(`${REC}Space;1`), "dependenciesFor includes inherited bases");
    assert.ok(ids.includes("dtmi:doppel:compat:Thermostat;1"), "dependenciesFor includes component schemas");
    await rejects(client.createModels([{ "@id": "dtmi:bad:Model;1", "@type": "Interface", "@context": "dtmi:dtdl:context;3", contents: [{ "@type": "Property", name: "x", schema: "nope" }] }]), 400, "DTDLParserError");
  });

  await t.test("twins, components and relationships are created and read", async () => {
    const all = [...recModels, ...ownModels];
    const building = await client.upsertDigitalTwin("building-1", withComponents(all, `${REC}Building;1`, {
      name: "HQ",
      address: { $metadata: {}, city: "Lyon", country: "France" },
    }));
    assert.equal(building.body.$dtId, "building-1");
    assert.match(building.etag, /^W\/"/);
    assert.equal(building.body.address.city, "Lyon");
    await rejects(client.upsertDigitalTwin("building-1", withComponents(all, `${REC}Building;1`, {}), { ifNoneMatch: "*" }), 412);
    await client.upsertDigitalTwin("level-1", withComponents(all, `${REC}Level;1`, { levelNumber: 1 }));
    for (let i = 0; i < rooms; i++) {
      const id = `room-${String(i).padStart(2, "0")}`;
      await client.upsertDigitalTwin(id, withComponents(all, ROOM, {
        personCapacity: 10 + i,
        thermostat: { $metadata: {}, setpoint: 21 },
      }));
      await client.upsertRelationship(id, `${id}-in-level-1`, { $relationshipId: `${id}-in-level-1`, $sourceId: id, $targetId: "level-1", $relationshipName: "isPartOf" });
    }
    const rel = await client.upsertRelationship("level-1", "level-1-in-building-1", { $targetId: "building-1", $relationshipName: "isPartOf" });
    assert.equal(rel.body.$sourceId, "level-1");
    await rejects(client.upsertRelationship("level-1", "bad", { $targetId: "building-1", $relationshipName: "noSuchRelationship" }), 400, "InvalidRelationship");
    await rejects(client.upsertRelationship("level-1", "missing", { $targetId: "no-such-twin", $relationshipName: "isPartOf" }), 404, "TargetTwinNotFound");

    const got = await client.getDigitalTwin("room-03");
    assert.equal(got.body.personCapacity, 13);
    assert.equal(got.body.$metadata.$model, ROOM);
    assert.ok(got.body.$metadata.personCapacity.lastUpdateTime);
    const component = await client.getComponent("room-03", "thermostat");
    assert.equal(component.body.setpoint, 21);
    await client.updateComponent("room-03", "thermostat", [{ op: "replace", path: "/setpoint", value: 22.5 }]);
    assert.equal((await client.getComponent("room-03", "thermostat")).body.setpoint, 22.5);
    await rejects(client.getComponent("room-03", "nope"), 404, "ComponentNotFound");

    const relationship = await client.getRelationship("room-03", "room-03-in-level-1");
    assert.equal(relationship.body.$targetId, "level-1");
    const outgoing = await collect(client.listRelationships("room-03"));
    assert.deepEqual(outgoing.map((r) => r.$relationshipId), ["room-03-in-level-1"]);
    const incoming = await collect(client.listIncomingRelationships("level-1"));
    assert.equal(incoming.length, rooms);
    // The SDK maps incoming relationships to camelCase fields.
    assert.ok(incoming.every((r) => r.relationshipName === "isPartOf" && r.relationshipLink === `/digitaltwins/${r.sourceId}/relationships/${r.relationshipId}`));
  });

  await t.test("patches honour etags, and a stale etag gets 412", async () => {
    const before = await client.getDigitalTwin("room-05");
    const patched = await client.updateDigitalTwin("room-05", [{ op: "replace", path: "/personCapacity", value: 99 }], { ifMatch: before.etag });
    assert.notEqual(patched.etag, before.etag);
    await rejects(client.updateDigitalTwin("room-05", [{ op: "replace", path: "/personCapacity", value: 1 }], { ifMatch: before.etag }), 412, "PreconditionFailed");
    assert.equal((await client.getDigitalTwin("room-05")).body.personCapacity, 99);
    await rejects(client.updateDigitalTwin("room-05", [{ op: "replace", path: "/personCapacity", value: "many" }]), 400, "ValidationFailed");
    await rejects(client.deleteRelationship("room-05", "room-05-in-level-1", { ifMatch: 'W/"00000000-0000-0000-0000-000000000000"' }), 412, "PreconditionFailed");
  });

  await t.test("queries page through results", async () => {
    const pages = [];
    for await (const page of client.queryTwins(`SELECT * FROM DIGITALTWINS WHERE IS_OF_MODEL('${REC}Room;1')`, 10).byPage({ maxPageSize: 10 })) {
      pages.push(page.value);
    }
    assert.ok(pages.length >= 3, `expected at least 3 pages, got ${pages.length}`);
    const ids = pages.flat().map((t) => t.$dtId);
    assert.equal(ids.length, rooms);
    assert.equal(new Set(ids).size, rooms);
    const large = await collect(client.queryTwins(`SELECT * FROM DIGITALTWINS WHERE IS_OF_MODEL('${ROOM}') AND personCapacity >= 30`));
    assert.deepEqual(large.map((t) => t.$dtId).sort(), ["room-05", "room-20", "room-21", "room-22", "room-23", "room-24"]);
    await rejects(collect(client.queryTwins("SELECT * FROM DIGITALTWINS WHERE")), 400, "SqlQueryError");
  });

  await t.test("JOIN, MATCH and COUNT queries return ADT's row shapes", async () => {
    const building = await collect(client.queryTwins("SELECT B FROM DIGITALTWINS L JOIN B RELATED L.isPartOf WHERE L.$dtId = 'level-1'"));
    assert.deepEqual(building.map((row) => row.B.$dtId), ["building-1"]);
    const joined = await collect(client.queryTwins("SELECT R, L FROM DIGITALTWINS R JOIN L RELATED R.isPartOf WHERE L.$dtId = 'level-1' AND R.personCapacity < 13"));
    assert.deepEqual(joined.map((row) => [row.R.$dtId, row.L.$dtId]).sort(), [["room-00", "level-1"], ["room-01", "level-1"], ["room-02", "level-1"]]);
    const withRelationship = await collect(client.queryTwins("SELECT R, Rel FROM DIGITALTWINS R JOIN L RELATED R.isPartOf Rel WHERE R.$dtId = 'room-07'"));
    assert.equal(withRelationship.length, 1);
    assert.equal(withRelationship[0].Rel.$relationshipId, "room-07-in-level-1");
    const twoHops = await collect(client.queryTwins("SELECT R, B FROM DIGITALTWINS MATCH (R)-[:isPartOf]->(L)-[:isPartOf]->(B) WHERE B.$dtId = 'building-1'"));
    assert.equal(twoHops.length, rooms);
    assert.ok(twoHops.every((row) => row.B.$dtId === "building-1" && row.R.$dtId.startsWith("room-")));
    const upToTwo = await collect(client.queryTwins("SELECT X FROM DIGITALTWINS MATCH (X)-[:isPartOf*..2]->(B) WHERE B.$dtId = 'building-1'"));
    assert.equal(upToTwo.length, rooms + 1, "rooms at two hops and the level at one");
    const projected = await collect(client.queryTwins("SELECT R.personCapacity, R.$dtId FROM DIGITALTWINS R WHERE R.$dtId = 'room-03'"));
    assert.deepEqual(projected, [{ personCapacity: 13, $dtId: "room-03" }]);
    const count = await collect(client.queryTwins(`SELECT COUNT() FROM DIGITALTWINS WHERE IS_OF_MODEL('${REC}Room;1')`));
    assert.deepEqual(count, [{ COUNT: rooms }]);
    const relationships = await collect(client.queryTwins("SELECT COUNT() FROM RELATIONSHIPS WHERE $relationshipName = 'isPartOf'"));
    assert.deepEqual(relationships, [{ COUNT: rooms + 1 }]);
  });

  await t.test("telemetry is validated against the model and accepted", async () => {
    await client.publishTelemetry("room-01", { illuminance: 410.5 }, "message-1");
    await client.publishComponentTelemetry("room-01", "thermostat", JSON.stringify({ temperature: 21.3 }), "message-2");
    await rejects(client.publishTelemetry("room-01", { illuminance: "bright" }, "message-3"), 400, "ValidationFailed");
    await rejects(client.publishComponentTelemetry("room-01", "thermostat", JSON.stringify({ temperature: "hot" }), "message-5"), 400, "ValidationFailed");
    await rejects(client.publishTelemetry("no-such-twin", { illuminance: 1 }, "message-4"), 404, "DigitalTwinNotFound");
  });

  await t.test("event routes are created, listed and deleted", async () => {
    await client.upsertEventRoute("route-1", "endpoint-1", "type = 'Microsoft.DigitalTwins.Twin.Update'");
    const route = await client.getEventRoute("route-1");
    assert.equal(route.endpointName, "endpoint-1");
    assert.equal((await collect(client.listEventRoutes())).length, 1);
    await client.deleteEventRoute("route-1");
    await rejects(client.getEventRoute("route-1"), 404, "EventRouteNotFound");
  });

  await t.test("models are decommissioned and deleted, twins and relationships deleted", async () => {
    await client.decomissionModel(ROOM);
    assert.equal((await client.getModel(ROOM)).decommissioned, true);
    await rejects(client.upsertDigitalTwin("room-new", withComponents([...recModels, ...ownModels], ROOM, {})), 400, "ModelDecommissioned");
    await rejects(client.deleteModel(`${REC}Room;1`), 409, "ModelReferencesNotDeleted");
    await rejects(client.deleteDigitalTwin("level-1"), 400, "RelationshipsNotDeleted");
    for (let i = 0; i < rooms; i++) {
      const id = `room-${String(i).padStart(2, "0")}`;
      await client.deleteRelationship(id, `${id}-in-level-1`);
      await client.deleteDigitalTwin(id);
    }
    await client.deleteRelationship("level-1", "level-1-in-building-1");
    await client.deleteDigitalTwin("level-1");
    await client.deleteDigitalTwin("building-1");
    await rejects(client.getDigitalTwin("building-1"), 404, "DigitalTwinNotFound");
    await client.deleteModel(ROOM);
    await client.deleteModel("dtmi:doppel:compat:Thermostat;1");
    await rejects(client.getModel(ROOM), 404, "ModelNotFound");
  });
});
