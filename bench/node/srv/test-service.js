const cds = require("@sap/cds");

// The tutorial's test-service.js as our Java sample's DataNotifier does it: after every change of a Data row, a
// serverNotification with the row as stored (read again by key, like the Java side) goes to every chat client.
// As in the tutorial, it is emitted inside the request, before the commit (the Java plugin sends after the commit).
module.exports = class TestService extends cds.ApplicationService {
  init() {
    const { Data } = this.entities;

    this.after("CREATE", Data, async (row) => notifyStored("created", row.ID));
    // An OData PATCH carries only the changed fields; the key is taken from the request's target.
    this.after("UPDATE", Data, async (_, req) => notifyStored("updated", key(req)));
    this.after("DELETE", Data, async (_, req) => {
      const id = key(req);
      if (id) await send("deleted", { id, value: null, count: null });
    });

    async function notifyStored(action, id) {
      if (!id) return;
      const row = await SELECT.one.from(Data, id).columns("ID", "value", "count");
      if (row) await send(action, { id: row.ID, value: row.value, count: row.count });
    }

    return super.init();
  }
};

/** The ID of the addressed row: req.params holds one entry per path segment, a value or {ID}. */
function key(req) {
  const last = req.params?.[req.params.length - 1];
  return typeof last === "object" ? last?.ID : last;
}

async function send(action, data) {
  const chat = await cds.connect.to("ChatService");
  await chat.emit("serverNotification", {
    type: "server",
    action,
    entity: "Data",
    data,
    timestamp: new Date().toISOString(),
  });
}
