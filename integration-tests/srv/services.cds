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
