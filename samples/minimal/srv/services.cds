using { minimal } from '../db/schema';

// An ordinary OData service: /odata/v4/OrderService/Orders (CAP Java serves the full service name by default)
service OrderService {
  entity Orders as projection on minimal.Orders;
}

// A WebSocket service: ws://localhost:8080/ws/live (the name without "Service", in kebab case).
@protocol: 'websocket'
service LiveService {

  // Sent to every client of /ws/live when an order is created (see OrderEvents.java).
  event orderPlaced {
    ID       : UUID;
    product  : String;
    quantity : Integer;
  }

  // Called with the frame {"event":"echo","data":{"text":"hi"},"id":1}; the reply frame carries the result.
  function echo(text: String) returns String;
}
