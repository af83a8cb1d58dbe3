"use strict";
// Scenarios of the official socket.io-client, written as an application would use it against the Node plugin's
// socket.io kind. Run by SocketIoTest (Java): `node client.js <scenario> <base URL> [transport]`; prints one JSON
// object with what the client saw and exits 0, or prints the error and exits 1. Every wait is bounded.
//   base URL: http://localhost:<port>; transport: "default" (long-polling, then the upgrade) or "websocket".

const { io } = require("socket.io-client");

const [scenario, base, transport = "default"] = process.argv.slice(2);
const TIMEOUT = 20000;

function basic(user) {
  return "Basic " + Buffer.from(`${user}:${user}`).toString("base64");
}

function connect(path, user, options = {}, server = base) {
  const socket = io(`${server}${path}`, {
    forceNew: true,
    reconnection: false,
    ...(transport === "websocket" ? { transports: ["websocket"] } : {}),
    ...(user ? { extraHeaders: { authorization: basic(user) } } : {}),
    ...options,
  });
  // the transport the session opened with (by the time "connect" fires, it may have been upgraded already)
  socket.io.once("open", () => (socket.firstTransport = socket.io.engine.transport.name));
  return socket;
}

function within(promise, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Timed out: ${what}`)), TIMEOUT);
    }),
  ]).finally(() => clearTimeout(timer));
}

function connected(socket) {
  return within(
    new Promise((resolve, reject) => {
      socket.once("connect", () => resolve(socket));
      socket.once("connect_error", reject);
    }),
    "connect",
  );
}

function refused(socket) {
  return within(
    new Promise((resolve, reject) => {
      socket.once("connect", () => reject(new Error("connected, but should have been refused")));
      socket.once("connect_error", (err) => resolve(err.message));
    }),
    "connect_error",
  );
}

function call(socket, event, data) {
  return within(socket.emitWithAck(event, data), `ack of ${event}`);
}

function next(socket, event) {
  return within(new Promise((resolve) => socket.once(event, resolve)), `event ${event}`);
}

/** Resolves once the engine runs on WebSocket: at once, or after the upgrade from long-polling. */
function onWebSocket(socket) {
  const engine = socket.io.engine;
  if (engine.transport.name === "websocket") {
    return Promise.resolve("websocket");
  }
  return within(new Promise((resolve) => engine.once("upgrade", (t) => resolve(t.name))), "upgrade");
}

const scenarios = {
  /**
   * The tutorial's ChatService (samples/file-integration, or bench/node on the Node plugin's socket.io kind):
   * the same script passes against both servers.
   */
  async chat() {
    const [first, second] = await Promise.all([connected(connect("/ws/chat")), connected(connect("/ws/chat"))]);
    const firstTransport = first.firstTransport;
    const reply = await call(first, "message", { text: "hello" });
    const heardFirst = next(first, "systemMessage");
    const heardSecond = next(second, "systemMessage");
    const sent = await call(second, "sendSystemMessage", { text: "to all" });
    const system = [await heardFirst, await heardSecond].map((m) => ({ type: m.type, level: m.level, text: m.text }));
    // the tutorial's point: a row created over OData is announced to every chat client
    const notified = [next(first, "serverNotification"), next(second, "serverNotification")];
    const created = await within(
      fetch(`${base}/odata/v4/test/Data`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ value: "over socket.io", count: 7 }),
      }),
      "OData create",
    );
    const notifications = (await Promise.all(notified)).map((n) => ({
      type: n.type,
      action: n.action,
      entity: n.entity,
      value: n.data.value,
      count: n.data.count,
    }));
    const wrongNamespace = await refused(connect("/ws/nope"));
    const finalTransport = await onWebSocket(first);
    first.disconnect();
    second.disconnect();
    return { firstTransport, finalTransport, reply, sent, system, created: created.status, notifications, wrongNamespace };
  },

  /** Operations with results and errors in acks, a server event, the transports. */
  async calls() {
    const socket = await connected(connect("/ws/hook", "alice"));
    const firstTransport = socket.firstTransport;
    const echo = await call(socket, "echo", { text: "hi", count: 2 });
    const who = await call(socket, "whoAmI");
    const failed = await call(socket, "fail", { status: 409 });
    const crashed = await call(socket, "fail", { status: 500 });
    const unknown = await call(socket, "nope", {});
    const ping = next(socket, "ping");
    const sent = await call(socket, "emitPing", { text: "hello" });
    const pinged = await ping;
    const finalTransport = await onWebSocket(socket);
    // still working after the upgrade
    const after = await call(socket, "echo", { text: "after", count: 3 });
    socket.disconnect();
    return { firstTransport, finalTransport, echo, who, failed, crashed, unknown, sent, pinged, after };
  },

  /** Contexts are rooms: wsContext enters them, a broadcast to a context reaches its members only. */
  async rooms() {
    const [alice, carol, erin] = await Promise.all(["alice", "carol", "erin"].map((u) => connected(connect("/ws/target", u))));
    const entered = await call(alice, "wsContext", { context: "room-a" });
    await call(erin, "wsContext", { contexts: ["room-a", "room-b"] });
    const secret = await call(carol, "wsContext", { context: "secret" });
    const aliceHeard = next(alice, "everyone");
    const erinHeard = next(erin, "everyone");
    const carolHeard = next(carol, "everyone");
    await call(carol, "shout", { room: "a", text: "to room a" });
    const heard = { alice: await aliceHeard, erin: await erinHeard };
    // carol is not in room-a: the first "everyone" she gets is the one sent to her alone, after the shout
    await call(carol, "whisper", { text: "only carol" });
    heard.carol = await carolHeard;
    await call(erin, "wsContext", { context: "room-a", exit: true });
    const aliceAgain = next(alice, "everyone");
    const erinAgain = next(erin, "everyone");
    await call(carol, "shout", { room: "a", text: "again" });
    heard.aliceAgain = await aliceAgain;
    await call(erin, "whisper", { text: "only erin" });
    heard.erinAgain = await erinAgain;
    for (const socket of [alice, carol, erin]) socket.disconnect();
    return { entered, secret, heard };
  },

  /** CRUD events: the caller gets the result in the ack, the others the broadcast. */
  async crud() {
    const [alice, carol] = await Promise.all(["alice", "carol"].map((u) => connected(connect("/ws/crud", u))));
    const id = 5000 + Math.floor(Math.random() * 1000);
    const createdHeard = next(carol, "Notes:created");
    const created = await call(alice, "Notes:create", { ID: id, title: "first", body: "secret body" });
    const heard = await createdHeard;
    const read = await call(carol, "Notes:read", { ID: id });
    const missing = await call(carol, "Notes:create", { ID: id, title: "duplicate" });
    alice.disconnect();
    carol.disconnect();
    return { id, created, heard, read, missing };
  },

  /** Refusals: no credentials, an unknown namespace, a service only admins may use. */
  async refused() {
    const anonymous = await refused(connect("/ws/hook", null));
    const unknown = await refused(connect("/ws/nope", "alice"));
    const forbidden = await refused(connect("/ws/admin-socket", "alice"));
    const admin = await connected(connect("/ws/admin-socket", "erin"));
    const hello = await call(admin, "hello");
    admin.disconnect();
    return { anonymous, unknown, forbidden, hello };
  },

  /** Two instances on one broker (env OTHER: the second's base URL): events reach the clients of both. */
  async across() {
    const other = process.env.OTHER;
    const [here, there] = await Promise.all([
      connected(connect("/ws/hook", "alice")),
      connected(connect("/ws/hook", "carol", {}, other)),
    ]);
    const heardHere = next(here, "ping");
    const heardThere = next(there, "ping");
    const sent = await call(here, "emitPing", { text: "across" });
    const heard = { here: await heardHere, there: await heardThere };
    const heardBack = next(here, "ping");
    await call(there, "emitPing", { text: "and back" });
    heard.back = await heardBack;
    here.disconnect();
    there.disconnect();
    return { sent, heard };
  },

  /**
   * A graceful stop of the server (the test stops it after "ready"): a client that stays on long-polling and one on
   * WebSocket get every event published before the stop (env EVENTS), then are disconnected as by a server restart.
   */
  async shutdown() {
    const events = Number(process.env.EVENTS || 100);
    const polling = await connected(connect("/ws/hook", "alice", { upgrade: false, transports: ["polling"] }));
    const websocket = await connected(connect("/ws/hook", "carol", { transports: ["websocket"] }));
    const result = {};
    const ended = [
      ["polling", polling],
      ["websocket", websocket],
    ].map(([name, socket]) => {
      const received = [];
      socket.on("ping", (data) => received.push(data.text));
      return within(
        new Promise((resolve) =>
          socket.once("disconnect", (reason) => {
            result[name] = { transport: socket.io.engine ? socket.io.engine.transport?.name : undefined, reason, received: received.length,
              inOrder: received.every((text, index) => text === `event ${index}`) };
            resolve();
          }),
        ),
        `disconnect of ${name}`,
      );
    });
    console.log("ready");
    await Promise.all(ended);
    result.events = events;
    return result;
  },

  /**
   * Events while a client upgrades: another client (on WebSocket) emits events one after another while a listener
   * connects on long-polling and upgrades, until 20 more have gone out after the upgrade (at most 190: within the
   * emitter's burst of the rate limit). From the first event the listener gets (those before its connect do not
   * reach it), it gets every one, in order, on either side of the switch.
   */
  async switch() {
    const most = 190;
    const emitter = await connected(connect("/ws/hook", "carol", { transports: ["websocket"] }));
    let emitted = 0;
    let emittedAtUpgrade = -1;
    const emitting = (async () => {
      while (emitted < most && (emittedAtUpgrade < 0 || emitted < emittedAtUpgrade + 20)) {
        const sent = await call(emitter, "emitPing", { text: String(emitted) });
        if (sent !== "sent") throw new Error(`emitPing ${emitted} failed: ${JSON.stringify(sent)}`);
        emitted++;
      }
    })();
    const listener = connect("/ws/hook", "alice");
    const received = [];
    let receivedAtUpgrade = -1;
    listener.io.on("open", () =>
      listener.io.engine.once("upgrade", () => {
        receivedAtUpgrade = received.length;
        emittedAtUpgrade = emitted;
      }),
    );
    let last;
    let arrived;
    const all = new Promise((resolve) => (arrived = resolve));
    listener.on("ping", (data) => {
      received.push(Number(data.text));
      if (Number(data.text) === last) arrived();
    });
    await connected(listener);
    await emitting;
    last = emitted - 1;
    if (received[received.length - 1] === last) arrived();
    await within(all, "all events at the listener");
    const contiguous = received.length > 0 && received.every((value, index) => value === received[0] + index);
    const transport = listener.io.engine.transport.name;
    emitter.disconnect();
    listener.disconnect();
    return { emitted, received: received.length, first: received[0], contiguous, receivedAtUpgrade, transport };
  },

  /** Many clients, each gets every event in order. */
  async many() {
    const clients = Number(process.env.CLIENTS || 200);
    const events = Number(process.env.EVENTS || 20);
    const users = ["alice", "carol", "erin"];
    const sockets = [];
    for (let i = 0; i < clients; i += 20) {
      const batch = [];
      for (let j = i; j < Math.min(clients, i + 20); j++) {
        batch.push(connected(connect("/ws/hook", users[j % users.length])));
      }
      sockets.push(...(await Promise.all(batch)));
    }
    const received = sockets.map(() => []);
    const done = Promise.all(
      sockets.map(
        (socket, i) =>
          new Promise((resolve) => {
            socket.on("ping", (data) => {
              received[i].push(Number(data.text));
              if (received[i].length === events) resolve();
            });
          }),
      ),
    );
    for (let n = 0; n < events; n++) {
      await call(sockets[0], "emitPing", { text: String(n) });
    }
    await within(done, "all events at all clients");
    const inOrder = received.every((list) => list.every((value, index) => value === index));
    const transports = {};
    for (const socket of sockets) {
      const name = socket.io.engine.transport.name;
      transports[name] = (transports[name] || 0) + 1;
      socket.disconnect();
    }
    return { clients: sockets.length, events, received: received.reduce((sum, l) => sum + l.length, 0), inOrder, transports };
  },
};

(async () => {
  try {
    const result = await scenarios[scenario]();
    console.log(JSON.stringify(result));
    process.exit(0);
  } catch (err) {
    console.log(JSON.stringify({ error: String(err && err.message) }));
    process.exit(1);
  }
})();
