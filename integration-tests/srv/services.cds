using { it } from '../db/schema';

/** Lifecycle hooks, identity, errors and a server event: the foundation's behaviour. */
@protocol: 'websocket'
service HookService {
  event ping {
    text   : String;
    sender : String;
  }

  action wsConnect();
  action wsDisconnect(reason: String);

  /** Emits ping to the caller's tenant. */
  action emitPing(text: String) returns String;
  /** Emits ping, then fails: the transaction rolls back. */
  action emitThenFail(text: String) returns String;
  function whoAmI() returns String;
  /** Fails with the given HTTP status. */
  action fail(status: Integer) returns String;
  /** Only for admins (A3). */
  @requires: 'admin'
  function adminOnly() returns String;

  /** Returns a structured result. */
  function echo(text: String, count: Integer) returns {
    text  : String;
    count : Integer;
  };
}

/** Served over OData and WebSocket at once. */
@protocol: ['odata', 'websocket']
service BothService {
  entity Items as projection on it.Items;
  event itemAdded {
    ID   : Integer;
    name : String;
  }

  /** Emitted with itemAdded: never to the client tab-1, whatever the HTTP request's headers say. */
  @ws.operator.exclude: 'and'
  @ws.identifier.exclude: 'tab-1'
  event itemAddedNotTab1 {
    ID : Integer;
  }
}

/** An absolute path outside the prefix. */
@ws
@path: '/custom/socket'
service AbsoluteService {
  event hello {
    text : String;
  }
  action sayHello(text: String) returns String;
}

/** Client determination (E4-E7): who receives which event. */
@protocol: 'websocket'
service TargetService {
  /** Untargeted: everyone gets it. The tests use it as a barrier: what was not received before it never comes. */
  event everyone { text: String; }

  @ws.user: 'includeCurrent'
  event mine { text: String; }

  @websocket.currentUser.exclude
  event othersOnly { text: String; }

  @ws.user.exclude: ['carol']
  event notCarol { text: String; }

  @ws.role: 'admin'
  event forAdmins { text: String; }

  @ws.broadcast.context: 'news'
  event news { text: String; }

  @ws.identifier.exclude: 'tab-1'
  event notTab1 { text: String; }

  event targeted {
    text   : String;
    @ws.user
    users  : many String;
    @ws.context.exclude
    notIn  : String;
    @ws.identifier.include
    ids    : many String;
    @ws.currentUser.exclude
    skipMe : Boolean;
    @ws.ignore
    secret : String;
  }

  @ws.operator.include: 'and'
  event both {
    text    : String;
    @ws.user
    user    : String;
    @ws.context
    context : String;
  }

  /** Targeted by emit headers only. */
  event headed { text: String; }

  /** Called after each wsContext frame, with its data. */
  action wsContext(context: String, contexts: many String, exit: Boolean, reset: Boolean) returns String;

  event joined {
    user : String;
    room : String;
  }

  /** Facade (E8): enters room-<room> and tells the others in it. */
  action join(room: String) returns many String;
  /** Facade: broadcastAll to a room, the caller included. */
  action shout(room: String, text: String);
  /** Facade: an event to the caller only. */
  action whisper(text: String);
  /** Facade: the server closes the caller's connection. */
  action kick();

  /** The handler sees `hidden` unset whatever the client sends. */
  action echoHidden(text: String, @ws.ignore hidden: String) returns String;
}

/** CRUD over the socket (O2). */
@protocol: 'websocket'
service CrudService {
  entity Notes     as projection on it.Notes actions {
    action pin(label: String) returns String;
  };
  entity NoteItems as projection on it.NoteItems;

  @ws.broadcast: 'data'
  @ws.broadcast.all
  entity Tasks     as projection on it.Tasks;

  @ws.broadcast: 'none'
  entity Quiet     as projection on it.Items;

  @restrict: [
    { grant: 'READ', to: 'authenticated-user' },
    { grant: '*', to: 'admin' }
  ]
  entity Guarded   as projection on it.Tasks;

  /** Shapes the Notes:created broadcast. */
  event ![Notes.created] {
    ID    : Integer;
    title : String;
  }

  /** The tests' barrier. */
  event everyone { text: String; }
}

