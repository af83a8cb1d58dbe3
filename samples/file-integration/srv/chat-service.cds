// Served at ws://localhost:4004/ws/chat: the path is the service name without "Service", in kebab case
// (ChatService -> chat, OrderTrackingService -> order-tracking), or @path.
@protocol: 'websocket'
service ChatService {

  // Called by a client frame {"event":"message","data":{"text":"..."}}; the reply frame carries the result.
  function message(text: String) returns String;

  // The tutorial calls this action but never declares it: it broadcasts a systemMessage to every client.
  action sendSystemMessage(text: String) returns String;

  event clientMessage {
    type      : String;
    sender    : String;
    text      : String;
    timestamp : DateTime;
  }

  // Sent to every client after a Data row is created, updated or deleted (see DataNotifier.java).
  event serverNotification {
    type      : String;
    action    : String;
    entity    : String;
    data      : {
      id    : String;
      value : String;
      count : Integer;
    };
    timestamp : DateTime;
  }

  // The tutorial emits this event but never declares it.
  event systemMessage {
    type      : String;
    level     : String;
    text      : String;
    timestamp : DateTime;
  }
}