/** An OData service with WebSocket mixins (P3): only what is marked @ws is served over the socket. */
service MixinService {
  entity Items as projection on it.Items;

  @ws
  event mixed { text: String; }

  @ws
  action shoutMixin(text: String) returns String;

  function notExposed() returns String;

  /** Delivered to the clients of HookService, at its path. */
  @ws.path: 'hook'
  event intoHook { text: String; }

  /** Callable by the clients of HookService. */
  @websocket
  @websocket.path: 'hook'
  function mixinIntoHook() returns String;
}

/** Push Channel Protocol (F2), with a Fiori Elements side effect. */
@protocol: 'websocket'
@ws.format: 'pcp'
@Common.WebSocketChannel #sideEffects: 'sideeffects'
service PcpService {
  @ws.pcp.action: 'notify'
  event notification {
    @ws.pcp.message
    text     : String;
    level    : String;
    @ws.ignore
    internal : String;
  }

  @ws.pcp.sideEffect
  event booksChanged {
    ID : Integer;
  }

  /** Called by a PCP message without pcp-action (MESSAGE); answers with a notification. */
  @ws.pcp.action: 'MESSAGE'
  action receive(@ws.pcp.message body: String, priority: Integer, urgent: Boolean);
}

/** CloudEvents (F3). */
@protocol: 'websocket'
@ws.format: 'cloudevent'
service CloudService {
  event orderPlaced {
    orderId : String;
    amount  : Decimal(10, 2);
    @ws.cloudevent.subject
    subject : String;
  }

  @ws.cloudevent.type  : 'com.example.audit'
  @ws.cloudevent.source: '/audit'
  event audited {
    what : String;
  }

  /** Called by a cloud event of type com.example.place; answers with orderPlaced. */
  @ws.cloudevent.name: 'com.example.place'
  action place(orderId: String, amount: Decimal(10, 2));
}

/** The generic format (F4). */
@protocol: 'websocket'
@ws.format: 'generic'
service GenericService {
  event told {
    @ws.generic.title
    headline : String;
    body     : String;
  }

  /** Called by {"name":"tell","text":"..."}; answers with told. */
  action tell(@ws.generic.text body: String);
}

/** An application-provided format (F4), registered through META-INF/services. */
@protocol: 'websocket'
@ws.format: 'line'
service LineService {
  event said { text: String; }
  action say(text: String);
}

/** A3 P3: a mixin joined to HookService's path from a service with its own @requires: only admins hear it. */
@requires: 'admin'
service RequiresMixinService {
  @ws
  @ws.path: 'hook'
  event adminNews { text: String; }
}

/** A3 P3: the same with a service-level @restrict. */
@restrict: [{ grant: '*', to: 'admin' }]
service RestrictMixinService {
  @ws
  @ws.path: 'hook'
  event restrictedNews { text: String; }
}

/** A3: a service-level @restrict applies to a WebSocket service as over OData: only admins may connect. */
@protocol: 'websocket'
@restrict: [{ grant: '*', to: 'admin' }]
service RestrictedSocketService {
  event secret { text: String; }
}

/** Only admins may connect (A3). */
@protocol: 'websocket'
@requires: 'admin'
service AdminSocketService {
  event secret { text: String; }
  function hello() returns String;
}

/**
 * Recovery (B3) and scale-out (S1): its events carry "seq", clients that reconnect with ?since= catch up, and with
 * the Redis broker its events reach the clients of every instance.
 */
@ws.recovery
@protocol: 'websocket'
service FeedService {
  /** To every client of the tenant. */
  event tick { n: Integer; text: String; }
  /** Only to the users named in the data. */
  event private {
    n    : Integer;
    @ws.user
    user : String;
  }
  /** Emits tick n times, each in its own transaction, numbered from start. */
  action ticks(start: Integer, count: Integer) returns Integer;
  /** Broadcasts tick to the other clients of the service (all but the caller). */
  action tellOthers(text: String);
  /** Closes the caller's connection, as a server that goes away would. */
  action leave();
}
